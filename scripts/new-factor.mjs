#!/usr/bin/env node
// Scaffolds a factor package: packages/factors/<id>/ with package.json, tsconfigs, vitest config,
// README, a working src/index.ts and a passing src/index.test.ts, plus a changeset. With --out, a
// package of its own outside the repository instead (a third-party factor, published on its own:
// docs/publishing.md), which depends on the published @profilekit/spec and builds and tests with
// its own TypeScript and Vitest.
//
//   node scripts/new-factor.mjs <id> [--method rule|llm] [--level response|pair] [--root <repo>]
//   node scripts/new-factor.mjs <id> --out <folder> [--name <package name>] [--method ...] [--level ...]
//
// The logic is importable: `scaffoldFactor({ root, id, method, level, out, name })`.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** The factor id pattern of @profilekit/spec's FactorMetadataSchema. */
const FACTOR_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** An npm package name: lowercase, optionally scoped. */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const METHODS = ["rule", "llm"];
const LEVELS = ["response", "pair"];

/** A usage error of the generator, with a stable code and a hint. */
export class ScaffoldError extends Error {
  name = "ScaffoldError";
  /**
   * @param {string} code
   * @param {string} message
   * @param {string} hint
   */
  constructor(code, message, hint) {
    super(message);
    this.code = code;
    this.hint = hint;
  }
}

/**
 * Creates packages/factors/<id>/ and .changeset/factor-<id>.md under `root`; with `out`, a package
 * of its own in that folder (named `name`, default profilekit-factor-<id>), with the versions of
 * `root`'s @profilekit/spec, TypeScript and Vitest.
 * @param {{ root: string, id: string, method?: "rule" | "llm", level?: "response" | "pair", out?: string, name?: string }} request
 * @returns {{ directory: string, files: string[] }} the package directory and every file written
 */
export function scaffoldFactor({ root, id, method = "rule", level = "response", out, name }) {
  if (!FACTOR_ID.test(id)) {
    throw new ScaffoldError(
      "invalid_factor_id",
      `"${id}" is not a valid factor id`,
      "use kebab-case: lowercase letters and digits in words joined by '-', starting with a letter (e.g. question-marks)",
    );
  }
  if (!METHODS.includes(method)) {
    throw new ScaffoldError("invalid_method", `unknown method "${method}"`, "use --method rule or llm");
  }
  if (!LEVELS.includes(level)) {
    throw new ScaffoldError("invalid_level", `unknown level "${level}"`, "use --level response or pair");
  }
  if (out !== undefined) return scaffoldStandalone({ root, id, method, level, out, name });
  const directory = join(root, "packages", "factors", id);
  if (existsSync(directory)) {
    throw new ScaffoldError(
      "factor_exists",
      `factor "${id}" already exists at ${directory}`,
      "pick another id, or edit the existing package",
    );
  }
  const spec = JSON.parse(readFileSync(join(root, "packages", "spec", "package.json"), "utf8"));
  const names = { id, camel: camelCase(id), title: titleCase(id), method, level };
  const written = writeFiles(directory, {
    "package.json": packageJson(id, spec, method === "rule" && level === "response"),
    "tsconfig.json": TSCONFIG,
    "tsconfig.build.json": TSCONFIG_BUILD,
    "vitest.config.ts": VITEST_CONFIG,
    "README.md": readme(names),
    // Every package ships the repository's license text (npm run lint checks the tarball).
    ...(existsSync(join(root, "LICENSE")) ? { LICENSE: readFileSync(join(root, "LICENSE"), "utf8") } : {}),
    ...sources(names),
  });
  const builtin = registerBuiltin(root, names);
  written.push(...builtin);
  const changeset = join(root, ".changeset", `factor-${id}.md`);
  mkdirSync(dirname(changeset), { recursive: true });
  writeFileSync(changeset, changesetText({ ...names, builtin: builtin.length > 0 }));
  written.push(changeset);
  return { directory, files: written };
}

/** The factor's source and tests, the same inside the repository and out. */
function sources(names) {
  const { method, level } = names;
  const files = {
    "src/index.ts":
      method === "llm" ? llmSource(names) : level === "pair" ? pairSource(names) : responseSource(names),
    "src/index.test.ts":
      method === "llm" ? llmTest(names) : level === "pair" ? pairTest(names) : responseTest(names),
  };
  if (method === "llm") files["src/prompt.ts"] = llmPrompt(names);
  return files;
}

/** Writes each file (path relative to `directory`) and returns their paths. */
function writeFiles(directory, files) {
  const written = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(directory, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(path);
  }
  return written;
}

