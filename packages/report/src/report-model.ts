import type { JudgeAgreement as AgreementStatistics } from "@profilekit/core";
import type { Comparison, GapEntry } from "@profilekit/runner";
import type { JudgeAgreement, JudgeManifestAgreement } from "@profilekit/spec";
import { type SeriesStyle, seriesStyles } from "./charts/plot-svg.js";
import { type FactorExamples, selectExamples } from "./example-pairs.js";
import type { PairTexts } from "./input/pair-texts.js";
import type {
  AlignmentInput,
  ImprovementInput,
  ReportInput,
  SourceInput,
  StudyInput,
} from "./input/run-folders.js";

/** A judge's agreement with the human labels: profile.json's figures, and manifest.json's counts when it has them. */
type Agreement = JudgeAgreement & Partial<JudgeManifestAgreement>;

/** Below this many resampling groups a clustered bootstrap interval is noted as unreliable. */
const fewGroups = 20;
/** Above this share of pairs without a measurement, a factor's score is noted. */
const manyMissing = 0.1;

/** A source of labels with how the charts draw it. */
export interface ReportSource extends SourceInput {
  readonly style: SeriesStyle;
  /** A judge's agreement with the human labels, from profile.json and manifest.json. */
  readonly agreement: Agreement | undefined;
  /**
   * profile.json's `agreementStatistics`: the agreement's counts and 95% intervals, and the
   * single-factor baselines; undefined for a folder written before profilekit 0.2.
   */
  readonly agreementStatistics: AgreementStatistics | undefined;
}

/** A model profile's alignment with the reference, and how its model is drawn. */
export interface ReportComparison {
  readonly folder: string;
  readonly comparison: Comparison;
  readonly referenceStyle: SeriesStyle;
  readonly comparedStyle: SeriesStyle;
  /** "evaluation (openai:gpt-4o-mini)": the compared profile's label, with its model. */
  readonly name: string;
}

/** One model's generation-evaluation gap, with the intervals of both correlations. */
export interface ReportGap {
  readonly folder: string;
  readonly gap: GapEntry;
  readonly evaluation: Comparison | undefined;
  readonly generation: Comparison | undefined;
}

/** The drill-down of one source: example pairs per factor and their texts. */
export interface SourceExamples {
  readonly source: ReportSource;
  /** Undefined when the folder has no labels.jsonl or manifestations.jsonl to choose from. */
  readonly examples: ReadonlyMap<string, FactorExamples> | undefined;
  readonly texts: PairTexts;
}

/** A caution attached to a source, or to one of its factors. */
interface CountNote {
  readonly source: string;
  readonly factor: string | undefined;
  readonly text: string;
}

export interface ReportModel {
  readonly title: string;
  readonly caption: string | undefined;
  readonly sources: readonly ReportSource[];
  /** Every factor, ordered by |tau| of the human profile (the first source when there is none). */
  readonly factors: readonly string[];
  /** The source the order follows. */
  readonly orderedBy: string | undefined;
  readonly comparisons: readonly ReportComparison[];
  readonly alignments: readonly AlignmentInput[];
  readonly gaps: readonly ReportGap[];
  readonly improvements: readonly ImprovementInput[];
  readonly studies: readonly StudyInput[];
  readonly examples: readonly SourceExamples[];
  readonly notes: readonly CountNote[];
  readonly examplesPerKind: number;
}

export interface ReportModelOptions {
  readonly title?: string | undefined;
  readonly caption?: string | undefined;
  /** Concordant and discordant example pairs per factor and source (default 2). */
  readonly examplesPerKind?: number | undefined;
}

/** Factor ids ordered by |tau| of `first` (largest first, unscored last), then the others' new ones. */
function factorOrder(sources: readonly Pick<SourceInput, "profile">[]): string[] {
  const [first, ...rest] = sources;
  if (first === undefined) return [];
  const magnitude = (tau: number | null) => (tau === null ? -1 : Math.abs(tau));
  const ordered = first.profile.factors
    .map((factor, index) => ({ factor: factor.factor, key: magnitude(factor.tau), index }))
    .sort((x, y) => y.key - x.key || x.index - y.index)
    .map((entry) => entry.factor);
  for (const source of rest) {
    for (const factor of source.profile.factors)
      if (!ordered.includes(factor.factor)) ordered.push(factor.factor);
  }
  return ordered;
}

