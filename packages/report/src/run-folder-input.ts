/**
 * Everything the report reads from disk, in one module: run folders as analyze, judge,
 * generate, align, run (and, later, improve) write them today, parsed with loose schemas that
 * name only the fields the report uses and let the rest through. When @profilekit/runner's
 * reader exists, it replaces this module: the rest of the package sees only `ReportInput`.
 */
import { createReadStream } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { createInterface } from "node:readline";
import { readPairs } from "@profilekit/data";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";

const interval = z
  .tuple([z.number(), z.number()])
  .nullable()
  .optional()
  .transform((value) => value ?? null);
const maybeNumber = z
  .number()
  .nullable()
  .optional()
  .transform((value) => value ?? null);

/** A rank correlation with its interval (Kendall tau_b or Spearman between two profiles). */
export const CorrelationSchema = z.looseObject({ value: maybeNumber, ci95: interval });
export type Correlation = z.infer<typeof CorrelationSchema>;

/** One factor of profile.json: its score, interval and the counts behind it. */
export const FactorScoreSchema = z.looseObject({
  factor: z.string(),
  tau: maybeNumber,
  ci95: interval,
  concordant: z.number(),
  discordant: z.number(),
  factorTies: z.number(),
  preferenceTies: z.number().optional(),
  missing: z.number(),
  pValue: maybeNumber,
});
export type FactorScore = z.infer<typeof FactorScoreSchema>;

const JointRegressionSchema = z.looseObject({
  used: z.number().optional(),
  groups: z.number().optional(),
  bootstrap: z.number().optional(),
  factors: z.array(z.looseObject({ factor: z.string(), coefficient: maybeNumber, ci95: interval })),
});

const LengthControlledSchema = z.looseObject({
  factor: z.string(),
  pairs: z.number().optional(),
  tauB: maybeNumber,
  partialTauB: maybeNumber,
});

/** A judge's agreement with the human labels (profile.json's `agreement`, more in manifest.json's). */
export const AgreementSchema = z.looseObject({
  accuracy: maybeNumber,
  kappa: maybeNumber,
  positionConsistency: maybeNumber,
  tieRate: maybeNumber,
  pairs: z.number().optional(),
  decisivePairs: z.number().optional(),
  accuracyWithTies: maybeNumber,
  humanTieRate: maybeNumber,
});
export type Agreement = z.infer<typeof AgreementSchema>;

/** profile.json (and revision-profile.json): the factor scores of one source of labels. */
export const ProfileFileSchema = z.looseObject({
  variant: z.string(),
  pairs: z.number(),
  preferenceTies: z.number(),
  groups: z.number(),
  seed: z.number().optional(),
  bootstrap: z.number().optional(),
  permutations: z.number().optional(),
  factors: z.array(FactorScoreSchema),
  attribution: z
    .looseObject({
      jointRegression: JointRegressionSchema.nullable().optional(),
      lengthControlled: z.array(LengthControlledSchema).nullable().optional(),
      notes: z.array(z.string()).optional(),
    })
    .optional(),
  agreement: AgreementSchema.optional(),
  generation: z.record(z.string(), z.unknown()).optional(),
  setting: z.string().optional(),
  model: z.unknown().optional(),
});
export type ProfileFile = z.infer<typeof ProfileFileSchema>;

const UsageRowSchema = z.looseObject({
  calls: z.number().optional(),
  requests: z.number().optional(),
  cacheHits: z.number().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  costUsd: maybeNumber,
});
/** What a run spent: calls, tokens and cost, in total and per model. */
export const UsageSchema = z.looseObject({
  pricesAsOf: z.string().optional(),
  total: UsageRowSchema.optional(),
  byModel: z.array(UsageRowSchema.extend({ model: z.string() })).optional(),
  costUsd: maybeNumber,
});
export type Usage = z.infer<typeof UsageSchema>;

const PromptRefSchema = z.looseObject({ id: z.string().optional(), version: z.string().optional() });

