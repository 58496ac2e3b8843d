import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ScaffoldError, scaffoldFactor } from "./new-factor.mjs";

const repo = fileURLToPath(new URL("..", import.meta.url));
const script = join(repo, "scripts", "new-factor.mjs");

// Scaffolds go under the repo's git-ignored tmp/, so that the generated packages resolve
// @profilekit/spec, @profilekit/configs, zod and vitest from the repo's node_modules.
const roots: string[] = [];
function tempRoot(): string {
  mkdirSync(join(repo, "tmp"), { recursive: true });
  const root = mkdtempSync(join(repo, "tmp", "scaffold-"));
  roots.push(root);
  mkdirSync(join(root, "packages", "spec"), { recursive: true });
  writeFileSync(
    join(root, "packages", "spec", "package.json"),
    JSON.stringify({ name: "@profilekit/spec", version: "9.9.9", dependencies: { zod: "^4.0.0" } }),
  );
  return root;
}
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  if (readdirSync(join(repo, "tmp")).length === 0) rmSync(join(repo, "tmp"), { recursive: true });
});

const read = (path: string) => readFileSync(path, "utf8");
const json = (path: string) => JSON.parse(read(path));

describe("scaffoldFactor", () => {
  it("writes the package and a changeset", () => {
    const root = tempRoot();
    const { directory, files } = scaffoldFactor({ root, id: "question-marks" });
    expect(directory).toBe(join(root, "packages", "factors", "question-marks"));
    expect(files.map((file) => relative(root, file)).sort()).toEqual(
      [
        ".changeset/factor-question-marks.md",
        "packages/factors/question-marks/README.md",
        "packages/factors/question-marks/package.json",
        "packages/factors/question-marks/src/index.test.ts",
        "packages/factors/question-marks/src/index.ts",
        "packages/factors/question-marks/tsconfig.build.json",
        "packages/factors/question-marks/tsconfig.json",
        "packages/factors/question-marks/vitest.config.ts",
      ].sort(),
    );
    for (const file of files) expect(existsSync(file)).toBe(true);
    expect(read(join(root, ".changeset", "factor-question-marks.md"))).toMatch(
      /^---\n"@profilekit\/factor-question-marks": minor\n---\n/,
    );
  });

  it("gives package.json the shape of the existing factor packages", () => {
    const root = tempRoot();
    const { directory } = scaffoldFactor({ root, id: "question-marks" });
    const generated = json(join(directory, "package.json"));
    const existing = json(join(repo, "packages", "factors", "novelty", "package.json"));
    expect(Object.keys(generated)).toEqual(Object.keys(existing));
    for (const field of ["type", "sideEffects", "engines", "exports", "files", "publishConfig", "license"]) {
      expect(generated[field], field).toEqual(existing[field]);
    }
    expect(generated.scripts).toMatchObject({
      build: existing.scripts.build,
      typecheck: existing.scripts.typecheck,
      test: existing.scripts.test,
    });
    expect(generated.name).toBe("@profilekit/factor-question-marks");
    // versions come from the spec package of the root it scaffolds into
    expect(generated.dependencies).toEqual({ "@profilekit/spec": "9.9.9", zod: "^4.0.0" });
    for (const name of ["tsconfig.json", "tsconfig.build.json", "vitest.config.ts"]) {
      expect(read(join(directory, name)), name).toBe(
        read(join(repo, "packages", "factors", "novelty", name)),
      );
    }
  });

  it("copies the repository's LICENSE into the package", () => {
    const root = tempRoot();
    writeFileSync(join(root, "LICENSE"), "Apache License\nVersion 2.0\n");
    const { directory, files } = scaffoldFactor({ root, id: "question-marks" });
    expect(files).toContain(join(directory, "LICENSE"));
    expect(read(join(directory, "LICENSE"))).toBe("Apache License\nVersion 2.0\n");
  });

  it("names the factor from its id", () => {
    const root = tempRoot();
    const { directory } = scaffoldFactor({ root, id: "question-marks" });
    const source = read(join(directory, "src", "index.ts"));
    expect(source).toContain("defineResponseFactor({");
    expect(source).toContain('id: "question-marks",');
    expect(source).toContain('title: "Question marks",');
    expect(source).toContain("export const questionMarksFactor = ");
    expect(source).toContain("export default questionMarksFactor;");
  });

  it("writes a versioned prompt for a model-extracted factor, and no zod dependency", () => {
    const root = tempRoot();
    const response = scaffoldFactor({ root, id: "tone", method: "llm" });
    expect(read(join(response.directory, "src", "index.ts"))).toContain("defineModelFactor({");
    const prompt = read(join(response.directory, "src", "prompt.ts"));
    expect(prompt).toContain('version: "tone@1",');
    expect(prompt).toContain('output: "rating",');
    expect(json(join(response.directory, "package.json")).dependencies).toEqual({
      "@profilekit/spec": "9.9.9",
    });
    const pair = scaffoldFactor({ root, id: "tone-match", method: "llm", level: "pair" });
    expect(read(join(pair.directory, "src", "prompt.ts"))).toContain('output: "comparison",');
  });

  it("uses definePairFactor for a rule at pair level", () => {
    const root = tempRoot();
    const { directory } = scaffoldFactor({ root, id: "extends-other", level: "pair" });
    expect(read(join(directory, "src", "index.ts"))).toContain("definePairFactor({");
  });

  it.each(["Bad", "1x", "a--b", "a_b", "-a", "a-", "", "a b"])("rejects the id %j", (id) => {
    const root = tempRoot();
    expect(() => scaffoldFactor({ root, id })).toThrowError(
      expect.objectContaining({ name: "ScaffoldError", code: "invalid_factor_id" }),
    );
    expect(existsSync(join(root, "packages", "factors"))).toBe(false);
  });

  it("rejects an existing factor without touching it, and unknown methods and levels", () => {
    const root = tempRoot();
    const { directory } = scaffoldFactor({ root, id: "question-marks" });
    writeFileSync(join(directory, "src", "index.ts"), "// mine");
    expect(() => scaffoldFactor({ root, id: "question-marks" })).toThrowError(
      expect.objectContaining({ code: "factor_exists" }),
    );
    expect(read(join(directory, "src", "index.ts"))).toBe("// mine");
    expect(() => scaffoldFactor({ root, id: "x", method: "model" as "llm" })).toThrowError(ScaffoldError);
    expect(() => scaffoldFactor({ root, id: "x", level: "corpus" as "pair" })).toThrowError(
      expect.objectContaining({ code: "invalid_level" }),
    );
  });
});

