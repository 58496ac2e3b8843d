import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The CLI's own version, from its package.json. */
export const cliVersion: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;

/** Versions of the packages a run used, for manifest.json; a package that cannot be found is "unknown". */
export function packageVersions(names: readonly string[]): Record<string, string> {
  const versions: Record<string, string> = { profilekit: cliVersion };
  for (const name of names) {
    try {
      versions[name] = require(`${name}/package.json`).version;
    } catch {
      versions[name] = "unknown";
    }
  }
  return versions;
}
