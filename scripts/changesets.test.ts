import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { workspacePackages } from "./layers.mjs";

// The pending changesets, read as `changeset version` reads them: each names workspace packages
// with a bump, and never a private package beside public ones (changesets refuses such a
// "mixed changeset", and with it every release; `changeset status` in .ci/run says so too, but
// only against main's history).

const repo = fileURLToPath(new URL("..", import.meta.url));
const dir = join(repo, ".changeset");
const privacy = new Map(
  workspacePackages(repo).map(({ manifest }) => [manifest.name as string, manifest.private === true]),
);
const changesets = readdirSync(dir)
  .filter((name) => name.endsWith(".md") && name !== "README.md")
  .map((name) => {
    const text = readFileSync(join(dir, name), "utf8");
    const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
    return { name, releases: front ? (parse(front[1]!) as Record<string, string>) : null, text };
  });

describe(".changeset/*.md", () => {
  it.each(changesets)("$name names workspace packages with a bump, and a summary", ({ releases, text }) => {
    expect(releases, "front matter").not.toBeNull();
    for (const [name, bump] of Object.entries(releases!)) {
      expect(privacy.has(name), `${name} is a workspace package`).toBe(true);
      expect(["major", "minor", "patch"]).toContain(bump);
    }
    expect(text.replace(/^---\n[\s\S]*?\n---\n/, "").trim()).not.toBe("");
  });

  it.each(changesets)("$name does not mix private and public packages", ({ releases }) => {
    const kinds = new Set(Object.keys(releases ?? {}).map((name) => privacy.get(name)));
    expect(kinds.size, Object.keys(releases ?? {}).join(", ")).toBeLessThanOrEqual(1);
  });
});
