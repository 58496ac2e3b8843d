import * as Plot from "@observablehq/plot";
import { type ChartMarkup, plotSvg, type SeriesStyle, seriesScales } from "./plot-svg.js";

/** One estimate: a row (a factor, a metric), the series it belongs to, its value and interval. */
export interface DotPoint {
  readonly row: string;
  readonly series: string;
  readonly value: number;
  readonly ci95: readonly [number, number] | null;
  /** The tooltip: the exact value, said in words. */
  readonly title: string;
}

/** A text at the right end of a row (a mark such as "gap CI excludes 0"), with its tooltip. */
export interface RowNote {
  readonly row: string;
  readonly text: string;
  readonly title: string;
}

export interface DotChartOptions {
  readonly ariaLabel: string;
  readonly rows: readonly string[];
  readonly series: readonly SeriesStyle[];
  readonly points: readonly DotPoint[];
  readonly xLabel: string;
  /** Default: the values and intervals, with 0, padded. */
  readonly xDomain?: readonly [number, number];
  /** Draws the line x = 0 with this tooltip. */
  readonly zeroTitle?: string;
  readonly notes?: readonly RowNote[];
}

const width = 720;

/** The x domain holding every value, interval and 0, padded by 5%. */
export function paddedDomain(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  const pad = (hi - lo || 1) * 0.05;
  return [lo - pad, hi + pad];
}

/** Left margin for row labels of this length (system-ui at 11 px is about 6.2 px a character). */
export function labelMargin(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map((label) => label.length));
  return Math.min(240, Math.max(60, Math.round(longest * 6.2) + 16));
}

/**
 * Points with 95% whiskers, one row per factor (or metric) and one offset line per series,
 * each series its own colour and symbol; a forest plot when the rows are factors.
 */
export function dotChart(options: DotChartOptions): ChartMarkup {
  const { rows, series, points } = options;
  const count = series.length;
  const rowHeight = Math.max(24, count * 9 + 8);
  const step = Math.min(8, (rowHeight - 8) / Math.max(1, count));
  const domain =
    options.xDomain ??
    paddedDomain(points.flatMap((p) => [p.value, ...(p.ci95 === null ? [] : [p.ci95[0], p.ci95[1]])]));
  const marks: Plot.Markish[] = [];
  if (options.zeroTitle !== undefined) {
    const title = options.zeroTitle;
    marks.push(Plot.ruleX([0], { stroke: "#6b6b6b", strokeDasharray: "4,3", title: () => title }));
  }
  for (const [i, style] of series.entries()) {
    const dy = (i - (count - 1) / 2) * step;
    const own = points.filter((point) => point.series === style.name);
    const whiskers = own.filter((point) => point.ci95 !== null);
    marks.push(
      Plot.ruleY(whiskers, {
        y: (p: DotPoint) => p.row,
        x1: (p: DotPoint) => p.ci95![0],
        x2: (p: DotPoint) => p.ci95![1],
        stroke: "series",
        strokeWidth: 2,
        dy,
        title: (p: DotPoint) => p.title,
      }),
      Plot.dot(own, {
        y: (p: DotPoint) => p.row,
        x: (p: DotPoint) => p.value,
        // Field names, not functions: Plot merges the colour and symbol legends of the same field.
        symbol: "series",
        fill: "series",
        stroke: "white",
        strokeWidth: 0.75,
        r: 4.5,
        dy,
        title: (p: DotPoint) => p.title,
      }),
    );
  }
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
  return plotSvg({
    ariaLabel: options.ariaLabel,
    width,
    height: rows.length * rowHeight + 48,
    marginLeft: labelMargin(rows),
    marginRight: notes.length > 0 ? 150 : 24,
    marginTop: 12,
    style: { fontSize: "11px" },
    x: { domain: [...domain], label: options.xLabel, labelAnchor: "center", labelArrow: "none", grid: true },
    y: { type: "point", domain: [...rows], label: null, padding: 0.5 },
    ...seriesScales(series, count > 1),
    marks,
  });
}
