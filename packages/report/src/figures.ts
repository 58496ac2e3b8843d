import { type DotPoint, dotChart, type RowNote } from "./charts/dot-chart.js";
import { dumbbellChart } from "./charts/dumbbell-chart.js";
import type { ChartMarkup } from "./charts/plot-svg.js";
import { seriesColours, seriesStyles, seriesSymbols } from "./charts/plot-svg.js";
import { scatterChart } from "./charts/scatter-chart.js";
import { judgeMetrics, judgesOf } from "./judge-diagnostics.js";
import { formatWithInterval, formatInterval, formatPercent, formatScore } from "./number-format.js";
import type { ReportComparison, ReportModel } from "./report-model.js";

/** A chart with its heading and a caption saying how to read it. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: ChartMarkup;
}

const estimate = (value: number | null, ci: readonly [number, number] | null) =>
  ci === null ? formatScore(value) : `${formatScore(value)}, 95% CI ${formatInterval(ci)}`;

/** The interval lies entirely above or below 0. */
export const excludesZero = (ci: readonly [number, number] | null): boolean =>
  ci !== null && (ci[0] > 0 || ci[1] < 0);

/** Forest plot: each factor's score per source, with its 95% interval; factors by |tau| of the human profile. */
export function forestFigure(model: ReportModel): Figure | undefined {
  const points: DotPoint[] = model.sources.flatMap((source) =>
    source.profile.factors.flatMap((f) =>
      f.tau === null
        ? []
        : [
            {
              row: f.factor,
              series: source.label,
              value: f.tau,
              ci95: f.ci95,
              title: `${f.factor} · ${source.label}: ${source.profile.variant} = ${estimate(f.tau, f.ci95)} (C ${f.concordant}, D ${f.discordant}, factor ties ${f.factorTies}, missing ${f.missing})`,
            },
          ],
    ),
  );
  if (points.length === 0) return undefined;
  const variants = [...new Set(model.sources.map((s) => s.profile.variant))].join(", ");
  return {
    id: "forest",
    title: "Factor scores by source",
    caption:
      `Each factor's score (${variants}) with its 95% clustered-bootstrap interval, one line per source. ` +
      `tau > 0: the preferred response shows more of the factor; tau < 0: less. ` +
      `Factors are ordered by |tau| of ${model.orderedBy ?? "the first source"}.`,
    svg: dotChart({
      ariaLabel: "Forest plot of factor scores with 95% intervals, per source",
      rows: model.factors,
      series: model.sources.map((s) => s.style),
      points,
      xLabel: `factor score (${variants})`,
      xDomain: [-1, 1],
      zeroTitle: "tau = 0: the factor does not drive the labels",
    }),
  };
}

/** Marks of a factor in a comparison: its sign differs from the reference's, its gap's interval excludes 0. */
export function comparisonMarks(factor: ReportComparison["comparison"]["factors"][number]) {
  return {
    signDiffers: Math.sign(factor.a) !== Math.sign(factor.b),
    gapExcludesZero: excludesZero(factor.ci95),
  };
}

/** The comparison's factors, ordered by |tau| of the reference. */
export function orderedComparisonFactors(comparison: ReportComparison["comparison"]) {
  return comparison.factors
    .map((factor, index) => ({ factor, index }))
    .sort((x, y) => Math.abs(y.factor.a) - Math.abs(x.factor.a) || x.index - y.index)
    .map((entry) => entry.factor);
}