describe("registration with the runner", () => {
  /** A root holding copies of the runner's real built-in list and package.json. */
  function rootWithRunner(): string {
    const root = tempRoot();
    mkdirSync(join(root, "packages", "runner", "src"), { recursive: true });
    for (const file of ["src/builtins.ts", "package.json"]) {
      writeFileSync(join(root, "packages", "runner", file), read(join(repo, "packages", "runner", file)));
    }
    return root;
  }

  it("adds the factor to the runner's built-in list and dependencies, and says so in the changeset", () => {
    const root = rootWithRunner();
    const { files } = scaffoldFactor({ root, id: "question-marks" });
    expect(files.map((file) => relative(root, file))).toEqual(
      expect.arrayContaining(["packages/runner/src/builtins.ts", "packages/runner/package.json"]),
    );
    const before = read(join(repo, "packages", "runner", "src", "builtins.ts"));
    const after = read(join(root, "packages", "runner", "src", "builtins.ts"));
    // Exactly two lines more: the import, and the entry at the end of the list.
    expect(after.split("\n").length - before.split("\n").length).toBe(2);
    expect(after).toContain(
      'import questionMarks from "@profilekit/factor-question-marks";\n// scaffold:factor-imports (end)',
    );
    expect(after).toMatch(/ {2}questionMarks,\n {2}\/\/ scaffold:factors \(end\)/);
    const runner = json(join(root, "packages", "runner", "package.json"));
    expect(runner.dependencies["@profilekit/factor-question-marks"]).toBe("0.1.0");
    const names = Object.keys(runner.dependencies);
    expect(names).toEqual([...names].sort());
    expect(read(join(root, ".changeset", "factor-question-marks.md"))).toMatch(
      /^---\n"@profilekit\/factor-question-marks": minor\n"@profilekit\/runner": minor\n---\n/,
    );
  });

  it("refuses a built-in list whose markers are gone, naming them", () => {
    const root = rootWithRunner();
    writeFileSync(
      join(root, "packages", "runner", "src", "builtins.ts"),
      "export const builtinFactors = [];\n",
    );
    expect(() => scaffoldFactor({ root, id: "question-marks" })).toThrow(
      expect.objectContaining({ code: "builtins_markers_missing" }),
    );
  });
});

