import { realpath, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { type Profile, ProfileSchema } from "@profilekit/core";
import {
  type AlignmentFile,
  AlignmentFileSchema,
  checkRunRecord,
  detectModel,
  detectRole,
  openRunFolder,
  type ProfileRole,
  type RunFolder,
  readRunJson,
} from "@profilekit/runner";
import { UsageReportSchema, type UsageReport } from "@profilekit/llm";
import {
  type ImprovementFile,
  ImprovementFileSchema,
  ProfilekitError,
  type RevisionSummary,
  RevisionSummarySchema,
} from "@profilekit/spec";
import { z } from "zod";
import {
  type ReportStudyManifest,
  ReportStudyManifestSchema,
  type SourceManifest,
  SourceManifestSchema,
  type SourceProfile,
  SourceProfileSchema,
} from "./file-schemas.js";
import { findPairTexts, type PairTexts, type TextSource } from "./pair-texts.js";

// The report's input: run folders read through @profilekit/runner's reader (openRunFolder and
// readRunJson, which check every file against its schema and refuse a schemaVersion this release
// cannot read). The rest of the package sees only `ReportInput`.

/** Where a profile's labels came from. `improved`: a generation after an improvement strategy. */
type SourceRole = ProfileRole | "improved";

/** One source of labels: a stage folder with its profile. */
export interface SourceInput {
  /** The name shown for it; unique within the report. */
  readonly label: string;
  readonly role: SourceRole | undefined;
  readonly model: string | undefined;
  /** The folder, as a display path. */
  readonly folder: string;
  readonly profile: SourceProfile;
  readonly manifest: SourceManifest | undefined;
  /** The runner's reader of the folder: labels.jsonl, manifestations.jsonl and the rest, on demand. */
  readonly run: RunFolder;
  /** The texts of these pairs, for the drill-downs: says when some cannot be found. */
  pairTexts(ids: ReadonlySet<string>): Promise<PairTexts>;
}

export interface AlignmentInput {
  readonly folder: string;
  readonly alignment: AlignmentFile;
}

/** revision-profile.json: the profile of every (final, first draft) pair, and what the loop did. */
export const RevisionFileSchema = ProfileSchema.extend({ revision: RevisionSummarySchema });
type RevisionFile = Profile & { readonly revision: RevisionSummary };

export interface ImprovementInput {
  readonly folder: string;
  readonly improvement: ImprovementFile;
  /** revision-profile.json: every (final, first draft) pair labelled "final preferred" (feedback). */
  readonly revision: RevisionFile | undefined;
  /** What the run spent, from its manifest.json. */
  readonly usage: UsageReport | undefined;
}

export interface StudyInput {
  readonly folder: string;
  readonly manifest: ReportStudyManifest;
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
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

interface StageFolder extends TextSource {
  readonly role: SourceRole | undefined;
  readonly model: string | undefined;
  readonly profile: SourceProfile;
}

interface Collected {
  stages: StageFolder[];
  alignments: { dir: string; alignment: AlignmentFile }[];
  improvements: {
    dir: string;
    improvement: ImprovementFile;
    revision: RevisionFile | undefined;
    usage: UsageReport | undefined;
  }[];
  studies: { dir: string; manifest: ReportStudyManifest }[];
  seen: Set<string>;
}

/** The folders a study's manifest.json names, in this order (improvement: refine's setting). */
const studyFolders = ["human", "evaluation", "generation", "alignment", "improvement"] as const;

/** Only what tells a study's manifest.json from a stage's. */
const ManifestKindSchema = z.looseObject({ stages: z.unknown().optional() });

/** What the report reads of an improvement run's manifest.json. */
const ImprovementManifestSchema = z.looseObject({ usage: UsageReportSchema.optional() });

/** A stage folder through the runner's reader, with the blocks the report shows checked too. */
async function openStage(dir: string, study: TextSource["study"], improved: ImprovementFile | undefined) {
  const run = await openRunFolder(dir);
  const profile = checkRunRecord(join(dir, "profile.json"), undefined, run.profile, SourceProfileSchema);
  const manifest =
    run.manifest === undefined
      ? undefined
      : checkRunRecord(join(dir, "manifest.json"), undefined, run.manifest, SourceManifestSchema);
  const role: SourceRole | undefined = improved ? "improved" : detectRole(run.profile, run.manifest);
  const modelRole = role === "improved" ? "generation" : role;
  const model = improved?.model ?? detectModel(run.profile, run.manifest, modelRole);
  return { run, profile, manifest, study, role, model };
}

async function collect(dir: string, into: Collected, study?: TextSource["study"]): Promise<void> {
  const real = await realpath(dir);
  if (into.seen.has(real)) return;
  into.seen.add(real);
  const manifestFile = join(dir, "manifest.json");
  const kind = await readRunJson(manifestFile, ManifestKindSchema);
  const isStudy = kind?.stages !== undefined;
  if (isStudy) {
    const manifest = checkRunRecord(manifestFile, undefined, kind, ReportStudyManifestSchema);
    into.studies.push({ dir, manifest });
    for (const name of studyFolders) {
      const stage = manifest.stages[name];
      if (stage === undefined) continue;
      const sub = resolve(dir, stage.folder);
      if (await exists(sub)) await collect(sub, into, { dir, configFile: manifest.config.file });
    }
  }
  const alignment = await readRunJson(join(dir, "alignment.json"), AlignmentFileSchema);
  if (alignment !== undefined) into.alignments.push({ dir, alignment });
  const improvement = await readRunJson(join(dir, "improvement.json"), ImprovementFileSchema);
  if (improvement !== undefined) {
    const revision = await readRunJson(join(dir, "revision-profile.json"), RevisionFileSchema);
    const manifest = await readRunJson(join(dir, "manifest.json"), ImprovementManifestSchema);
    into.improvements.push({ dir, improvement, revision, usage: manifest?.usage });
    // The generation after the method is the `improved` source; the one before it is compared in
    // improvement.json (and may be another run's).
    const after = resolve(dir, improvement.folders.after);
    if (await exists(join(after, "profile.json"))) {
      const real = await realpath(after);
      if (!into.seen.has(real)) {
        into.seen.add(real);
        into.stages.push(await openStage(after, study, improvement));
      }
    }
  }
  const isStage = !isStudy && (await exists(join(dir, "profile.json")));
  if (isStage) into.stages.push(await openStage(dir, study, undefined));
  if (!isStudy && !isStage && alignment === undefined && improvement === undefined) {
    throw new ProfilekitError(
      "invalid_run_folder",
      `${dir} is not a run folder: it has no profile.json, alignment.json, improvement.json or study manifest.json`,
      {
        location: { file: dir },
        hint: "give folders written by analyze, judge, generate, align or run (e.g. runs/study, or runs/study/human)",
      },
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

/**
 * Reads run folders: a `run` study folder (its stages and alignment), stage folders from analyze,
 * judge, generate or improve, and align's folder. Each folder is read once, however it is given.
 * A file the runner's reader refuses (an unknown schemaVersion, a record that does not validate)
 * fails with the reader's error.
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
  const display = (path: string) => displayPath(path, base);
  const rank = (stage: StageFolder) =>
    stage.role === undefined ? roleOrder.length : roleOrder.indexOf(stage.role);
  const stages = into.stages
    .map((stage, order) => ({ stage, order }))
    .sort((x, y) => rank(x.stage) - rank(y.stage) || x.order - y.order)
    .map(({ stage }) => stage);
  const folders = stages.map((stage) => display(stage.run.dir));
  const labels = labelSources(stages, folders);
  return {
    sources: stages.map((stage, i) => ({
      label: labels[i]!,
      role: stage.role,
      model: stage.model,
      folder: folders[i]!,
      profile: stage.profile,
      manifest: stage.manifest,
      run: stage.run,
      pairTexts: (ids) =>
        findPairTexts(
          stage,
          stages.filter((other) => other !== stage).map((other) => other.run),
          ids,
          display,
        ),
    })),
    alignments: into.alignments.map(({ dir, alignment }) => ({ folder: display(dir), alignment })),
    improvements: into.improvements.map(({ dir, improvement, revision, usage }) => ({
      folder: display(dir),
      improvement,
      revision,
      usage,
    })),
    studies: into.studies.map(({ dir, manifest }) => ({ folder: display(dir), manifest })),
  };
}