/** manifest.json of a stage folder or of a `run` study (which adds `stages`, `data` and `config`). */
export const ManifestSchema = z.looseObject({
  command: z.string().optional(),
  setting: z.string().optional(),
  task: z.string().optional(),
  seed: z.number().optional(),
  input: z
    .looseObject({
      path: z.string().optional(),
      preset: z.string().optional(),
      format: z.string().optional(),
      mapping: z.record(z.string(), z.unknown()).optional(),
      labels: z.record(z.string(), z.unknown()).optional(),
      task: z.string().optional(),
      onInvalid: z.enum(["fail", "skip"]).optional(),
      seed: z.number().optional(),
    })
    .optional(),
  factors: z
    .array(
      z.looseObject({ id: z.string(), method: z.string().optional(), promptVersion: z.string().optional() }),
    )
    .optional(),
  scoring: z.record(z.string(), z.unknown()).optional(),
  counts: z.record(z.string(), z.unknown()).optional(),
  versions: z.record(z.string(), z.string()).optional(),
  node: z.string().optional(),
  models: z.record(z.string(), z.string()).optional(),
  judge: z.looseObject({ prompt: PromptRefSchema.optional() }).optional(),
  generation: z.looseObject({ prompt: PromptRefSchema.optional() }).optional(),
  agreement: AgreementSchema.optional(),
  extraction: z
    .looseObject({
      calls: z.number().optional(),
      cacheHits: z.number().optional(),
      factors: z
        .record(
          z.string(),
          z.looseObject({
            pairs: z.number().optional(),
            missing: z.number().optional(),
            positionConsistency: z.looseObject({ rate: maybeNumber }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  usage: UsageSchema.optional(),
  data: z.looseObject({ path: z.string().optional(), sha256: z.string().optional() }).optional(),
  config: z.looseObject({ file: z.string().optional(), hash: z.string().optional() }).optional(),
  stages: z.record(z.string(), z.looseObject({ folder: z.string().optional() })).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const ProfileRefSchema = z.looseObject({
  label: z.string(),
  role: z.string().optional(),
  model: z.string().optional(),
  pairs: z.number().optional(),
});

/** One comparison of alignment.json: a model's profile against the reference (human). */
export const ComparisonSchema = z.looseObject({
  kendallTauB: CorrelationSchema,
  spearman: CorrelationSchema,
  factors: z.array(
    z.looseObject({ factor: z.string(), a: z.number(), b: z.number(), gap: z.number(), ci95: interval }),
  ),
  top3Overlap: z.number().optional(),
  signAgreement: maybeNumber,
  reference: ProfileRefSchema,
  compared: ProfileRefSchema,
});
export type Comparison = z.infer<typeof ComparisonSchema>;

/** One model's generation-evaluation gap: tau_b(H, eval) - tau_b(H, gen), with its interval. */
export const GapSchema = z.looseObject({
  model: z.string().optional(),
  evaluation: z.string(),
  generation: z.string(),
  evaluationTauB: maybeNumber,
  generationTauB: maybeNumber,
  tauBDifference: CorrelationSchema,
});
export type Gap = z.infer<typeof GapSchema>;

/** alignment.json as `align` writes it. */
export const AlignmentFileSchema = z.looseObject({
  replicates: z.number().optional(),
  seed: z.number().optional(),
  comparisons: z.array(ComparisonSchema),
  generationEvaluationGaps: z.array(GapSchema).optional().default([]),
});
export type AlignmentFile = z.infer<typeof AlignmentFileSchema>;

const AlignmentSummarySchema = z.looseObject({
  label: z.string().optional(),
  kendallTauB: CorrelationSchema,
  spearman: CorrelationSchema.optional(),
});

/**
 * improvement.json, as issue 11's `improve` is designed to write it: the generation profile's
 * alignment with the human one before and after a strategy, the paired difference
 * (after - before) with its interval, per-factor taus, and what the strategy cost.
 */
export const ImprovementFileSchema = z.looseObject({
  strategy: z.string().optional(),
  model: z.string().optional(),
  before: AlignmentSummarySchema,
  after: AlignmentSummarySchema,
  delta: z.looseObject({
    kendallTauB: CorrelationSchema,
    method: z.string().optional(),
    replicates: z.number().optional(),
    seed: z.number().optional(),
  }),
  factors: z
    .array(
      z.looseObject({
        factor: z.string(),
        human: maybeNumber,
        before: maybeNumber,
        after: maybeNumber,
      }),
    )
    .optional(),
  usage: UsageRowSchema.optional(),
});
export type ImprovementFile = z.infer<typeof ImprovementFileSchema>;

/** A line of labels.jsonl. */
export const LabelLineSchema = z.looseObject({
  pairId: z.string(),
  label: z.enum(["a", "b", "tie"]),
  group: z.string().optional(),
});
export type LabelLine = z.infer<typeof LabelLineSchema>;

/** A line of manifestations.jsonl: a factor's sign on a pair, and its values or verdict. */
export const ManifestationLineSchema = z.looseObject({
  pairId: z.string(),
  factor: z.string(),
  valueA: z.unknown().optional(),
  valueB: z.unknown().optional(),
  sign: z.union([z.literal(-1), z.literal(0), z.literal(1)]).nullable(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type ManifestationLine = z.infer<typeof ManifestationLineSchema>;

/** The texts of a pair: what was asked, the source document, and both responses. */
export interface PairText {
  readonly prompt?: string | undefined;
  readonly source?: string | undefined;
  readonly a: string;
  readonly b: string;
}
const PairTextSchema = z.looseObject({
  id: z.string(),
  prompt: z.string().optional(),
  source: z.string().optional(),
  a: z.string(),
  b: z.string(),
});

/** The texts found for some pair ids, and where from (a display path), or why there are none. */
export interface PairTexts {
  readonly texts: ReadonlyMap<string, PairText>;
  /** The files they were read from, as display paths. */
  readonly from: readonly string[];
  /** Why some or all are missing; undefined when every id was found. */
  readonly unavailable: string | undefined;
}

/** Where a profile's labels came from. `improved`: a generation after an improvement strategy. */
export type SourceRole = "human" | "evaluation" | "generation" | "improved";

/** The per-pair records of a stage folder, read on demand (they can be large). */
export interface SourceRecords {
  labels(): AsyncIterable<LabelLine>;
  manifestations(): AsyncIterable<ManifestationLine>;
  /** The texts of these pairs: never throws; says when they cannot be found. */
  pairTexts(ids: ReadonlySet<string>): Promise<PairTexts>;
}

/** One source of labels: a stage folder with its profile. */
export interface SourceInput {
  /** The name shown for it; unique within the report. */
  readonly label: string;
  readonly role: SourceRole | undefined;
  readonly model: string | undefined;
  /** The folder, as a display path. */
  readonly folder: string;
  readonly profile: ProfileFile;
  readonly manifest: Manifest | undefined;
  readonly records: SourceRecords;
}

export interface AlignmentInput {
  readonly folder: string;
  readonly alignment: AlignmentFile;
}

export interface ImprovementInput {
  readonly folder: string;
  readonly improvement: ImprovementFile;
  /** revision-profile.json: every (final, first draft) pair labelled "final preferred". */
  readonly revision: ProfileFile | undefined;
}

export interface StudyInput {
  readonly folder: string;
  readonly manifest: Manifest;
}

/** What the report is made from. */
export interface ReportInput {
  readonly sources: readonly SourceInput[];
  readonly alignments: readonly AlignmentInput[];
  readonly improvements: readonly ImprovementInput[];
  readonly studies: readonly StudyInput[];
}

export interface ReadRunFoldersOptions {
  /** Folder paths are shown relative to this directory (the report's); default: as given. */
  readonly displayBase?: string;
}

const roleOrder: readonly SourceRole[] = ["human", "evaluation", "generation", "improved"];
const commandRoles: Record<string, SourceRole> = {
  analyze: "human",
  judge: "evaluation",
  generate: "generation",
  improve: "improved",
};

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function invalidFolder(folder: string, message: string, hint: string, cause?: unknown): ProfilekitError {
  return new ProfilekitError("invalid_run_folder", message, {
    location: { file: folder },
    hint,
    ...(cause === undefined ? {} : { cause }),
  });
}

async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw invalidFolder(
      file,
      `cannot read ${file}: ${(error as Error).message}`,
      "give run folders written by profilekit (analyze, judge, generate, align, run)",
      error,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidFolder(
      file,
      `${file} does not have what the report reads: ${issue.path.join(".") || "(top level)"}: ${issue.message}`,
      "re-create the folder with the profilekit command that wrote it rather than editing the file",
    );
  }
  return parsed.data;
}

async function readOptionalJson<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  return (await exists(file)) ? readJsonFile(file, schema) : undefined;
}

/** Lines of a JSON Lines file that parse against `schema`; others (and a missing file) are passed over. */
async function* jsonLines<T>(file: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  if (!(await exists(file))) return;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) yield parsed.data;
  }
}

function roleOf(profile: ProfileFile, manifest: Manifest | undefined): SourceRole | undefined {
  for (const setting of [profile.setting, manifest?.setting]) {
    if (setting !== undefined && (roleOrder as readonly string[]).includes(setting))
      return setting as SourceRole;
  }
  if (profile.agreement !== undefined) return "evaluation";
  if (profile.generation !== undefined) return "generation";
  return manifest?.command === undefined ? undefined : commandRoles[manifest.command];
}

function modelOf(profile: ProfileFile, manifest: Manifest | undefined, role: SourceRole | undefined) {
  if (typeof profile.model === "string") return profile.model;
  const key = role === "evaluation" ? "judge" : role === "human" ? undefined : "generator";
  return key === undefined ? undefined : manifest?.models?.[key];
}

/** The folder that holds a path: a folder as is, a file's folder. */
async function folderOf(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new ProfilekitError("file_not_found", `run folder ${path} does not exist`, {
      location: { file: path },
      hint: "give the folders written by analyze, judge, generate, align or run, e.g. runs/study",
    });
  }
  return info.isDirectory() ? path : dirname(path);
}

interface StageFolder {
  readonly dir: string;
  readonly role: SourceRole | undefined;
  readonly model: string | undefined;
  readonly profile: ProfileFile;
  readonly manifest: Manifest | undefined;
  /** The study folder it belongs to, for resolving the study's input path. */
  readonly study: { dir: string; manifest: Manifest } | undefined;
}

interface Collected {
  stages: StageFolder[];
  alignments: { dir: string; alignment: AlignmentFile }[];
  improvements: { dir: string; improvement: ImprovementFile; revision: ProfileFile | undefined }[];
  studies: { dir: string; manifest: Manifest }[];
  seen: Set<string>;
}

async function collect(dir: string, into: Collected, study?: StageFolder["study"]): Promise<void> {
  const real = await realpath(dir);
  if (into.seen.has(real)) return;
  into.seen.add(real);
  const manifest = await readOptionalJson(join(dir, "manifest.json"), ManifestSchema);
  let found = false;
  if (manifest?.stages !== undefined) {
    found = true;
    const self = { dir, manifest };
    into.studies.push(self);
    for (const stage of Object.values(manifest.stages)) {
      if (stage.folder === undefined) continue;
      const sub = resolve(dir, stage.folder);
      if (await exists(sub)) await collect(sub, into, self);
    }
  }
  const alignment = await readOptionalJson(join(dir, "alignment.json"), AlignmentFileSchema);
  if (alignment !== undefined) {
    found = true;
    into.alignments.push({ dir, alignment });
  }
  const improvement = await readOptionalJson(join(dir, "improvement.json"), ImprovementFileSchema);
  if (improvement !== undefined) {
    found = true;
    const revision = await readOptionalJson(join(dir, "revision-profile.json"), ProfileFileSchema);
    into.improvements.push({ dir, improvement, revision });
  }
  const profile = await readOptionalJson(join(dir, "profile.json"), ProfileFileSchema);
  if (profile !== undefined && manifest?.stages === undefined) {
    found = true;
    const role = improvement !== undefined ? "improved" : roleOf(profile, manifest);
    const model = improvement?.model ?? modelOf(profile, manifest, role);
    into.stages.push({ dir, role, model, profile, manifest, study });
  }
  if (!found) {
    throw invalidFolder(
      dir,
      `${dir} is not a run folder: it has no profile.json, alignment.json, improvement.json or study manifest.json`,
      "give folders written by analyze, judge, generate, align or run (e.g. runs/study, or runs/study/human)",
    );
  }
}

function displayPath(path: string, base: string | undefined): string {
  const shown = base === undefined ? path : relative(base, path) || ".";
  return shown.split(sep).join("/");
}

/** Unique labels: the role when it is unique, else role and model, else the folder. */
function labelSources(stages: readonly StageFolder[], folders: readonly string[]): string[] {
  const first = stages.map((stage, i) => stage.role ?? folders[i]!);
  const second = stages.map((stage, i) => {
    const same = first.filter((label) => label === first[i]).length > 1;
    return same && stage.model !== undefined ? `${first[i]} (${stage.model})` : first[i]!;
  });
  return second.map((label, i) => (second.filter((l) => l === label).length > 1 ? folders[i]! : label));
}

/** Where the input file named in a manifest may be: as given, from the study's config, the folder. */
async function inputFileOf(stage: StageFolder): Promise<string | undefined> {
  const given = stage.manifest?.input?.path;
  if (given === undefined) return undefined;
  if (isAbsolute(given)) return (await exists(given)) ? given : undefined;
  const bases: string[] = [];
  const configFile = stage.study?.manifest.config?.file;
  if (stage.study !== undefined && configFile !== undefined)
    bases.push(dirname(resolve(stage.study.dir, configFile)));
  bases.push(process.cwd(), stage.dir, dirname(stage.dir));
  for (const base of bases) {
    const candidate = resolve(base, given);
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

/** pairs.jsonl files that may hold a stage's pairs: its own, then its sibling folders', sorted. */
async function pairFileCandidates(stage: StageFolder, others: readonly StageFolder[]): Promise<string[]> {
  const files = [join(stage.dir, "pairs.jsonl")];
  const parent = dirname(stage.dir);
  const siblings = await readdir(parent, { withFileTypes: true }).catch(() => []);
  for (const entry of siblings.map((e) => e.name).sort()) {
    if (entry !== basename(stage.dir)) files.push(join(parent, entry, "pairs.jsonl"));
  }
  for (const other of others) files.push(join(other.dir, "pairs.jsonl"));
  const unique = [...new Set(files.map((file) => resolve(file)))];
  const present: string[] = [];
  for (const file of unique) if (await exists(file)) present.push(file);
  return present;
}

function recordsOf(
  stage: StageFolder,
  others: readonly StageFolder[],
  base: string | undefined,
): SourceRecords {
  return {
    labels: () => jsonLines(join(stage.dir, "labels.jsonl"), LabelLineSchema),
    manifestations: () => jsonLines(join(stage.dir, "manifestations.jsonl"), ManifestationLineSchema),
    async pairTexts(ids) {
      const texts = new Map<string, PairText>();
      const from: string[] = [];
      const take = (id: string, pair: PairText, file: string) => {
        if (!ids.has(id) || texts.has(id)) return;
        texts.set(id, { prompt: pair.prompt, source: pair.source, a: pair.a, b: pair.b });
        const shown = displayPath(file, base);
        if (!from.includes(shown)) from.push(shown);
      };
      for (const file of await pairFileCandidates(stage, others)) {
        if (texts.size === ids.size) break;
        for await (const pair of jsonLines(file, PairTextSchema)) {
          take(pair.id, pair, file);
          if (texts.size === ids.size) break;
        }
      }
      let problem: string | undefined;
      if (texts.size < ids.size) {
        const input = await inputFileOf(stage);
        if (input === undefined) {
          problem =
            stage.manifest?.input?.path === undefined
              ? "no pairs.jsonl holds these pairs and manifest.json names no input file"
              : `no pairs.jsonl holds these pairs and the input file ${stage.manifest.input.path} named in manifest.json cannot be found`;
        } else {
          problem = await readInputTexts(input, stage.manifest?.input ?? {}, ids, (id, pair) =>
            take(id, pair, input),
          );
        }
      }
      return {
        texts,
        from,
        unavailable:
          texts.size === ids.size ? undefined : (problem ?? "the files read do not hold every pair"),
      };
    },
  };
}

/** Reads the stage's input file with the read options recorded in its manifest; returns a problem or undefined. */
async function readInputTexts(
  file: string,
  recorded: NonNullable<Manifest["input"]>,
  ids: ReadonlySet<string>,
  take: (id: string, pair: PairText) => void,
): Promise<string | undefined> {
  const { preset, format, mapping, labels, task, onInvalid, seed } = recorded;
  const options = Object.fromEntries(
    Object.entries({ preset, format, mapping, labels, task, onInvalid, seed }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  let found = 0;
  try {
    for await (const pair of readPairs(file, options as Parameters<typeof readPairs>[1])) {
      if (!ids.has(pair.id)) continue;
      take(pair.id, pair);
      found += 1;
      if (found === ids.size) break;
    }
  } catch (error) {
    return `the input file ${file} could not be read again: ${(error as Error).message}`;
  }
  return undefined;
}

/**
 * Reads run folders: a `run` study folder (its stages and alignment), stage folders from analyze,
 * judge, generate or improve, and align's folder. Each folder is read once, however it is given.
 */
export async function readRunFolders(
  paths: readonly string[],
  options: ReadRunFoldersOptions = {},
): Promise<ReportInput> {
  if (paths.length === 0) {
    throw new ProfilekitError("invalid_option", "the report needs at least one run folder", {
      hint: "give the folders written by analyze, judge, generate, align or run, e.g. runs/study",
    });
  }
  const into: Collected = { stages: [], alignments: [], improvements: [], studies: [], seen: new Set() };
  for (const path of paths) await collect(await folderOf(path), into);
  const base = options.displayBase;
  const rank = (stage: StageFolder) =>
    stage.role === undefined ? roleOrder.length : roleOrder.indexOf(stage.role);
  const stages = into.stages
    .map((stage, order) => ({ stage, order }))
    .sort((x, y) => rank(x.stage) - rank(y.stage) || x.order - y.order)
    .map(({ stage }) => stage);
  const folders = stages.map((stage) => displayPath(stage.dir, base));
  const labels = labelSources(stages, folders);
  return {
    sources: stages.map((stage, i) => ({
      label: labels[i]!,
      role: stage.role,
      model: stage.model,
      folder: folders[i]!,
      profile: stage.profile,
      manifest: stage.manifest,
      records: recordsOf(
        stage,
        stages.filter((other) => other !== stage),
        base,
      ),
    })),
    alignments: into.alignments.map(({ dir, alignment }) => ({ folder: displayPath(dir, base), alignment })),
    improvements: into.improvements.map(({ dir, improvement, revision }) => ({
      folder: displayPath(dir, base),
      improvement,
      revision,
    })),
    studies: into.studies.map(({ dir, manifest }) => ({ folder: displayPath(dir, base), manifest })),
  };
}
