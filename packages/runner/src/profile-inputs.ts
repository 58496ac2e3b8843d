import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { GroupCountsSchema, ProfileSchema } from "@profilekit/core";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { formatFieldPath } from "./field-path.js";
import { checkSchemaVersion, readRunJson } from "./run-folder/reader.js";

/** Where a profile's labels came from: people, a model judging pairs, or a model writing responses. */
export const ProfileRoleSchema = z.enum(["human", "evaluation", "generation"]);
export type ProfileRole = z.infer<typeof ProfileRoleSchema>;

/** A profile read for comparison, with what is known about where its labels came from. */
export const ProfileInputSchema = z.object({
  /** The profile.json path, or how the profile is named when it was given in code. */
  file: z.string(),
  /** The name shown in tables and sentences ("human", "judge", ...). */
  label: z.string(),
  /** undefined when neither the caller nor the files say. */
  role: ProfileRoleSchema.optional(),
  /** The model behind the labels, when known. */
  model: z.string().optional(),
  profile: ProfileSchema,
  /** The profile's counts per cluster (groups.json beside profile.json), for paired alignment draws. */
  groupCounts: GroupCountsSchema.optional(),
});
export type ProfileInput = z.output<typeof ProfileInputSchema>;

/** A profile argument: a profile.json, or a run folder holding one. */
async function profilePath(arg: string): Promise<string> {
  const info = await stat(arg).catch(() => undefined);
  if (info === undefined) {
    throw new ProfilekitError("file_not_found", `profile ${arg} does not exist`, {
      location: { file: arg },
      hint: "give the profile.json of a run (or the run folder), e.g. runs/human/profile.json",
    });
  }
  return info.isDirectory() ? join(arg, "profile.json") : arg;
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProfilekitError(
      code === "ENOENT" ? "file_not_found" : "unreadable_input",
      code === "ENOENT"
        ? `${what} ${file} does not exist`
        : `cannot read ${what} ${file}: ${code ?? String(error)}`,
      { location: { file }, hint: "give the profile.json of a run, e.g. runs/human/profile.json" },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProfilekitError(
      "malformed_json",
      `${what} ${file} is not valid JSON: ${(error as Error).message}`,
      {
        location: { file },
        hint: "profile.json is written by `profilekit analyze`, `judge` or `generate`; re-create it rather than editing it",
      },
    );
  }
}

const MarkersSchema = z.looseObject({
  setting: z.unknown().optional(),
  command: z.unknown().optional(),
  model: z.unknown().optional(),
  agreement: z.unknown().optional(),
  generation: z.unknown().optional(),
});

const roleOfCommand: Record<string, ProfileRole> = {
  analyze: "human",
  judge: "evaluation",
  generate: "generation",
};

/**
 * The role a profile's files declare, checked in this order: a `setting` field in profile.json
 * (or its manifest.json), an `agreement` block (judge) or a `generation` block (generate) in
 * profile.json, then the `command` that wrote the sibling manifest.json (analyze, judge, generate).
 */
export function detectRole(profileJson: unknown, manifestJson: unknown): ProfileRole | undefined {
  const profile = MarkersSchema.safeParse(profileJson).data ?? {};
  const manifest = MarkersSchema.safeParse(manifestJson).data ?? {};
  for (const setting of [profile.setting, manifest.setting]) {
    const role = ProfileRoleSchema.safeParse(setting);
    if (role.success) return role.data;
  }
  if (profile.agreement !== undefined) return "evaluation";
  if (profile.generation !== undefined) return "generation";
  return typeof manifest.command === "string" ? roleOfCommand[manifest.command] : undefined;
}

const ModelsSchema = z.looseObject({ models: z.record(z.string(), z.unknown()).optional() });

/**
 * The model a profile's files name: `model` in profile.json or manifest.json (a string or
 * `{id}`), else manifest.json's `models.judge` (evaluation) or `models.generator` (generation),
 * as `judge` and `generate` write them.
 */
export function detectModel(
  profileJson: unknown,
  manifestJson: unknown,
  role: ProfileRole | undefined,
): string | undefined {
  for (const source of [profileJson, manifestJson]) {
    const model = MarkersSchema.safeParse(source).data?.model;
    if (typeof model === "string") return model;
    const id = z.object({ id: z.string() }).safeParse(model);
    if (id.success) return id.data.id;
  }
  const key = role === "evaluation" ? "judge" : role === "generation" ? "generator" : undefined;
  const named = key === undefined ? undefined : ModelsSchema.safeParse(manifestJson).data?.models?.[key];
  return typeof named === "string" ? named : undefined;
}

/** Reads and validates a profile.json (or a run folder's), naming the file and field when it is wrong. */
export async function readProfileInput(
  arg: string,
  given: { label?: string; role?: ProfileRole } = {},
): Promise<ProfileInput> {
  const file = await profilePath(arg);
  const raw = await readJson(file, "profile");
  checkSchemaVersion(file, raw);
  const parsed = ProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatFieldPath(issue.path);
    throw new ProfilekitError(
      "invalid_profile",
      `${file} is not a valid profile: ${field === "" ? "" : `${field}: `}${issue.message}` +
        (parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : ""),
      {
        location: { file, ...(field === "" ? {} : { field }) },
        hint: "give a profile.json written by `profilekit analyze`, `judge` or `generate`",
      },
    );
  }
  const manifestFile = join(dirname(file), "manifest.json");
  const manifest = await readFile(manifestFile, "utf8").then(
    (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    },
    () => undefined,
  );
  const role = given.role ?? detectRole(raw, manifest);
  const folder = basename(dirname(file));
  const model = detectModel(raw, manifest, role);
  const groupCounts = await readRunJson(join(dirname(file), "groups.json"), GroupCountsSchema);
  return {
    file,
    label: given.label ?? role ?? (folder === "." || folder === "" ? basename(file) : folder),
    ...(role ? { role } : {}),
    ...(model ? { model } : {}),
    profile: parsed.data,
    ...(groupCounts ? { groupCounts } : {}),
  };
}

/** Refuses profiles scored with different Kendall variants, naming both files. */
export function checkSameVariant(inputs: readonly ProfileInput[]): void {
  const [reference, ...others] = inputs;
  if (reference === undefined) return;
  for (const other of others) {
    if (other.profile.variant !== reference.profile.variant) {
      throw new ProfilekitError(
        "variant_mismatch",
        `${other.file} was scored with ${other.profile.variant}, but the reference ${reference.file} with ${reference.profile.variant}`,
        {
          location: { file: other.file, field: "variant" },
          hint:
            "profiles are compared on the same Kendall variant: re-run one of them with --variant " +
            reference.profile.variant,
        },
      );
    }
  }
}