/** Few groups for the interval, or many pairs a factor could not be measured on. */
function countNotes(sources: readonly SourceInput[]): CountNote[] {
  const notes: CountNote[] = [];
  for (const source of sources) {
    const { profile } = source;
    if (profile.groups < fewGroups) {
      notes.push({
        source: source.label,
        factor: undefined,
        text: `only ${profile.groups} resampling groups: the clustered bootstrap intervals and p-values are unreliable below ${fewGroups}`,
      });
    }
    for (const factor of profile.factors) {
      const share = profile.pairs === 0 ? 0 : factor.missing / profile.pairs;
      if (share > manyMissing) {
        notes.push({
          source: source.label,
          factor: factor.factor,
          text: `${factor.factor} is missing on ${factor.missing} of ${profile.pairs} pairs (${(share * 100).toFixed(1)}%): its score covers only the pairs it was measured on`,
        });
      }
    }
  }
  return notes;
}

function styleFor(
  sources: readonly ReportSource[],
  role: string | undefined,
  model: string | undefined,
  label: string,
  fallback: SeriesStyle,
): SeriesStyle {
  const same =
    sources.find((s) => s.label === label) ??
    sources.find((s) => s.role === role && role !== undefined && s.model === model);
  return same?.style ?? fallback;
}

function comparisonsOf(alignments: readonly AlignmentInput[], sources: readonly ReportSource[]) {
  const spare = seriesStyles(Array.from({ length: sources.length + 2 }, (_, i) => `spare ${i}`)).slice(
    sources.length,
  );
  return alignments.flatMap(({ folder, alignment }) =>
    alignment.comparisons.map((comparison): ReportComparison => {
      const { reference, compared } = comparison;
      const referenceStyle = styleFor(sources, reference.role, reference.model, reference.label, spare[0]!);
      const comparedStyle = styleFor(sources, compared.role, compared.model, compared.label, spare[1]!);
      const name = compared.model === undefined ? compared.label : `${compared.label} (${compared.model})`;
      return {
        folder,
        comparison,
        referenceStyle: { ...referenceStyle, name: reference.label },
        comparedStyle: { ...comparedStyle, name },
        name,
      };
    }),
  );
}

/** Builds what the HTML and Markdown reports show, reading the per-pair records for the drill-downs. */
export async function buildReportModel(
  input: ReportInput,
  options: ReportModelOptions = {},
): Promise<ReportModel> {
  const styles = seriesStyles(input.sources.map((source) => source.label));
  const sources: ReportSource[] = input.sources.map((source, i) => {
    const fromProfile = source.profile.agreement;
    const fromManifest = source.manifest?.agreement;
    const agreement: Agreement | undefined =
      fromProfile === undefined ? fromManifest : { ...fromManifest, ...fromProfile };
    const { agreementStatistics } = source.profile;
    return { ...source, style: styles[i]!, agreement, agreementStatistics };
  });
  const human = sources.find((source) => source.role === "human");
  const ordered = human === undefined ? sources : [human, ...sources.filter((s) => s !== human)];
  const examplesPerKind = options.examplesPerKind ?? 2;
  const examples: SourceExamples[] = [];
  for (const source of sources) {
    const hasRecords =
      (await source.run.has("labels.jsonl")) && (await source.run.has("manifestations.jsonl"));
    const selected = hasRecords
      ? await selectExamples(source.run, examplesPerKind)
      : new Map<string, FactorExamples>();
    const ids = new Set(
      [...selected.values()].flatMap((e) => [...e.concordant, ...e.discordant].map((x) => x.pairId)),
    );
    const texts: PairTexts =
      ids.size === 0 ? { texts: new Map(), from: [], unavailable: undefined } : await source.pairTexts(ids);
    examples.push({ source, examples: hasRecords ? selected : undefined, texts });
  }
  const comparisons = comparisonsOf(input.alignments, sources);
  const gaps = input.alignments.flatMap(({ folder, alignment }) =>
    alignment.generationEvaluationGaps.map(
      (gap): ReportGap => ({
        folder,
        gap,
        evaluation: alignment.comparisons.find((c) => c.compared.label === gap.evaluation),
        generation: alignment.comparisons.find((c) => c.compared.label === gap.generation),
      }),
    ),
  );
  return {
    title: options.title ?? defaultTitle(sources, input.studies),
    caption: options.caption,
    sources,
    factors: factorOrder(ordered),
    orderedBy: ordered[0]?.label,
    comparisons,
    alignments: input.alignments,
    gaps,
    improvements: input.improvements,
    studies: input.studies,
    examples,
    notes: countNotes(sources),
    examplesPerKind,
  };
}

function defaultTitle(sources: readonly ReportSource[], studies: readonly StudyInput[]): string {
  const task = studies[0]?.manifest.task ?? sources[0]?.manifest?.input.task;
  return task === undefined ? "profilekit report" : `profilekit report: ${task}`;
}
