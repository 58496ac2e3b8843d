import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { ProfilekitError } from "@profilekit/spec";

const kind = (path: string) =>
  stat(path).then(
    (info) => (info.isDirectory() ? "directory" : "file"),
    () => undefined,
  );

/** The conditions tried in an `exports` target, in order: an ESM import by Node. */
const conditions = ["import", "node", "default"] as const;

function conditionalTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const entry of target) {
      const found = conditionalTarget(entry);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (target !== null && typeof target === "object") {
    const record = target as Record<string, unknown>;
    for (const condition of conditions) {
      if (condition in record) return conditionalTarget(record[condition]);
    }
  }
  return undefined;
}

/** The target of `subpath` ("." or "./x") in a package.json `exports` field (exact keys only, no patterns). */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === "string" || Array.isArray(exports))
    return subpath === "." ? conditionalTarget(exports) : undefined;
  if (exports === null || typeof exports !== "object") return undefined;
  const record = exports as Record<string, unknown>;
  const hasSubpaths = Object.keys(record).some((key) => key.startsWith("."));
  if (!hasSubpaths) return subpath === "." ? conditionalTarget(record) : undefined;
  return subpath in record ? conditionalTarget(record[subpath]) : undefined;
}

/**
 * The module file of a package folder for an ESM import: its `exports` entry for `subpath`
 * (conditions import, node, default), else for "." its `main`, else index.js.
 */
async function packageEntry(packageDir: string, subpath: string, spec: string): Promise<string> {
  const manifestPath = join(packageDir, "package.json");
  let manifest: { exports?: unknown; main?: unknown } = {};
  try {
    manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new ProfilekitError(
        "plugin_not_found",
        `cannot read ${manifestPath} (for "${spec}"): ${(error as Error).message}`,
      );
    }
  }
  let target: string | undefined;
  if (manifest.exports !== undefined) {
    target = exportTarget(manifest.exports, subpath);
    if (target === undefined) {
      throw new ProfilekitError(
        "plugin_not_found",
        `"${spec}": ${manifestPath} exports no "${subpath}" for import`,
        {
          hint: 'the package\'s "exports" needs an "import" or "default" entry',
        },
      );
    }
  } else if (subpath !== ".") {
    target = subpath;
  } else {
    target = typeof manifest.main === "string" ? manifest.main : "index.js";
  }
  const file = resolve(packageDir, target);
  if ((await kind(file)) !== "file") {
    throw new ProfilekitError("plugin_not_found", `"${spec}" resolves to ${file}, which does not exist`, {
      hint: "if it is a workspace or local package, build it first (its dist/ is missing)",
    });
  }
  return file;
}

/** Splits "@scope/name/sub" into the package name and the "./sub" subpath. */
function splitPackageSpec(spec: string): { name: string; subpath: string } {
  const parts = spec.split("/");
  const size = spec.startsWith("@") ? 2 : 1;
  const rest = parts.slice(size).join("/");
  return { name: parts.slice(0, size).join("/"), subpath: rest === "" ? "." : `./${rest}` };
}

const isPathSpec = (spec: string) =>
  spec === "." || spec === ".." || spec.startsWith("./") || spec.startsWith("../") || isAbsolute(spec);

/**
 * The file an ESM import of `spec` loads when written in a module of folder `fromDir`: a
 * relative or absolute path (a module file, or a package folder) is taken from `fromDir`; a
 * package name is looked up in node_modules of `fromDir` and each folder above it, as Node does.
 */
export async function resolveModule(spec: string, fromDir: string): Promise<string> {
  if (isPathSpec(spec)) {
    const path = resolve(fromDir, spec);
    const found = await kind(path);
    if (found === "directory") return packageEntry(path, ".", spec);
    if (found === "file") return path;
    throw new ProfilekitError("plugin_not_found", `"${spec}" does not exist (looked for ${path})`, {
      hint: "a relative path is taken from the config file's folder",
    });
  }
  const { name, subpath } = splitPackageSpec(spec);
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if ((await kind(candidate)) === "directory") return packageEntry(candidate, subpath, spec);
    if (dirname(dir) === dir) break;
  }
  throw new ProfilekitError(
    "plugin_not_found",
    `package "${name}" is not installed where ${fromDir} can see it`,
    {
      hint: `install it (npm install ${name}) in the project of the config file, or give a path starting with ./`,
    },
  );
}