/** Human → model dumbbell for one comparison, marking sign differences and gaps clear of 0. */
export function dumbbellFigure(entry: ReportComparison, index: number): Figure {
  const { comparison, referenceStyle, comparedStyle } = entry;
  const reference = comparison.reference.label;
  const factors = orderedComparisonFactors(comparison);
  const notes: RowNote[] = factors.flatMap((f) => {
    const marks = comparisonMarks(f);
    const text = [marks.signDiffers ? "sign differs" : "", marks.gapExcludesZero ? "gap ≠ 0" : ""]
      .filter((t) => t !== "")
      .join("; ");
    return text === ""
      ? []
      : [
          {
            row: f.factor,
            text,
            title: `${f.factor}: ${marks.signDiffers ? `the signs differ (${reference} ${formatScore(f.a)}, ${entry.name} ${formatScore(f.b)})` : "same sign"}; gap ${estimate(f.gap, f.ci95)}${marks.gapExcludesZero ? ", the interval excludes 0" : ""}`,
          },
        ];
  });
  return {
    id: `dumbbell-${index + 1}`,
    title: `${reference} → ${entry.name}`,
    caption:
      `Each factor's score for ${reference} (${referenceStyle.symbol}) and for ${entry.name} (${comparedStyle.symbol}). ` +
      `"sign differs": the two scores have opposite signs; "gap ≠ 0" (thick line): the gap's 95% interval excludes 0.`,
    svg: dumbbellChart({
      ariaLabel: `Dumbbell chart: factor scores of ${reference} and ${entry.name}`,
      rows: factors.map((f) => ({
        row: f.factor,
        from: f.a,
        to: f.b,
        fromTitle: `${f.factor} · ${reference}: ${formatScore(f.a)}`,
        toTitle: `${f.factor} · ${entry.name}: ${formatScore(f.b)}`,
        title: `${f.factor}: gap (${entry.name} − ${reference}) = ${estimate(f.gap, f.ci95)}`,
        emphasised: excludesZero(f.ci95),
      })),
      from: referenceStyle,
      to: comparedStyle,
      xLabel: "factor score",
      xDomain: [-1, 1],
      zeroTitle: "tau = 0",
      notes,
    }),
  };
}

/** Human tau against model tau for one comparison, with y = x and the rank correlations. */
export function scatterFigure(entry: ReportComparison, index: number): Figure {
  const { comparison } = entry;
  const reference = comparison.reference.label;
  const tauB = comparison.kendallTauB;
  const rho = comparison.spearman;
  return {
    id: `scatter-${index + 1}`,
    title: `${reference} against ${entry.name}`,
    caption: `One point per factor. On the dashed line y = x the model weighs a factor as ${reference} does; tau_b and Spearman's rho between the two profiles, with 95% parametric-bootstrap intervals.`,
    svg: scatterChart({
      ariaLabel: `Scatter of factor scores: ${reference} against ${entry.name}`,
      points: comparison.factors.map((f) => ({
        label: f.factor,
        x: f.a,
        y: f.b,
        title: `${f.factor}: ${reference} ${formatScore(f.a)}, ${entry.name} ${formatScore(f.b)}`,
      })),
      style: entry.comparedStyle,
      xLabel: `${reference} factor score`,
      yLabel: `${entry.name} factor score`,
      annotation: {
        text: `tau_b = ${formatWithInterval(tauB.value, tauB.ci95, 2)}\nSpearman = ${formatWithInterval(rho.value, rho.ci95, 2)}`,
        title: `Kendall tau_b = ${estimate(tauB.value, tauB.ci95)}; Spearman = ${estimate(rho.value, rho.ci95)}`,
      },
      diagonalTitle: `y = x: ${entry.name} weighs the factor as ${reference} does`,
    }),
  };
}

