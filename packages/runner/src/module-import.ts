import { readFile } from "node:fs/promises";
import { sep } from "node:path";
import { pathToFileURL } from "node:url";
import { canonicalHash } from "@profilekit/spec";
import { createJiti } from "jiti";

// Node decides whether a .ts or .js file is an ES module or CommonJS from the nearest
// package.json's "type". A config or a local plugin is written with `export default`, but the
// project it sits in is the user's: `npm init -y` writes "type": "commonjs", and there Node loads
// profilekit.config.ts as CommonJS and fails at its first `import`. Node has no option to load one
// file as ESM whatever its package.json says, so these files go through jiti, which reads ESM and
// CommonJS, with or without types, in any project (and on every Node profilekit supports, with no
// type stripping needed). A module Node cannot misread, .mjs or .cjs, or a published package's
// JavaScript (its own package.json says its type), is imported by Node itself.
const jiti = createJiti(import.meta.url, {
  // Nothing is written to the user's node_modules or the temp folder; a config is small.
  fsCache: false,
  // An edited config or plugin loads afresh within one process (the tests run `run` twice).
  moduleCache: false,
});

const nodeReadsRightly = (file: string) =>
  /\.[mc]js$/.test(file) || (file.endsWith(".js") && file.split(sep).includes("node_modules"));

/**
 * Imports a config or plugin module, whatever the package.json of its project says, and returns
 * its exports (`default` for a CommonJS module's `module.exports`). `fresh` reloads a module
 * Node imports itself when its content has changed since it was last imported.
 */
export async function importModule(file: string, fresh = false): Promise<Record<string, unknown>> {
  if (nodeReadsRightly(file)) {
    const url = pathToFileURL(file).href;
    const version = fresh ? `?v=${canonicalHash((await readFile(file)).toString("base64"))}` : "";
    return import(url + version);
  }
  return jiti.import<Record<string, unknown>>(file);
}
