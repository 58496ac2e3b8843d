import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorCatalog } from "@profilekit/spec";
import { describe, expect, it } from "vitest";

// One set of error codes: every code the sources raise is in @profilekit/spec's errorCatalog, every
// code of the catalog is raised somewhere, and docs/errors.md lists each with its exit code.

const repo = fileURLToPath(new URL("..", import.meta.url));

function sources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry === "testing") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sources(path));
    else if (entry.endsWith(".ts") && !entry.endsWith(".test.ts")) files.push(path);
  }
  return files;
}

const packageSources = ["packages", "apps", "examples"].flatMap((top) =>
  readdirSync(join(repo, top)).flatMap((name) => {
    const dir = join(repo, top, name);
    if (!statSync(dir).isDirectory()) return [];
    const src = join(dir, "src");
    try {
      return statSync(src).isDirectory()
        ? sources(src)
        : readdirSync(dir).flatMap((inner) => sources(join(dir, inner, "src")));
    } catch {
      return readdirSync(dir).flatMap((inner) => {
        try {
          return sources(join(dir, inner, "src"));
        } catch {
          return [];
        }
      });
    }
  }),
);

/** Codes given as the first argument of an error constructor or helper, and codes a mapping returns. */
function raisedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const pattern =
    /(?:ProfilekitError|InputError|ModelConfigurationError|CacheError|inputError|fail|super)\(\s*"([a-z][a-z0-9_]*)"/g;
  const returned = /return "([a-z][a-z0-9_]*)";/g;
  for (const file of packageSources) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(pattern)) found.set(match[1]!, file);
    if (file.endsWith("errors.ts")) for (const match of text.matchAll(returned)) found.set(match[1]!, file);
    if (file.endsWith(join("data", "src", "errors.ts"))) {
      const list = /inputErrorCodes = \[([\s\S]*?)\]/.exec(text)?.[1] ?? "";
      for (const match of list.matchAll(/"([a-z_]+)"/g)) found.set(match[1]!, file);
    }
  }
  return found;
}

describe("error codes", () => {
  const raised = raisedCodes();

  it("finds the codes the sources raise", () => {
    expect(raised.size).toBeGreaterThan(40);
    expect(raised.get("duplicate_pair_id")).toBeDefined();
  });

  it("every raised code is in the catalog, and there is one code for one meaning", () => {
    const unknown = [...raised]
      .filter(([code]) => !(code in errorCatalog))
      .map(([code, file]) => `${code} (${file})`);
    expect(unknown).toEqual([]);
    expect(raised.has("duplicate_pair")).toBe(false);
  });

  it("every code of the catalog is used somewhere beside the catalog", () => {
    const text = packageSources
      .filter((file) => !file.endsWith("error-codes.ts"))
      .map((file) => readFileSync(file, "utf8"));
    const used = (code: string) => raised.has(code) || text.some((source) => source.includes(`"${code}"`));
    expect(Object.keys(errorCatalog).filter((code) => !used(code))).toEqual([]);
  });

  it("docs/errors.md lists every code with its exit code", () => {
    const docs = readFileSync(join(repo, "docs", "errors.md"), "utf8");
    const rows = new Map(
      [...docs.matchAll(/^\| `([a-z_]+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]),
    );
    const expected = new Map(Object.entries(errorCatalog).map(([code, { exit }]) => [code, exit]));
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(expected));
  });
});
