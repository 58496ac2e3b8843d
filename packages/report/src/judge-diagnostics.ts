import { formatCount, formatInterval, formatPercent, formatScore } from "./number-format.js";
import type { ReportModel, ReportSource } from "./report-model.js";

// What the judge section shows, for the HTML and the Markdown report alike: each judge's headline
// figures with their intervals and counts (profile.json's agreementStatistics when it has them,
// else the point values of `agreement`), the single-factor baselines, and the cautions.

/** A source that judged pairs: it has an agreement with the human labels. */
export type JudgeSource = ReportSource & { readonly agreement: NonNullable<ReportSource["agreement"]> };

type Statistics = NonNullable<ReportSource["agreementStatistics"]>;

/** The judges among the report's sources, in the report's order. */
export function judgesOf(model: ReportModel): JudgeSource[] {
  return model.sources.filter((s): s is JudgeSource => s.agreement !== undefined);
}

/** One headline figure of a judge: the point, its interval and the counts behind it. */
export interface JudgeMetric {
  readonly value: number | null;
  readonly ci95: readonly [number, number] | null;
  /** "3 of 10 pairs", "12 pairs"; undefined without agreementStatistics. */
  readonly counts: string | undefined;
  /** A share in [0, 1] (shown as a percentage), not kappa. */
  readonly share: boolean;
}

type JudgeMetricKey = "accuracy" | "kappa" | "positionConsistency" | "tieRate";

/**
 * A judge's four headline figures. With agreementStatistics: accuracy (ties left out, its
 * `accuracyWithoutTies`), Cohen's kappa and position consistency with their intervals and counts,
 * the model's tie rate without one. Without: profile.json's `agreement`, points only.
 */
export function judgeMetrics(judge: JudgeSource): Record<JudgeMetricKey, JudgeMetric> {
  const stats = judge.agreementStatistics;
  const point = (value: number | null, share: boolean): JudgeMetric => ({
    value,
    ci95: null,
    counts: undefined,
    share,
  });
  if (stats === undefined) {
    const a = judge.agreement;
    return {
      accuracy: point(a.accuracy, true),
      kappa: point(a.kappa, false),
      positionConsistency: point(a.positionConsistency, true),
      tieRate: point(a.tieRate, true),
    };
  }
  const share = (s: Statistics["accuracy"]): JudgeMetric => ({
    value: s.value,
    ci95: s.ci95,
    counts: `${formatCount(s.count)} of ${formatCount(s.of)} pairs`,
    share: true,
  });
  return {
    accuracy: share(stats.accuracyWithoutTies),
    kappa: {
      value: stats.cohenKappa.value,
      ci95: stats.cohenKappa.ci95,
      counts: `${formatCount(stats.cohenKappa.pairs)} pairs`,
      share: false,
    },
    positionConsistency: share(stats.positionConsistency),
    tieRate: point(stats.judgeTieRate, true),
  };
}

/** A figure as a table cell: "30.0% [2.0%, 72.2%]" for a share, "-0.385 [-0.714, -0.108]" for kappa. */
export function formatMetric(metric: JudgeMetric): string {
  if (!metric.share) {
    return metric.ci95 === null
      ? formatScore(metric.value)
      : `${formatScore(metric.value)} ${formatInterval(metric.ci95)}`;
  }
  return metric.ci95 === null
    ? formatPercent(metric.value)
    : `${formatPercent(metric.value)} [${formatPercent(metric.ci95[0])}, ${formatPercent(metric.ci95[1])}]`;
}

/** What the judge's paired difference from one factor's baseline shows. */
type Verdict = "better" | "not shown better" | "no interval";

/** `judgeBetter` in words: its interval lies above 0, it does not, or there is no interval. */
function verdictOf(judgeBetter: boolean | null): Verdict {
  return judgeBetter === null ? "no interval" : judgeBetter ? "better" : "not shown better";
}

/** One row of "Is the judge better than one factor?", its cells as text. */
export interface BaselineRow {
  readonly judge: string;
  readonly factor: string;
  /** The factor's accuracy alone (ties left out), with its counts. */
  readonly accuracy: string;
  readonly coverage: string;
  /** Judge minus factor, signed. */
  readonly difference: string;
  readonly interval: string;
  /** The pairs the difference is paired over. */
  readonly pairs: string;
  readonly verdict: Verdict;
}

const signed = (value: number | null) =>
  value !== null && value > 0 ? `+${formatScore(value)}` : formatScore(value);

/** Per judge with agreementStatistics and per rule factor baseline, in profile.json's order. */
export function baselineRows(model: ReportModel): BaselineRow[] {
  return judgesOf(model).flatMap((judge) =>
    (judge.agreementStatistics?.baselines ?? []).map((b) => ({
      judge: judge.label,
      factor: b.factor,
      accuracy: `${formatPercent(b.accuracyWithoutTies.value)} (${formatCount(b.accuracyWithoutTies.count)} of ${formatCount(b.accuracyWithoutTies.of)})`,
      coverage: formatPercent(b.coverage),
      difference: signed(b.judgeMinusBaseline.value),
      interval: formatInterval(b.judgeMinusBaseline.ci95),
      pairs: formatCount(b.judgeMinusBaseline.pairs),
      verdict: verdictOf(b.judgeBetter),
    })),
  );
}

export const baselineTitle = "Is the judge better than one factor?";

/** The one line under the baseline table. */
export const baselineCaption =
  "Each rule factor's sign as a judge on its own (pick the response with more of it) against the judge: judge − factor is the judge's accuracy minus the factor's, paired over the pairs where the human label, the judge and the sign are all decisive, with a 95% clustered-bootstrap interval; " +
  '"better" when that interval lies above 0. Coverage: the share of the pairs with a decisive human label where the sign is decisive.';

/** A caution about a judge: agreementStatistics' warnings, or that the folder has none. */
export interface JudgeCaution {
  readonly judge: string;
  readonly text: string;
}

/** agreementStatistics' warnings per judge, and a note for each judge whose profile.json lacks the block. */
export function judgeCautions(model: ReportModel): JudgeCaution[] {
  return judgesOf(model).flatMap((judge) =>
    judge.agreementStatistics === undefined
      ? [
          {
            judge: judge.label,
            text: "profile.json has no agreementStatistics (a folder written before profilekit 0.2): the figures are shown without intervals or counts, and without single-factor baselines.",
          },
        ]
      : judge.agreementStatistics.warnings.map((text) => ({ judge: judge.label, text })),
  );
}
