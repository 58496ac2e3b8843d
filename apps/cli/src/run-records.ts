import { open } from "node:fs/promises";
import { LabelSchema, ManifestationSchema, ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { formatFieldPath } from "./field-path.js";

// Reading back the line files of a run folder (labels.jsonl, manifestations.jsonl), line by line,
// with errors that name the file and line.

/** One line of labels.jsonl. */
export const LabelLineSchema = z.object({
  pairId: z.string().min(1),
  label: LabelSchema,
  group: z.string().min(1).optional(),
});

/** The part of a manifestations.jsonl line the figures read (error and meta are dropped). */
export const ManifestationLineSchema = ManifestationSchema.pick({
  pairId: true,
  factor: true,
  valueA: true,
  valueB: true,
  sign: true,
});

/** The non-blank lines of a file with their 1-based numbers, read as a stream. */
export async function* fileLines(file: string): AsyncGenerator<{ line: number; text: string }> {
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

export function parseLine<T>(file: string, line: number, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProfilekitError(
      "malformed_json",
      `${file}:${line} is not valid JSON: ${(error as Error).message}`,
      {
        location: { file, line },
        hint: "run files are written by profilekit; re-create the run folder rather than editing it",
      },
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatFieldPath(issue.path);
    throw new ProfilekitError(
      "invalid_run_file",
      `${file}:${line} is not a valid record: ${field === "" ? "" : `${field}: `}${issue.message}`,
      {
        location: { file, line, ...(field === "" ? {} : { field }) },
        hint: "run files are written by profilekit; re-create the run folder rather than editing it",
      },
    );
  }
  return parsed.data;
}
