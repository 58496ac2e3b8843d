import { readFile, stat } from "node:fs/promises";
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import { ProfilekitError } from "@profilekit/spec";
import { importModule } from "./module-import.js";
import { parseConfig } from "./study-config.js";
import type { StudyConfig } from "./study.js";
import type { StudyStage } from "./study-stage.js";

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

/** Imports a JS or TS config module and returns its default export, with errors a user can act on. */
async function importConfigModule(file: string): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    module = await importModule(file, true);
  } catch (error) {
    throw importError(file, error);
  }
  if (module.default === undefined) {
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
  // jiti's messages end with the require stack, and its parse errors put the place on a second line.
  const brief = message
    .replace(/\nRequire stack:[\s\S]*$/, "")
    .replace(/\s*\n\s*/g, " ")
    .trim();
  if ((code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") && /['"]profilekit['"]/.test(brief)) {
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
  // A syntax error: Node's SyntaxError (.mjs), or the ParseError of jiti's parser (.ts, .mts, .js).
  const syntax = error instanceof SyntaxError || /^ParseError\b/.test(message);
  return new ProfilekitError("config_load_failed", `cannot load ${file}: ${brief}`, {
    location: { file },
    hint: syntax
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
  const extension = extname(path);
  if (!configFileNames.some((name) => extname(name) === extension)) {
    throw new ProfilekitError("config_unsupported", `cannot load ${path}: ${extension || "no"} extension`, {
      location: { file: path },
      hint: "name the config .ts, .mts, .mjs, .js or .json (profilekit init writes profilekit.config.ts)",
    });
  }
  let value: unknown;
  if (extension === ".json") {
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