/** A factor package of its own, in `out`: see scaffoldFactor. */
function scaffoldStandalone({ root, id, method, level, out, name = `profilekit-factor-${id}` }) {
  if (!PACKAGE_NAME.test(name) || name.length > 214) {
    throw new ScaffoldError(
      "invalid_package_name",
      `"${name}" is not a valid npm package name`,
      "use lowercase letters, digits, '-', '.' and '_', optionally under a scope: @acme/profilekit-factor-hedging",
    );
  }
  const directory = resolve(out);
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new ScaffoldError(
      "folder_not_empty",
      `${directory} is not empty`,
      "give --out a new or empty folder: the package is written there, at its top",
    );
  }
  const spec = JSON.parse(readFileSync(join(root, "packages", "spec", "package.json"), "utf8"));
  const tools = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies;
  const names = { id, camel: camelCase(id), title: titleCase(id), method, level, name };
  const files = writeFiles(directory, {
    "package.json": standalonePackageJson(names, spec, tools, method === "rule" && level === "response"),
    "tsconfig.json": STANDALONE_TSCONFIG,
    "tsconfig.build.json": TSCONFIG_BUILD,
    "vitest.config.ts": STANDALONE_VITEST_CONFIG,
    ".gitignore": "node_modules/\ndist/\n*.tgz\n",
    "README.md": standaloneReadme(names),
    ...sources(names),
  });
  return { directory, files };
}

/** The runner's list of built-in factors, and the markers between which the scaffold adds one. */
const BUILTINS = join("packages", "runner", "src", "builtins.ts");
const IMPORTS_END = "// scaffold:factor-imports (end)";
const FACTORS_END = "  // scaffold:factors (end)";

/**
 * Adds the new factor to the runner's built-in list (packages/runner/src/builtins.ts) and to the
 * runner's dependencies, so that `profilekit analyze --factors <id>` finds it by id with no other
 * edit. A root without the runner (a scaffold outside the repository) is left as it is. Returns
 * the files changed.
 */
function registerBuiltin(root, { id, camel }) {
  const list = join(root, BUILTINS);
  const manifest = join(root, "packages", "runner", "package.json");
  if (!existsSync(list) || !existsSync(manifest)) return [];
  const source = readFileSync(list, "utf8");
  if (!source.includes(IMPORTS_END) || !source.includes(FACTORS_END)) {
    throw new ScaffoldError(
      "builtins_markers_missing",
      `${BUILTINS} lacks the scaffold markers`,
      `restore the "${IMPORTS_END}" and "${FACTORS_END.trim()}" lines, then scaffold again`,
    );
  }
  writeFileSync(
    list,
    source
      .replace(IMPORTS_END, `import ${camel} from "@profilekit/factor-${id}";\n${IMPORTS_END}`)
      .replace(FACTORS_END, `  ${camel},\n${FACTORS_END}`),
  );
  const runner = JSON.parse(readFileSync(manifest, "utf8"));
  runner.dependencies = Object.fromEntries(
    Object.entries({ ...runner.dependencies, [`@profilekit/factor-${id}`]: "0.1.0" }).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    ),
  );
  writeFileSync(manifest, `${JSON.stringify(runner, null, 2)}\n`);
  return [list, manifest];
}

/** What to do after scaffolding, for the CLI to print. */
export function nextSteps({ root, id, directory }) {
  const where = relative(root, directory) || directory;
  return [
    `Created ${where} (@profilekit/factor-${id}) and .changeset/factor-${id}.md.`,
    "",
    "Next steps:",
    "  1. npm install                      # link the new workspace package",
    `  2. cd ${where} && npx tsc -p tsconfig.build.json && npx vitest run`,
    "  3. Replace every TODO in src/index.ts, src/index.test.ts and README.md with your factor,",
    "     and its tests with hand-computed examples.",
    `  4. npm run build, then: npx profilekit analyze data/summeval-subset.jsonl.gz --factors ${id}`,
    "     (inside the repository the factor is already in the runner's built-in list).",
    `  5. Describe it for users in .changeset/factor-${id}.md.`,
  ].join("\n");
}

/** What to do after scaffolding a package of its own. */
function standaloneNextSteps({ directory, id }) {
  return [
    `Created ${directory} (a factor package of its own).`,
    "",
    "Next steps (docs/publishing.md):",
    `  1. cd ${directory} && npm install`,
    "  2. npm run build && npm test",
    "  3. Replace every TODO in src/index.ts, src/index.test.ts and README.md with your factor.",
    `  4. Load it by name from a profilekit.config.ts: plugins: ["<this package>"], factors: ["${id}"].`,
    "  5. Publish from CI with provenance (npm publish --provenance); see docs/publishing.md.",
  ].join("\n");
}