/** PROFILE's headline: each model's alignment as a judge and as a writer, and their difference. */
export function gapFigures(model: ReportModel): Figure[] {
  if (model.gaps.length === 0) return [];
  // The colours and symbols of the second and third series, as evaluation and generation have in a study.
  const judge = { name: "as a judge (evaluation)", colour: seriesColours[1], symbol: seriesSymbols[1] };
  const writer = { name: "as a writer (generation)", colour: seriesColours[2], symbol: seriesSymbols[2] };
  const modelName = (gap: ReportModel["gaps"][number]) =>
    gap.gap.model ?? `${gap.gap.evaluation} / ${gap.gap.generation}`;
  const rows = [...new Set(model.gaps.map(modelName))];
  const correlations: DotPoint[] = model.gaps.flatMap((entry) => {
    const name = modelName(entry);
    const points: DotPoint[] = [];
    for (const [style, value, comparison] of [
      [judge, entry.gap.evaluationTauB, entry.evaluation],
      [writer, entry.gap.generationTauB, entry.generation],
    ] as const) {
      if (value === null) continue;
      const ci = comparison?.kendallTauB.ci95 ?? null;
      points.push({
        row: name,
        series: style.name,
        value,
        ci95: ci,
        title: `${name} ${style.name}: tau_b with human = ${estimate(value, ci)}`,
      });
    }
    return points;
  });
  const differences: DotPoint[] = model.gaps.flatMap((entry) => {
    const d = entry.gap.tauBDifference;
    const name = modelName(entry);
    return d.value === null
      ? []
      : [
          {
            row: name,
            series: "evaluation − generation",
            value: d.value,
            ci95: d.ci95,
            title: `${name}: tau_b(evaluation) − tau_b(generation) = ${estimate(d.value, d.ci95)}`,
          },
        ];
  });
  const diffStyle = { name: "evaluation − generation", colour: "#000000", symbol: "diamond" };
  return [
    {
      id: "gap-correlations",
      title: "Alignment with people: as a judge and as a writer",
      caption:
        "Kendall tau_b between each model profile and the human profile, with 95% intervals: 1 means the model ranks the factors as people do.",
      svg: dotChart({
        ariaLabel: "Kendall tau_b with the human profile, per model, as judge and as writer",
        rows,
        series: [judge, writer],
        points: correlations,
        xLabel: "Kendall tau_b with the human profile",
        xDomain: [-1, 1],
        zeroTitle: "tau_b = 0: no agreement in the factors' order",
      }),
    },
    {
      id: "gap-difference",
      title: "Generation–evaluation gap",
      caption:
        "tau_b as a judge minus tau_b as a writer, with its 95% interval (the human profile drawn once per replicate). Above 0: the model judges more like people than it writes.",
      svg: dotChart({
        ariaLabel: "Generation-evaluation gap per model with 95% interval",
        rows,
        series: [diffStyle],
        points: differences,
        xLabel: "tau_b(evaluation) − tau_b(generation)",
        xDomain: [-2, 2],
        zeroTitle: "no gap",
      }),
    },
  ];
}

/** Raw tau_b against length-controlled (partial) tau_b per factor, one chart per source that has them. */
export function lengthFigures(model: ReportModel): Figure[] {
  return model.sources.flatMap((source, index) => {
    const scores = (source.profile.attribution?.lengthControlled ?? []).filter(
      (s) => s.tauB !== null && s.partialTauB !== null,
    );
    if (scores.length === 0) return [];
    const raw = { name: "raw tau_b", colour: "#6b6b6b", symbol: "circle" };
    const controlled = { ...source.style, name: "length-controlled" };
    const order = model.factors.filter((factor) => scores.some((s) => s.factor === factor));
    return [
      {
        id: `length-${index + 1}`,
        title: `Raw and length-controlled scores: ${source.label}`,
        caption:
          "tau_b of each factor (grey) and its partial tau_b with length held fixed (coloured). A factor whose score moves towards 0 owes part of it to length.",
        svg: dumbbellChart({
          ariaLabel: `Raw against length-controlled factor scores, ${source.label}`,
          rows: order.map((factor) => {
            const s = scores.find((x) => x.factor === factor)!;
            return {
              row: factor,
              from: s.tauB!,
              to: s.partialTauB!,
              fromTitle: `${factor} · ${source.label}: raw tau_b = ${formatScore(s.tauB)}`,
              toTitle: `${factor} · ${source.label}: length-controlled tau_b = ${formatScore(s.partialTauB)}`,
              title: `${factor}: raw ${formatScore(s.tauB)} → length-controlled ${formatScore(s.partialTauB)}`,
              emphasised: false,
            };
          }),
          from: raw,
          to: controlled,
          xLabel: "tau_b",
          xDomain: [-1, 1],
          zeroTitle: "tau_b = 0",
        }),
      },
    ];
  });
}

