import { readFileSync } from "node:fs";

/** The CLI's own version, from its package.json. */
export const cliVersion: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;

/** The versions the CLI adds to every manifest.json it has the runner write. */
export const cliVersions: Readonly<Record<string, string>> = { profilekit: cliVersion };
