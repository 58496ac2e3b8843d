import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { importedPackages, layerOf, layerViolations } from "./layers.mjs";

const repo = fileURLToPath(new URL("..", import.meta.url));

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A workspace of packages, each { name, dependencies, files: { "src/x.ts": text } }. */
function workspace(
  packages: {
    dir: string;
    name: string;
    dependencies?: Record<string, string>;
    files?: Record<string, string>;
  }[],
): string {
  const root = mkdtempSync(join(tmpdir(), "profilekit-layers-"));
  roots.push(root);
  writeFileSync(join(root, "package.json"), JSON.stringify({ workspaces: ["packages/*", "apps/*"] }));
  for (const pkg of packages) {
    const dir = join(root, pkg.dir);
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: pkg.name, dependencies: pkg.dependencies ?? {} }),
    );
    for (const [file, text] of Object.entries(pkg.files ?? {})) writeFileSync(join(dir, file), text);
  }
  return root;
}

describe("the dependency direction", () => {
  it("holds in this repository: apps -> refine, report -> runner -> tasks, factors, llm, data, core -> spec", async () => {
    expect(await layerViolations(repo)).toEqual([]);
  });

  it("orders the layers", () => {
    expect(
      [
        "@profilekit/spec",
        "@profilekit/core",
        "@profilekit/factor-length",
        "@profilekit/runner",
        "@profilekit/report",
        "profilekit",
      ].map(layerOf),
    ).toEqual([0, 1, 1, 2, 3, 4]);
  });

  it("finds an upward import, a sideways one in the lowest layers, and an upward dependency", async () => {
    const root = workspace([
      { dir: "packages/spec", name: "@profilekit/spec" },
      {
        dir: "packages/core",
        name: "@profilekit/core",
        dependencies: { "@profilekit/spec": "1" },
        files: { "src/a.ts": 'import { analyze } from "@profilekit/runner";\n' },
      },
      {
        dir: "packages/llm",
        name: "@profilekit/llm",
        dependencies: { "@profilekit/data": "1" },
        files: {
          "src/b.ts":
            'export type { Pair } from "@profilekit/spec";\nconst x = await import("@profilekit/data");\n',
        },
      },
      { dir: "packages/data", name: "@profilekit/data" },
      { dir: "packages/runner", name: "@profilekit/runner", dependencies: { profilekit: "1" } },
      { dir: "apps/cli", name: "profilekit", dependencies: { "@profilekit/runner": "1" } },
    ]);
    const problems = await layerViolations(root);
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toMatch(
      /packages\/core\/src\/a\.ts: @profilekit\/core .* uses @profilekit\/runner/,
    );
    expect(problems.join("\n")).toMatch(
      /packages\/llm\/package\.json dependencies: @profilekit\/llm .* uses @profilekit\/data/,
    );
    expect(problems.join("\n")).toMatch(
      /packages\/llm\/src\/b\.ts: @profilekit\/llm .* uses @profilekit\/data/,
    );
    expect(problems.join("\n")).toMatch(
      /packages\/runner\/package\.json dependencies: @profilekit\/runner .* uses profilekit/,
    );
  });

  it("lets tests, fixtures and benchmarks use a peer of their layer, never what ships", async () => {
    const root = workspace([
      { dir: "packages/spec", name: "@profilekit/spec" },
      { dir: "packages/factor-x", name: "@profilekit/factor-x" },
      {
        dir: "packages/llm",
        name: "@profilekit/llm",
        files: {
          "src/prompts.test.ts": 'import x from "@profilekit/factor-x";\n',
          "src/client.ts": 'import x from "@profilekit/factor-x";\n',
        },
      },
    ]);
    const problems = await layerViolations(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^packages\/llm\/src\/client\.ts: /);
  });

  it("reads imports from the module syntax, not from strings or comments", async () => {
    const text = [
      'import type { X } from "@profilekit/core";',
      'import { y } from "@profilekit/llm/testing";',
      'const template = `import { defineConfig } from "profilekit";`;',
      '// import "@profilekit/runner"',
      'export * from "./local.js";',
      'import { readFile } from "node:fs/promises";',
    ].join("\n");
    expect((await importedPackages(text)).sort()).toEqual(["@profilekit/core", "@profilekit/llm"]);
  });
});
