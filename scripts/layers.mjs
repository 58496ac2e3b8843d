// The dependency direction of the workspace, and a checker for it:
//   apps -> (refine, report) -> runner -> tasks, factors, llm, data, core -> spec
// A package may depend on (and import) only packages of a lower layer. `node scripts/layers.mjs`
// prints every violation and exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { init, parse } from "es-module-lexer";

/** The layer of a workspace package, by name; higher layers may use lower ones only. */
export function layerOf(name) {
  if (name === "@profilekit/spec") return 0;
  if (/^@profilekit\/(core|data|llm|factor-.+|task-.+)$/.test(name)) return 1;
  if (name === "@profilekit/runner") return 2;
  if (name === "@profilekit/refine" || name === "@profilekit/report") return 3;
  if (name.startsWith("@profilekit-examples/")) return 5; // example users of profilekit, the CLI included
  return 4; // the apps: profilekit, the CLI
}

const layerNames = [
  "spec",
  "core, data, llm, factors, tasks",
  "runner",
  "refine, report",
  "apps",
  "examples",
];

/** Workspace folders holding a package.json, under the workspace globs of the root package.json. */
export function workspacePackages(root) {
  const globs = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces;
  const folders = [];
  for (const glob of globs) {
    if (glob.endsWith("/*")) {
      const base = join(root, glob.slice(0, -2));
      let entries = [];
      try {
        entries = readdirSync(base);
      } catch {
        continue;
      }
      for (const entry of entries) folders.push(join(base, entry));
    } else folders.push(join(root, glob));
  }
  return folders.flatMap((dir) => {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return [{ dir, manifest }];
    } catch {
      return [];
    }
  });
}

function sourceFiles(dir) {
  const files = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (entry === "node_modules" || entry === "dist") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry)) files.push(path);
  }
  return files;
}

/**
 * The packages a TypeScript or JavaScript file imports: static and dynamic imports, type-only
 * imports and re-exports, by package name (`@scope/name` of `@scope/name/sub`). es-module-lexer
 * reads the module syntax, so an import written inside a string or a comment is not one.
 */
export async function importedPackages(text) {
  await init;
  const [imports] = parse(text);
  const names = new Set();
  for (const { specifier } of imports) {
    if (typeof specifier !== "string" || specifier.startsWith(".") || specifier.startsWith("node:")) continue;
    const parts = specifier.split("/");
    names.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]);
  }
  return [...names];
}

/** Test, fixture and benchmark code: it does not ship, so it may use its own layer's peers. */
const devOnly = (file) => /\.test\.ts$|[/\\]__fixtures__[/\\]|[/\\]bench[/\\]/.test(file);

/**
 * Every place a package uses a package it may not: what ships (dependencies, peerDependencies,
 * and imports in source files) points strictly down, and a layer-1 package (core, data, llm, a
 * factor, a task) uses spec alone; what does not ship (devDependencies, and imports in tests,
 * fixtures and benchmarks) may also use a peer of its own layer, e.g. llm's tests use the real
 * factor packages' prompts. Returns human-readable violations.
 */
export async function layerViolations(root) {
  const packages = workspacePackages(root);
  const internal = new Set(packages.map(({ manifest }) => manifest.name));
  const problems = [];
  const check = (from, to, where, dev) => {
    if (!internal.has(to) || to === from) return;
    const a = layerOf(from);
    const b = layerOf(to);
    // Layer 1 packages may use spec only; every other layer, anything strictly below it.
    const allowed = (a === 1 ? b === 0 : b < a) || (dev && b === a && a < 4);
    if (!allowed) {
      problems.push(
        `${where}: ${from} (${layerNames[a]}) uses ${to} (${layerNames[b]}); dependencies point down only: ` +
          "apps -> refine, report -> runner -> tasks, factors, llm, data, core -> spec",
      );
    }
  };
  for (const { dir, manifest } of packages) {
    for (const field of ["dependencies", "devDependencies", "peerDependencies"]) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        check(
          manifest.name,
          name,
          `${relative(root, join(dir, "package.json"))} ${field}`,
          field === "devDependencies",
        );
      }
    }
    for (const file of [...sourceFiles(join(dir, "src")), ...sourceFiles(join(dir, "bench"))]) {
      for (const name of await importedPackages(readFileSync(file, "utf8"))) {
        check(manifest.name, name, relative(root, file), devOnly(file));
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = await layerViolations(join(fileURLToPath(new URL("..", import.meta.url))));
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}