describe("a package of its own (--out)", () => {
  it("writes a self-contained package: its own tsconfig, Vitest config and tools, the published spec", () => {
    const root = tempRoot();
    writeFileSync(
      join(root, "package.json"),
      JSON.stringify({ devDependencies: { typescript: "^7.0.2", vitest: "^5.1.1" } }),
    );
    const out = join(root, "elsewhere", "hedges");
    const { directory, files } = scaffoldFactor({
      root,
      id: "hedges",
      out,
      name: "@acme/profilekit-factor-hedges",
    });
    expect(directory).toBe(out);
    expect(files.map((file) => relative(out, file)).sort()).toEqual(
      [
        ".gitignore",
        "README.md",
        "package.json",
        "src/index.test.ts",
        "src/index.ts",
        "tsconfig.build.json",
        "tsconfig.json",
        "vitest.config.ts",
      ].sort(),
    );
    // Nothing is written into the repository: no packages/factors/hedges, no changeset, no runner edit.
    expect(existsSync(join(root, "packages", "factors"))).toBe(false);
    expect(existsSync(join(root, ".changeset"))).toBe(false);
    const manifest = json(join(out, "package.json"));
    expect(manifest.name).toBe("@acme/profilekit-factor-hedges");
    expect(manifest.dependencies).toEqual({ "@profilekit/spec": "^9.9.9", zod: "^4.0.0" });
    expect(manifest.devDependencies).toEqual({ typescript: "^7.0.2", vitest: "^5.1.1" });
    expect(manifest.publishConfig).toEqual({ access: "public", provenance: true });
    for (const name of ["tsconfig.json", "vitest.config.ts"]) {
      expect(read(join(out, name)), name).not.toContain("@profilekit/configs");
    }
    expect(read(join(out, "README.md"))).toContain('plugins: ["@acme/profilekit-factor-hedges"]');
    expect(read(join(out, "README.md"))).not.toContain("../../../README.md");
  });

  it("names the package profilekit-factor-<id> by default, and refuses a bad name or a folder in use", () => {
    const root = tempRoot();
    writeFileSync(join(root, "package.json"), JSON.stringify({ devDependencies: {} }));
    const { directory } = scaffoldFactor({ root, id: "tone", out: join(root, "tone") });
    expect(json(join(directory, "package.json")).name).toBe("profilekit-factor-tone");
    expect(() => scaffoldFactor({ root, id: "tone", out: join(root, "tone") })).toThrowError(
      expect.objectContaining({ code: "folder_not_empty" }),
    );
    expect(() => scaffoldFactor({ root, id: "tone", out: join(root, "x"), name: "Acme/Tone" })).toThrowError(
      expect.objectContaining({ code: "invalid_package_name" }),
    );
  });
});

describe("new-factor CLI", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });

  it("scaffolds and prints the next steps", () => {
    const root = tempRoot();
    const result = run("question-marks", "--method", "rule", "--level", "response", "--root", root);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "Created packages/factors/question-marks (@profilekit/factor-question-marks)",
    );
    expect(result.stdout).toContain("Next steps:");
    expect(result.stdout).toContain("--factors question-marks");
    expect(existsSync(join(root, "packages", "factors", "question-marks", "src", "index.ts"))).toBe(true);
  });

  it("exits 2 with the error and a hint on a bad id", () => {
    const result = run("Bad_Id", "--root", tempRoot());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"Bad_Id" is not a valid factor id');
    expect(result.stderr).toContain("hint: use kebab-case");
  });
});

// The strongest check: each kind of scaffold type-checks, passes its own tests and is lint-clean.
// (About 4 s per kind: it runs tsc, vitest and biome on the generated package.)
describe("generated packages", () => {
  const node = (file: string, args: string[], cwd: string) => {
    const env = {
      ...Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !/^(VITEST|FORCE_COLOR)/.test(key)),
      ),
      NO_COLOR: "1",
    };
    return execFileSync(process.execPath, [join(repo, "node_modules", file), ...args], {
      cwd,
      env,
      encoding: "utf8",
      stdio: "pipe",
    });
  };

  it("a package of its own (rule/response) type-checks, builds and passes its tests", () => {
    const directory = join(tempRoot(), "hedges");
    scaffoldFactor({ root: repo, id: "hedges", out: directory, name: "@acme/profilekit-factor-hedges" });
    node("typescript/bin/tsc", ["-p", "tsconfig.json", "--noEmit"], directory);
    node("typescript/bin/tsc", ["-p", "tsconfig.build.json"], directory);
    expect(readdirSync(join(directory, "dist")).sort()).toEqual(["index.d.ts", "index.js"]);
    expect(node("vitest/vitest.mjs", ["run"], directory)).toMatch(/Tests\s+\S*\s*\d+ passed/);
    node("@biomejs/biome/bin/biome", ["check", directory], repo);
  });

  it.each([
    { id: "q", method: "rule", level: "response" },
    { id: "a-rather-long-factor-identifier-for-layout", method: "rule", level: "pair" },
    { id: "tone", method: "llm", level: "response" },
    { id: "a-rather-long-model-factor-identifier-pair", method: "llm", level: "pair" },
  ] as const)(
    "$method/$level ($id) type-checks, passes its tests and lints clean",
    ({ id, method, level }) => {
      const root = tempRoot();
      const { directory } = scaffoldFactor({ root, id, method, level });
      node("typescript/bin/tsc", ["-p", "tsconfig.json", "--noEmit"], directory);
      expect(node("vitest/vitest.mjs", ["run"], directory)).toMatch(/Tests\s+\S*\s*\d+ passed/);
      node("@biomejs/biome/bin/biome", ["check", directory], repo);
    },
  );
});
