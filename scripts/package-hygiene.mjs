#!/usr/bin/env node
// What each public package ships, checked on the tarball npm would publish (`npm run lint` runs
// it after a build). Every public workspace package is found from the root's `workspaces`, so a
// new package is checked with no edit here. For each one:
//   1. `npm pack`: the tarball holds package.json, README.md, LICENSE (the root's Apache-2.0 text)
//      and the built dist/ (and the files of its `bin`), nothing else: no sources, tests, source
//      maps or build info;
//   2. publint on the tarball: exports, files and fields resolve for consumers;
//   3. @arethetypeswrong/cli on the tarball, profile esm-only: the types of every export resolve
//      under Node's ESM resolution and for bundlers. The packages are ES modules only (so the
//      profile leaves out CommonJS `require` and the pre-exports node10 resolution); attw's
//      DefinitelyTyped look-up is off, so it runs offline.
// It prints every problem and exits 1 when there is one.
//   node scripts/package-hygiene.mjs
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { workspacePackages } from "./layers.mjs";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("..", import.meta.url));

/** Files every package carries at its root. */
const required = ["package.json", "README.md", "LICENSE"];
/** What a consumer never needs from dist/. */
const notShipped = [
  [/\.test\.[cm]?[jt]s$|\.test\.d\.[cm]?ts$/, "a test"],
  [/\.map$/, "a source map (pointing at src/, which is not shipped)"],
  [/\.tsbuildinfo$/, "TypeScript build info"],
];

/** The files of a package's `bin` field, as paths inside the tarball. */
function binFiles(manifest) {
  const bin = typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {});
  return bin.map((file) => file.replace(/^\.\//, ""));
}

/**
 * What is wrong with a tarball's file list (paths as `npm pack --json` gives them), given the
 * package's manifest, its LICENSE text and the root's; an empty list when nothing is.
 * @param {{ manifest: Record<string, any>, files: string[], license: string | undefined, rootLicense: string }} tarball
 * @returns {string[]}
 */
export function tarballProblems({ manifest, files, license, rootLicense }) {
  const problems = [];
  for (const file of required) {
    if (!files.includes(file)) problems.push(`${file} is missing from the tarball`);
  }
  if (license === undefined) {
    problems.push("has no LICENSE file: copy the root's (cp LICENSE <package folder>/)");
  } else if (license !== rootLicense) {
    problems.push("LICENSE differs from the root's LICENSE: copy the root's");
  }
  if (manifest.license !== "Apache-2.0") {
    problems.push(`package.json says "license": ${JSON.stringify(manifest.license)}, not "Apache-2.0"`);
  }
  const bins = binFiles(manifest);
  for (const file of files) {
    if (required.includes(file) || bins.includes(file)) continue;
    if (!file.startsWith("dist/")) {
      problems.push(`${file} is shipped, but a consumer needs only dist/, README.md and LICENSE`);
      continue;
    }
    for (const [pattern, what] of notShipped) {
      if (pattern.test(file)) problems.push(`${file} is ${what}; delete dist/ and build again`);
    }
  }
  if (!files.some((file) => file.startsWith("dist/"))) problems.push("has no dist/: build it first");
  return problems;
}

/** Runs `tasks` (functions returning promises) at most `limit` at a time, in order of results. */
async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Runs a tool from the root's node_modules; its output when it fails, else undefined. */
async function tool(path, args) {
  try {
    await run(process.execPath, [join(repo, "node_modules", path), ...args], {
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return undefined;
  } catch (error) {
    return `${error.stdout ?? ""}${error.stderr ?? ""}`.trim() || error.message;
  }
}

async function main() {
  const packages = workspacePackages(repo).filter(({ manifest }) => !manifest.private);
  const rootLicense = readFileSync(join(repo, "LICENSE"), "utf8");
  const out = mkdtempSync(join(tmpdir(), "profilekit-packs-"));
  try {
    // One npm process packs them all; --json lists each tarball's file name and files.
    const { stdout } = await run(
      "npm",
      [
        "pack",
        "--json",
        "--ignore-scripts",
        "--pack-destination",
        out,
        ...packages.flatMap(({ dir }) => ["-w", relative(repo, dir)]),
      ],
      { cwd: repo, maxBuffer: 64 * 1024 * 1024 },
    );
    const packs = new Map(JSON.parse(stdout).map((pack) => [pack.name, pack]));
    const checks = packages.map(({ dir, manifest }) => async () => {
      const pack = packs.get(manifest.name);
      if (pack === undefined) return [manifest.name, ["npm pack did not pack it"]];
      let license;
      try {
        license = readFileSync(join(dir, "LICENSE"), "utf8");
      } catch {}
      const tarball = join(out, pack.filename);
      const problems = tarballProblems({
        manifest,
        files: pack.files.map((file) => file.path),
        license,
        rootLicense,
      });
      const publint = await tool("publint/src/cli.js", ["run", tarball, "--strict", "--pack", "false"]);
      if (publint !== undefined) problems.push(`publint:\n${publint}`);
      const attw = await tool("@arethetypeswrong/cli/dist/index.js", [
        tarball,
        "--profile",
        "esm-only",
        "--no-definitely-typed",
        "--format",
        "ascii",
        "--no-emoji",
      ]);
      if (attw !== undefined) problems.push(`attw:\n${attw}`);
      return [manifest.name, problems];
    });
    const results = await pool(checks, Math.max(1, availableParallelism()));
    let failed = 0;
    for (const [name, problems] of results) {
      if (problems.length === 0) continue;
      failed++;
      console.error(
        `${name}:\n${problems.map((problem) => `  - ${problem.replaceAll("\n", "\n    ")}`).join("\n")}`,
      );
    }
    const summary = `package hygiene: ${results.length - failed} of ${results.length} public packages pass (tarball contents, LICENSE, publint, attw)`;
    if (failed > 0) {
      console.error(summary);
      return 1;
    }
    console.log(summary);
    return 0;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