/** The joint regression's coefficients with intervals, one series per source that has one. */
export function jointFigure(model: ReportModel): Figure | undefined {
  const withJoint = model.sources.filter(
    (s) => (s.profile.attribution?.jointRegression?.factors.length ?? 0) > 0,
  );
  const points: DotPoint[] = withJoint.flatMap((source) =>
    source.profile.attribution!.jointRegression!.factors.flatMap((f) =>
      f.coefficient === null
        ? []
        : [
            {
              row: f.factor,
              series: source.label,
              value: f.coefficient,
              ci95: f.ci95,
              title: `${f.factor} · ${source.label}: joint coefficient = ${estimate(f.coefficient, f.ci95)}`,
            },
          ],
    ),
  );
  if (points.length === 0) return undefined;
  return {
    id: "joint",
    title: "Joint attribution",
    caption:
      "Coefficients of an L2 logistic regression of the label on all factors at once (per standard deviation of each factor's difference), with 95% clustered-bootstrap intervals: a factor's effect with the others held fixed.",
    svg: dotChart({
      ariaLabel: "Joint-regression coefficients with 95% intervals, per source",
      rows: model.factors.filter((factor) => points.some((p) => p.row === factor)),
      series: withJoint.map((s) => s.style),
      points,
      xLabel: "joint coefficient (log-odds per SD)",
      zeroTitle: "coefficient = 0: no effect with the other factors held fixed",
    }),
  };
}

const judgeRows = [
  ["accuracy", "accuracy against humans (ties left out)"],
  ["kappa", "Cohen's kappa with humans"],
  ["positionConsistency", "position consistency (both orders agree)"],
  ["tieRate", "tie rate"],
] as const;

/**
 * The judges' agreement with people and their position consistency, each with its 95% interval
 * and counts when profile.json has agreementStatistics (points only for an older folder).
 */
export function judgeFigure(model: ReportModel): Figure | undefined {
  const judges = judgesOf(model);
  if (judges.length === 0) return undefined;
  const points: DotPoint[] = judges.flatMap((source) => {
    const metrics = judgeMetrics(source);
    return judgeRows.flatMap(([key, row]) => {
      const { value, ci95, counts, share } = metrics[key];
      if (value === null) return [];
      const shown = share ? `${formatScore(value)} (${formatPercent(value)})` : formatScore(value);
      const interval =
        ci95 !== null ? `, 95% CI ${formatInterval(ci95)}` : counts !== undefined ? ", no 95% interval" : "";
      const title = `${source.label}: ${row} = ${shown}${interval}${counts === undefined ? "" : `; ${counts}`}`;
      return [{ row, series: source.label, value, ci95, title }];
    });
  });
  const withIntervals = judges.some((j) => j.agreementStatistics !== undefined);
  return {
    id: "judge",
    title: "Judge diagnostics",
    caption:
      "How each judge agrees with the human labels and with itself when the pair is shown in the other order. Kappa corrects accuracy for chance (0: chance, 1: perfect)." +
      (withIntervals
        ? " Whiskers: 95% clustered-bootstrap intervals (the pairs' clusters resampled), from profile.json's agreementStatistics."
        : ""),
    svg: dotChart({
      ariaLabel: "Judge diagnostics: accuracy, kappa, position consistency and tie rate",
      rows: judgeRows.map(([, row]) => row),
      series: judges.map((s) => s.style),
      points,
      xLabel: "value",
      xDomain: [-1, 1],
      zeroTitle: "0",
    }),
  };
}

