import { readFile } from "node:fs/promises";

/** A JSON file a run wrote, parsed. */
export const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

/** A JSON Lines file a run wrote: one parsed record a line, empty lines passed over. */
export const readLines = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
