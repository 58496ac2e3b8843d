import * as Plot from "@observablehq/plot";
import { labelMargin, paddedDomain, type RowNote } from "./dot-chart.js";
import { type ChartMarkup, plotSvg, type SeriesStyle, seriesScales } from "./plot-svg.js";

/** One row: a value "from" (the reference, e.g. human) to a value "to" (e.g. a model). */
interface DumbbellRow {
  readonly row: string;
  readonly from: number;
  readonly to: number;
  readonly fromTitle: string;
  readonly toTitle: string;
  /** The tooltip of the line between the two. */
  readonly title: string;
  /** Drawn thicker and darker: the difference is clear of 0. */
  readonly emphasised: boolean;
}

export interface DumbbellChartOptions {
  readonly ariaLabel: string;
  readonly rows: readonly DumbbellRow[];
  readonly from: SeriesStyle;
  readonly to: SeriesStyle;
  readonly xLabel: string;
  readonly xDomain?: readonly [number, number];
  readonly zeroTitle?: string;
  readonly notes?: readonly RowNote[];
}

/** A dumbbell (slope) chart: per row, a line from one estimate to another, each end its own symbol. */
export function dumbbellChart(options: DumbbellChartOptions): ChartMarkup {
  const { rows, from, to } = options;
  const domain = options.xDomain ?? paddedDomain(rows.flatMap((row) => [row.from, row.to]));
  const ends = rows.flatMap((row) => [
    { row: row.row, value: row.from, series: from.name, title: row.fromTitle },
    { row: row.row, value: row.to, series: to.name, title: row.toTitle },
  ]);
  const marks: Plot.Markish[] = [];
  if (options.zeroTitle !== undefined) {
    const title = options.zeroTitle;
    marks.push(Plot.ruleX([0], { stroke: "#6b6b6b", strokeDasharray: "4,3", title: () => title }));
  }
  marks.push(
    Plot.ruleY(rows, {
      y: (r: DumbbellRow) => r.row,
      x1: (r: DumbbellRow) => r.from,
      x2: (r: DumbbellRow) => r.to,
      stroke: (r: DumbbellRow) => (r.emphasised ? "#333333" : "#a6a6a6"),
      strokeWidth: (r: DumbbellRow) => (r.emphasised ? 3 : 1.5),
      title: (r: DumbbellRow) => r.title,
    }),
    Plot.dot(ends, {
      y: (e: (typeof ends)[number]) => e.row,
      x: (e: (typeof ends)[number]) => e.value,
      // Field names, not functions: Plot merges the colour and symbol legends of the same field.
      symbol: "series",
      fill: "series",
      stroke: "white",
      strokeWidth: 0.75,
      r: 5,
      title: (e: (typeof ends)[number]) => e.title,
    }),
  );
  const notes = options.notes ?? [];
  if (notes.length > 0) {
    marks.push(
      Plot.text(notes, {
        y: (n: RowNote) => n.row,
        x: () => domain[1],
        text: (n: RowNote) => n.text,
        textAnchor: "start",
        dx: 10,
        fontWeight: "bold",
        title: (n: RowNote) => n.title,
      }),
    );
  }
  const labels = rows.map((row) => row.row);
  return plotSvg({
    ariaLabel: options.ariaLabel,
    width: 720,
    height: rows.length * 24 + 48,
    marginLeft: labelMargin(labels),
    marginRight: notes.length > 0 ? 150 : 24,
    marginTop: 12,
    style: { fontSize: "11px" },
    x: { domain: [...domain], label: options.xLabel, labelAnchor: "center", labelArrow: "none", grid: true },
    y: { type: "point", domain: labels, label: null, padding: 0.5 },
    ...seriesScales([from, to], true),
    marks,
  });
}