/** Alignment before and after each improvement strategy, the paired difference, and the revision profile. */
export function improvementFigures(model: ReportModel): Figure[] {
  if (model.improvements.length === 0) return [];
  const name = (i: ReportModel["improvements"][number], index: number) =>
    `${i.improvement.method} · ${i.improvement.model}${model.improvements.length > 1 && model.improvements.some((o, j) => j !== index && o.improvement.method === i.improvement.method && o.improvement.model === i.improvement.model) ? ` (${index + 1})` : ""}`;
  const rows = model.improvements.map(name);
  const [before, after] = seriesStyles(["before", "after", "x", "revision"]).filter((_, i) => i !== 2);
  const alignmentPoints: DotPoint[] = model.improvements.flatMap((entry, index) =>
    (
      [
        [before!, entry.improvement.before],
        [after!, entry.improvement.after],
      ] as const
    ).flatMap(([style, summary]) =>
      summary.kendallTauB.value === null
        ? []
        : [
            {
              row: rows[index]!,
              series: style.name,
              value: summary.kendallTauB.value,
              ci95: summary.kendallTauB.ci95,
              title: `${rows[index]} ${style.name}: tau_b with human = ${estimate(summary.kendallTauB.value, summary.kendallTauB.ci95)}`,
            },
          ],
    ),
  );
  const deltaPoints: DotPoint[] = model.improvements.flatMap((entry, index) => {
    const d = entry.improvement.delta.kendallTauB;
    return d.value === null
      ? []
      : [
          {
            row: rows[index]!,
            series: "after − before",
            value: d.value,
            ci95: d.ci95,
            title: `${rows[index]}: paired difference after − before = ${estimate(d.value, d.ci95)} (${entry.improvement.resampling.method})`,
          },
        ];
  });
  const figures: Figure[] = [
    {
      id: "improvement-alignment",
      title: "Alignment before and after improvement",
      caption:
        "Kendall tau_b of the generation profile with the human profile, before and after each strategy, with 95% intervals.",
      svg: dotChart({
        ariaLabel: "Alignment with the human profile before and after each improvement strategy",
        rows,
        series: [before!, after!],
        points: alignmentPoints,
        xLabel: "Kendall tau_b with the human profile",
        xDomain: [-1, 1],
        zeroTitle: "tau_b = 0",
      }),
    },
    {
      id: "improvement-delta",
      title: "Paired change in alignment",
      caption:
        "tau_b after minus tau_b before, with its paired 95% interval (the same inputs resampled in both). Above 0: the strategy moved generation towards people.",
      svg: dotChart({
        ariaLabel: "Paired change in alignment per improvement strategy",
        rows,
        series: [{ name: "after − before", colour: "#000000", symbol: "diamond" }],
        points: deltaPoints,
        xLabel: "tau_b after − tau_b before",
        xDomain: [-2, 2],
        zeroTitle: "no change",
      }),
    },
  ];
  const human = model.sources.find((s) => s.role === "human");
  for (const [index, entry] of model.improvements.entries()) {
    const revision = entry.revision;
    if (revision === undefined) continue;
    const revisionStyle = { name: `revision (${rows[index]})`, colour: "#CC79A7", symbol: "diamond" };
    const humanStyle = human?.style ?? { name: "human", colour: "#0072B2", symbol: "circle" };
    const points: DotPoint[] = [
      ...(human?.profile.factors ?? []).map((f) => ({ f, style: humanStyle })),
      ...revision.factors.map((f) => ({ f, style: revisionStyle })),
    ].flatMap(({ f, style }) =>
      f.tau === null
        ? []
        : [
            {
              row: f.factor,
              series: style.name,
              value: f.tau,
              ci95: f.ci95,
              title: `${f.factor} · ${style.name}: ${estimate(f.tau, f.ci95)}`,
            },
          ],
    );
    const factors = [...model.factors, ...revision.factors.map((f) => f.factor)].filter(
      (factor, i, all) => all.indexOf(factor) === i && points.some((p) => p.row === factor),
    );
    figures.push({
      id: `revision-${index + 1}`,
      title: `Revision profile: ${rows[index]}`,
      caption:
        'What the strategy changes: each (final, first draft) pair labelled "final preferred", scored like any profile, beside the human profile. A large revision score on a factor people do not value (length, say) means the loop optimises that factor rather than alignment.',
      svg: dotChart({
        ariaLabel: `Revision profile of ${rows[index]} beside the human profile`,
        rows: factors,
        series: human === undefined ? [revisionStyle] : [humanStyle, revisionStyle],
        points,
        xLabel: "factor score",
        xDomain: [-1, 1],
        zeroTitle: "tau = 0",
      }),
    });
  }
  return figures;
}