function camelCase(id) {
  return id.replace(/-([a-z0-9])/g, (_, letter) => letter.toUpperCase());
}

function titleCase(id) {
  const words = id.replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function packageJson(id, spec, usesZod) {
  const zod = usesZod ? `, "zod": "${spec.dependencies.zod}"` : "";
  // The shape of the existing factor packages, formatted as they are.
  return `{
  "name": "@profilekit/factor-${id}",
  "version": "0.1.0",
  "description": "profilekit factor: TODO one line on what it measures.",
  "keywords": ["profilekit", "preference", "evaluation"],
  "license": "Apache-2.0",
  "type": "module",
  "sideEffects": false,
  "engines": { "node": ">=22.12" },
  "exports": {
    ".": { "types": "./dist/index.d.ts", "import": "./dist/index.js" },
    "./package.json": "./package.json"
  },
  "files": ["dist", "README.md"],
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "test": "vitest run"
  },
  "publishConfig": { "access": "public", "provenance": true },
  "dependencies": { "@profilekit/spec": "${spec.version}"${zod} }
}
`;
}

const TSCONFIG = `{
  "extends": "@profilekit/configs/tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist" },
  "include": ["src"]
}
`;

const TSCONFIG_BUILD = `{
  "extends": "./tsconfig.json",
  "exclude": ["src/**/*.test.ts", "src/**/*.bench.ts"]
}
`;

const VITEST_CONFIG = `export { default } from "@profilekit/configs/vitest";
`;

function standalonePackageJson({ name }, spec, tools, usesZod) {
  const zod = usesZod ? `, "zod": "${spec.dependencies.zod}"` : "";
  return `{
  "name": "${name}",
  "version": "0.1.0",
  "description": "profilekit factor: TODO one line on what it measures.",
  "keywords": ["profilekit", "profilekit-plugin", "preference", "evaluation"],
  "license": "Apache-2.0",
  "type": "module",
  "sideEffects": false,
  "engines": { "node": ">=22.12" },
  "exports": {
    ".": { "types": "./dist/index.d.ts", "import": "./dist/index.js" },
    "./package.json": "./package.json"
  },
  "files": ["dist", "README.md"],
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "test": "vitest run",
    "prepublishOnly": "npm run build && npm test"
  },
  "publishConfig": { "access": "public", "provenance": true },
  "dependencies": { "@profilekit/spec": "^${spec.version}"${zod} },
  "devDependencies": { "typescript": "${tools.typescript}", "vitest": "${tools.vitest}" }
}
`;
}

// profilekit's own settings (configs/tsconfig.base.json), for a package outside its workspace.
const STANDALONE_TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2023",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "noImplicitOverride": true,
    "verbatimModuleSyntax": true,
    "isolatedModules": true,
    "declaration": true,
    "skipLibCheck": true,
    "types": [],
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"]
}
`;

const STANDALONE_VITEST_CONFIG = `import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["src/**/*.test.ts"], environment: "node", passWithNoTests: false },
});
`;

function responseSource({ id, camel, title }) {
  return `import { defineResponseFactor } from "@profilekit/spec";
import { z } from "zod";

// TODO: this scaffold counts question marks. Replace the definition, reference and measure.
export const ${camel}OptionsSchema = z.strictObject({
  /** Per 100 words instead of in total. */
  per100Words: z.boolean().default(false),
});

export const ${camel}Factor = defineResponseFactor({
  id: "${id}",
  title: "${title}",
  definition: "More = more question marks in the response (TODO: what more of this factor means).",
  reference: "TODO: where the measure comes from.",
  options: ${camel}OptionsSchema,
  measure: (text, { options }) => {
    const marks = text.split("?").length - 1;
    if (!options.per100Words) return marks;
    const words = text.match(/\\S+/g)?.length ?? 0;
    return words === 0 ? null : (100 * marks) / words;
  },
});

