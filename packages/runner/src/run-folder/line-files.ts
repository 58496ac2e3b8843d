import { open } from "node:fs/promises";
import { ProfilekitError } from "@profilekit/spec";
import type { z } from "zod";
import { formatFieldPath } from "../field-path.js";

// Reading the files of a run folder back, with errors that name the file and the line.

const rerun = "run files are written by profilekit; re-create the run folder rather than editing it";

/** The non-blank lines of a file with their 1-based numbers, read as a stream. */
async function* fileLines(file: string): AsyncGenerator<{ line: number; text: string }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProfilekitError(
      code === "ENOENT" ? "file_not_found" : "unreadable_input",
      code === "ENOENT" ? `${file} does not exist` : `cannot read ${file}: ${code ?? String(error)}`,
      {
        location: { file },
        hint: "give a run folder written by `profilekit analyze`, `judge` or `generate`",
        cause: error,
      },
    );
  }
  try {
    let line = 0;
    for await (const text of handle.readLines({ encoding: "utf8" })) {
      line++;
      if (text.trim() !== "") yield { line, text };
    }
  } finally {
    await handle.close();
  }
}

/** Parses one JSON text (a line, or a whole file with `line` undefined) against its schema. */
export function parseRunRecord<T>(
  file: string,
  line: number | undefined,
  text: string,
  schema: z.ZodType<T>,
): T {
  const where = line === undefined ? file : `${file}:${line}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProfilekitError("malformed_json", `${where} is not valid JSON: ${(error as Error).message}`, {
      location: { file, ...(line === undefined ? {} : { line }) },
      hint: rerun,
    });
  }
  return checkRunRecord(file, line, value, schema);
}

/**
 * Checks a value read from a run file (a line, or the whole file with `line` undefined) against
 * a schema, as `parseRunRecord` does: for a reader that needs more of a record than the schema
 * it was read with (a setting's blocks of profile.json or manifest.json, say).
 */
export function checkRunRecord<T>(
  file: string,
  line: number | undefined,
  value: unknown,
  schema: z.ZodType<T>,
): T {
  const where = line === undefined ? file : `${file}:${line}`;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatFieldPath(issue.path);
    throw new ProfilekitError(
      "invalid_run_file",
      `${where} is not a valid record: ${field === "" ? "" : `${field}: `}${issue.message}`,
      {
        location: { file, ...(line === undefined ? {} : { line }), ...(field === "" ? {} : { field }) },
        hint: rerun,
      },
    );
  }
  return parsed.data;
}

/** The records of a JSON Lines run file, each parsed against its schema, with its line number. */
export async function* runRecords<T>(
  file: string,
  schema: z.ZodType<T>,
): AsyncGenerator<{ line: number; record: T }> {
  for await (const { line, text } of fileLines(file)) {
    yield { line, record: parseRunRecord(file, line, text, schema) };
  }
}
