import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseConfig } from "./study-config.js";
import type { StudyConfig } from "./study.js";
import type { StudyStage } from "./study-stage.js";
import { canonicalHash, ProfilekitError } from "@profilekit/spec";

/** The names `profilekit run` looks for, in this order, when --config is not given. */
export const configFileNames = [
  "profilekit.config.ts",
  "profilekit.config.mts",
  "profilekit.config.mjs",
  "profilekit.config.js",
  "profilekit.config.json",
] as const;

const exists = (path: string) =>
  stat(path).then(
    (info) => info.isFile(),
    () => false,
  );

/** The config file: `explicit` when given (relative to cwd), else the first of configFileNames in cwd. */
export async function findConfigFile(explicit: string | undefined, cwd: string): Promise<string> {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (!(await exists(path))) {
      throw new ProfilekitError("file_not_found", `config file ${explicit} does not exist`, {
        location: { file: explicit },
        hint: "create one with `profilekit init`, or give its path with --config",
      });
    }
    return path;
  }
  for (const name of configFileNames) {
    const path = join(cwd, name);
    if (await exists(path)) return path;
  }
  throw new ProfilekitError(
    "config_not_found",
    `no profilekit.config.ts (or .mts, .mjs, .js, .json) in ${cwd}`,
    {
      hint: "create one with `profilekit init`, or give its path with --config",
    },
  );
}

const nodeVersionHint =
  "a profilekit.config.ts is imported by Node's built-in TypeScript support (type stripping), on by default " +
  `from Node 22.18 and 23.6 (24 recommended); this is Node ${process.versions.node}. ` +
  "Upgrade Node, or write the config as profilekit.config.mjs or .json";

/** Imports a JS or TS config module and returns its default export, with errors a user can act on. */
async function importConfigModule(file: string): Promise<unknown> {
  const text = await readFile(file);
  // The query makes an edited config load afresh within one process (the tests run `run` twice).
  const url = `${pathToFileURL(file).href}?v=${canonicalHash(text.toString("base64"))}`;
  let module: Record<string, unknown>;
  try {
    module = await import(url);
  } catch (error) {
    throw importError(file, error);
  }
  if (!("default" in module) || module.default === undefined) {
    throw new ProfilekitError("invalid_config", `${file} has no default export`, {
      location: { file },
      hint: "write `export default { ... }` (profilekit init writes a commented one)",
    });
  }
  return module.default;
}

function importError(file: string, error: unknown): ProfilekitError {
  if (error instanceof ProfilekitError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ERR_UNKNOWN_FILE_EXTENSION") {
    return new ProfilekitError("config_unsupported", `cannot import ${file}: ${message}`, {
      location: { file },
      hint: nodeVersionHint,
      cause: error,
    });
  }
  if (code === "ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING") {
    return new ProfilekitError(
      "config_unsupported",
      `cannot import ${file}: Node does not strip types under node_modules`,
      {
        location: { file },
        hint: "keep profilekit.config.ts in your project folder, or write it as .mjs or .json",
        cause: error,
      },
    );
  }
  if (code === "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX") {
    return new ProfilekitError("config_unsupported", `cannot import ${file}: ${message}`, {
      location: { file },
      hint: "Node strips types but does not compile TypeScript: write the config without enum, namespace or parameter properties",
      cause: error,
    });
  }
  if (code === "ERR_MODULE_NOT_FOUND" && /['"]profilekit['"]/.test(message)) {
    return new ProfilekitError(
      "config_load_failed",
      `${file} imports "profilekit", which is not installed where it can be found`,
      {
        location: { file },
        hint: "install it in the project (npm install --save-dev profilekit), or drop the import and export a plain object",
        cause: error,
      },
    );
  }
  return new ProfilekitError("config_load_failed", `cannot load ${file}: ${message}`, {
    location: { file },
    hint:
      error instanceof SyntaxError
        ? "fix the syntax error in the config file"
        : "the config module threw while it was imported; fix the error above",
    cause: error,
  });
}

/**
 * Reads, imports and validates a config file (.ts, .mts, .mjs, .js or .json); `stages`: the
 * registered stages whose settings it may hold (see StudyStage).
 */
export async function loadConfig(
  file: string,
  options: { readonly stages?: readonly StudyStage[] } = {},
): Promise<StudyConfig> {
  const path = isAbsolute(file) ? file : resolve(file);
  let value: unknown;
  if (path.endsWith(".json")) {
    const text = await readFile(path, "utf8");
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ProfilekitError("invalid_config", `${path} is not valid JSON: ${(error as Error).message}`, {
        location: { file: path },
      });
    }
  } else {
    value = await importConfigModule(path);
  }
  return { file: path, dir: dirname(path), config: parseConfig(value, path, options.stages) };
}