export default ${camel}Factor;
`;
}

function responseTest({ id }) {
  return `import { type Pair, ruleFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import factor from "./index.js";

const pair = (a: string, b: string, id = "p"): Pair => ({ id, task: "t", a, b, label: "a" });
const measure = async (a: string, b: string, options: object = {}) =>
  (await factor.extract([pair(a, b)], { options: factor.options!.parse(options), seed: 0 }))[0]!;

// TODO: replace with hand-computed examples of your factor.
describe("${id} factor", () => {
  it("keeps the factor rules (spec's conformance checks)", async () => {
    const pairs = [pair("Why? How?", "Fine.", "p1"), pair("Fine.", "Why?", "p2"), pair("a?", "b?", "p3")];
    const expected = { id: "${id}", level: "response", pairs } as const;
    expect(await ruleFactorProblems(factor, expected)).toEqual([]);
  });

  it("gives sign(f(a) - f(b)) on hand-counted examples", async () => {
    // "Why? How?" has 2 question marks, "Fine." has 0
    expect(await measure("Why? How?", "Fine.")).toMatchObject({ valueA: 2, valueB: 0, sign: 1 });
    expect((await measure("Fine.", "Why?")).sign).toBe(-1);
    expect((await measure("a?", "b?")).sign).toBe(0);
  });

  it("counts per 100 words, and is null without words", async () => {
    // 2 marks in 2 words -> 100; 1 mark in 4 words -> 25
    const m = await measure("Why? How?", "Is it fine now?", { per100Words: true });
    expect(m).toMatchObject({ valueA: 100, valueB: 25, sign: 1 });
    expect((await measure("", "Why?", { per100Words: true })).sign).toBeNull();
  });

  it("validates its options", () => {
    expect(factor.options!.parse({})).toEqual({ per100Words: false });
    expect(factor.options!.safeParse({ per100Words: "yes" }).success).toBe(false);
  });
});
`;
}

function pairSource({ id, camel, title }) {
  return `import { definePairFactor } from "@profilekit/spec";

// TODO: this scaffold asks whether one response contains the other and adds to it.
// Replace the definition, reference and compare.
export const ${camel}Factor = definePairFactor({
  id: "${id}",
  title: "${title}",
  definition:
    "+1 when response a contains all of b's text and more, -1 for the reverse, 0 otherwise " +
    "(TODO: what more of this factor means).",
  reference: "TODO: where the measure comes from.",
  compare: ({ a, b }) => {
    if (a.length > b.length && a.includes(b)) return { sign: 1 };
    if (b.length > a.length && b.includes(a)) return { sign: -1 };
    return { sign: 0 };
  },
});

export default ${camel}Factor;
`;
}

function pairTest({ id }) {
  return `import { type Pair, ruleFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import factor from "./index.js";

const pair = (a: string, b: string, id = "p"): Pair => ({ id, task: "t", a, b, label: "a" });
const sign = async (a: string, b: string) =>
  (await factor.extract([pair(a, b)], { options: {}, seed: 0 }))[0]!.sign;

// TODO: replace with hand-computed examples of your factor.
describe("${id} factor", () => {
  it("keeps the factor rules (spec's conformance checks)", async () => {
    const pairs = [pair("Paris. It is in France.", "Paris.", "p1"), pair("Paris.", "Lyon.", "p2")];
    const expected = { id: "${id}", level: "pair", pairs } as const;
    expect(await ruleFactorProblems(factor, expected)).toEqual([]);
  });

  it("compares the two responses", async () => {
    expect(await sign("Paris. It is in France.", "Paris.")).toBe(1);
    expect(await sign("Paris.", "Paris. It is in France.")).toBe(-1);
    expect(await sign("Paris.", "Lyon.")).toBe(0);
    expect(await sign("Paris.", "Paris.")).toBe(0);
  });
});
`;
}

function llmPrompt({ id, level }) {
  const [output, instructions] =
    level === "pair"
      ? [
          "comparison",
          "TODO: Which of response A and response B shows more of <the factor>?\nGive brief reasons, then a, b or same.",
        ]
      : [
          "rating",
          "TODO: Rate <the factor> of the response from 1 to 5.\n5: ...\n1: ...\nGive brief reasons, then the rating.",
        ];
  return `import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked. Data: any change to the text needs a new version (it is in every cache key). */
export const prompt = {
  version: "${id}@1",
  output: "${output}",
  instructions: \`${instructions}\`,
} satisfies FactorPrompt;
`;
}

function llmSource({ id, camel, title, level }) {
  return `import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

// MODEL-EXTRACTED FACTOR (minimal scaffold): this package declares the factor and its prompt;
// the runner's model extractor (@profilekit/llm) makes the calls. Replace every TODO.
export const ${camel}Factor = defineModelFactor({
  id: "${id}",
  title: "${title}",
  definition: "More = TODO: what more of this factor means.",
  level: "${level}",
  reference: "TODO: where the measure comes from.",
  prompt,
});

export default ${camel}Factor;
export { prompt };
`;
}

function llmTest({ id, level }) {
  const output = level === "pair" ? "comparison" : "rating";
  return `import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import factor, { prompt } from "./index.js";

describe("${id} factor", () => {
  it("conforms as a model-extracted factor", async () => {
    // TODO: the tasks that list this factor and the inputs it cannot be measured without
    // (requires: ["source"] or ["prompt"]), as in DESIGN.md section 2.
    const problems = await modelFactorProblems(factor, {
      id: "${id}",
      level: "${level}",
      output: "${output}",
      prompt,
    });
    expect(problems).toEqual([]);
  });

  // TODO: what is specific to this factor, e.g. that the prompt anchors its scale.
});
`;
}

function readme({ id, title, method, level }) {
  const how =
    method === "llm"
      ? "A language model extracts it, through the runner's model extractor, from the prompt in `src/prompt.ts`."
      : `It is computed by rule, ${level === "pair" ? "comparing the two responses of a pair" : "on each response, compared by sign: m = sign(f(a) − f(b))"}.`;
  return `# @profilekit/factor-${id}

The \`${id}\` factor of [profilekit](../../../README.md) (${title}): **more = TODO**. ${how}

TODO: the exact definition and formula, when it is null (not measured), and its limits.

Reference: TODO (paper, URL).

## Options

TODO: the options schema and defaults, or "None."

## Example

\`\`\`ts
import ${camelCase(id)}Factor from "@profilekit/factor-${id}";

// TODO: a pair and the manifestation it gives
\`\`\`

Scaffolded inside the profilekit repository, the factor is added to the runner's built-in list
(\`packages/runner/src/builtins.ts\`), so every command finds it by id: \`--factors ${id}\`.
Published on its own, it is loaded by a config's \`plugins\` (docs/writing-a-factor.md).

## Dependencies

Only \`@profilekit/spec\`${method === "rule" && level === "response" ? " and `zod` (the options schema)" : ""}.
TODO: one line per added dependency, on why it was picked.
`;
}

function standaloneReadme(names) {
  const { id, name } = names;
  return readme(names)
    .replace(`# @profilekit/factor-${id}`, `# ${name}`)
    .replace("[profilekit](../../../README.md)", "[profilekit](https://www.npmjs.com/package/profilekit)")
    .replace(
      `import ${camelCase(id)}Factor from "@profilekit/factor-${id}";`,
      `import ${camelCase(id)}Factor from "${name}";`,
    )
    .replace(
      /Scaffolded inside the profilekit repository[\s\S]*?\(docs\/writing-a-factor\.md\)\.\n/,
      `Load it by name from a \`profilekit.config.ts\`:

\`\`\`ts
import type { ConfigInput } from "profilekit";

export default {
  task: "instruction-following",
  data: { path: "./pairs.jsonl" },
  plugins: ["${name}"],
  factors: ["length", "${id}"],
} satisfies ConfigInput;
\`\`\`

## Build, test, publish

\`npm run build\` compiles \`src/\` to \`dist/\`; \`npm test\` runs the tests in \`src/\`. Publish
from CI with provenance (\`npm publish --provenance\`, which \`publishConfig\` asks for); a
publish from your own machine has no provenance to give: \`npm publish --provenance=false\`.
profilekit's docs/publishing.md walks through it.

TODO: the scaffold says Apache-2.0, as profilekit is; put your license in \`license\` (package.json)
and its text in a LICENSE file, which npm ships with the package.
`,
    )
    .replace(/Only `@profilekit\/spec`/, "At run time, only `@profilekit/spec`")
    .concat("TypeScript and Vitest (dev): build and test.\n");
}

function changesetText({ id, builtin }) {
  return `---
"@profilekit/factor-${id}": minor${builtin ? '\n"@profilekit/runner": minor' : ""}
---

TODO: one paragraph for users on the new \`${id}\` factor: what it measures and how.
`;
}

function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      method: { type: "string", default: "rule" },
      level: { type: "string", default: "response" },
      root: { type: "string" },
      out: { type: "string" },
      name: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const usage =
    "usage: node scripts/new-factor.mjs <id> [--method rule|llm] [--level response|pair] [--root <repo>]\n" +
    "       node scripts/new-factor.mjs <id> --out <folder> [--name <package name>] [--method ...] [--level ...]";
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new ScaffoldError("usage", "expected exactly one factor id", usage);
  }
  const root = resolve(values.root ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
  const id = positionals[0];
  if (values.name !== undefined && values.out === undefined) {
    throw new ScaffoldError("usage", "--name is for a package of its own", "give --out <folder> with it");
  }
  const { directory } = scaffoldFactor({
    root,
    id,
    method: values.method,
    level: values.level,
    out: values.out,
    name: values.name,
  });
  console.log(
    values.out === undefined ? nextSteps({ root, id, directory }) : standaloneNextSteps({ directory, id }),
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ScaffoldError) && error?.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw error;
    console.error(`new-factor: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ""}`);
    process.exitCode = 2;
  }
}
