import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Profile, ProfileSchema } from "@profilekit/core";
import {
  ExtractionRecordSchema,
  JudgementRecordSchema,
  LabelRecordSchema,
  ManifestationSchema,
  PairSchema,
  ProfilekitError,
  ResponseRecordSchema,
  runFolderSchemaVersion,
  type StageManifest,
  StageManifestSchema,
} from "@profilekit/spec";
import { z } from "zod";
import { parseRunRecord, runRecords } from "./line-files.js";

/** profile.json as a run wrote it: the core profile, with whatever blocks its setting added. */
export type ProfileFile = Profile & Record<string, unknown>;

const VersionSchema = z.looseObject({ schemaVersion: z.unknown() });

/**
 * Refuses a file written in a format this release cannot read, before its fields are checked, so a
 * newer folder gets "upgrade profilekit" rather than a list of unknown fields.
 */
export function checkSchemaVersion(file: string, value: unknown): void {
  const version = VersionSchema.safeParse(value).data?.schemaVersion;
  if (version === undefined || version === runFolderSchemaVersion) return;
  throw new ProfilekitError(
    "unknown_schema_version",
    `${file} has schemaVersion ${JSON.stringify(version)}; this release of profilekit reads version ${runFolderSchemaVersion}`,
    {
      location: { file, field: "schemaVersion" },
      hint:
        typeof version === "number" && version > runFolderSchemaVersion
          ? "it was written by a newer profilekit: upgrade profilekit to read it"
          : "re-create the run folder with this release of profilekit",
    },
  );
}

/** Reads and validates a JSON file of a run folder; undefined when it does not exist. */
export async function readRunJson<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new ProfilekitError("unreadable_input", `cannot read ${file}: ${code ?? String(error)}`, {
      location: { file },
      hint: "check the file's permissions",
    });
  }
  const value = parseRunRecord(file, undefined, text, z.unknown());
  checkSchemaVersion(file, value);
  return parseRunRecord(file, undefined, text, schema);
}

/** One stage folder of a run (what analyze, judge or generate write, or a setting of `run`). */
export interface RunFolder {
  readonly dir: string;
  /** manifest.json; undefined while the stage has not finished (it is written last). */
  readonly manifest: StageManifest | undefined;
  readonly profile: ProfileFile;
  labels(): AsyncGenerator<{ line: number; record: z.infer<typeof LabelRecordSchema> }>;
  manifestations(): AsyncGenerator<{ line: number; record: z.infer<typeof ManifestationSchema> }>;
  judgements(): AsyncGenerator<{ line: number; record: z.infer<typeof JudgementRecordSchema> }>;
  responses(): AsyncGenerator<{ line: number; record: z.infer<typeof ResponseRecordSchema> }>;
  pairs(): AsyncGenerator<{ line: number; record: z.infer<typeof PairSchema> }>;
  /** evidence.jsonl: what the model extractor read (fact ledgers, checklists and their marks). */
  evidence(): AsyncGenerator<{ line: number; record: z.infer<typeof ExtractionRecordSchema> }>;
  /** Whether the folder holds a file of this name. */
  has(name: string): Promise<boolean>;
}

/** Opens a stage folder: reads and checks profile.json and manifest.json; the line files are read on demand. */
export async function openRunFolder(dir: string): Promise<RunFolder> {
  const profileFile = join(dir, "profile.json");
  const profile = (await readRunJson(profileFile, ProfileSchema.loose())) as ProfileFile | undefined;
  if (profile === undefined) {
    throw new ProfilekitError("file_not_found", `${dir} holds no profile.json`, {
      location: { file: profileFile },
      hint: "give a run folder written by `profilekit analyze`, `judge` or `generate`",
    });
  }
  const manifest = await readRunJson(join(dir, "manifest.json"), StageManifestSchema);
  const lines =
    <T>(name: string, schema: z.ZodType<T>) =>
    () =>
      runRecords(join(dir, name), schema);
  return {
    dir,
    manifest,
    profile,
    labels: lines("labels.jsonl", LabelRecordSchema),
    manifestations: lines("manifestations.jsonl", ManifestationSchema),
    judgements: lines("judgements.jsonl", JudgementRecordSchema),
    responses: lines("responses.jsonl", ResponseRecordSchema),
    pairs: lines("pairs.jsonl", PairSchema),
    evidence: lines("evidence.jsonl", ExtractionRecordSchema),
    has: (name) =>
      stat(join(dir, name)).then(
        (info) => info.isFile(),
        () => false,
      ),
  };
}

/**
 * A stage folder's results when the stage finished: profile.json and manifest.json (written last)
 * both present and valid. Undefined when either is missing or invalid, so the stage runs again.
 */
export async function finishedRunFolder(dir: string): Promise<RunFolder | undefined> {
  try {
    const folder = await openRunFolder(dir);
    return folder.manifest === undefined ? undefined : folder;
  } catch (error) {
    if (error instanceof ProfilekitError && error.code === "unknown_schema_version") throw error;
    return undefined;
  }
}

/**
 * A stage folder that another command wrote into a study's run folder (`profilekit judge --out
 * <run>/evaluation`): its valid profile.json and whatever its manifest.json says (only `models`
 * is read from it). Undefined when either file is missing or unreadable.
 */
export async function foundStageFolder(
  dir: string,
): Promise<{ profile: ProfileFile; manifest: Record<string, unknown> } | undefined> {
  try {
    const manifest = await readRunJson(join(dir, "manifest.json"), z.looseObject({}));
    const profile = await readRunJson(join(dir, "profile.json"), ProfileSchema.loose());
    return manifest && profile ? { profile: profile as ProfileFile, manifest } : undefined;
  } catch (error) {
    if (error instanceof ProfilekitError && error.code === "unknown_schema_version") throw error;
    return undefined;
  }
}
