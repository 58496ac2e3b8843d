import * as Plot from "@observablehq/plot";
import { type ChartMarkup, plotSvg, type SeriesStyle } from "./plot-svg.js";

interface ScatterPoint {
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly title: string;
}

export interface ScatterChartOptions {
  readonly ariaLabel: string;
  readonly points: readonly ScatterPoint[];
  readonly style: SeriesStyle;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Text in the top-left corner (lines separated by \n), with its tooltip. */
  readonly annotation: { readonly text: string; readonly title: string };
  readonly diagonalTitle: string;
}

/** One profile's scores against another's on [-1, 1]², with the diagonal y = x and labelled points. */
export function scatterChart(options: ScatterChartOptions): ChartMarkup {
  const { points, style } = options;
  const annotation = options.annotation;
  const diagonalTitle = options.diagonalTitle;
  return plotSvg({
    ariaLabel: options.ariaLabel,
    width: 460,
    height: 440,
    marginLeft: 48,
    marginRight: 24,
    marginTop: 16,
    marginBottom: 40,
    style: { fontSize: "11px" },
    x: { domain: [-1, 1], label: options.xLabel, labelAnchor: "center", labelArrow: "none", grid: true },
    y: { domain: [-1, 1], label: options.yLabel, labelAnchor: "center", labelArrow: "none", grid: true },
    marks: [
      Plot.ruleX([0], { stroke: "#bdbdbd", title: () => "x = 0" }),
      Plot.ruleY([0], { stroke: "#bdbdbd", title: () => "y = 0" }),
      Plot.line(
        [
          [-1, -1],
          [1, 1],
        ],
        { stroke: "#6b6b6b", strokeDasharray: "5,4", title: () => diagonalTitle },
      ),
      Plot.dot(points, {
        x: (p: ScatterPoint) => p.x,
        y: (p: ScatterPoint) => p.y,
        symbol: style.symbol,
        fill: style.colour,
        stroke: "white",
        strokeWidth: 0.75,
        r: 5,
        title: (p: ScatterPoint) => p.title,
      }),
      Plot.text(points, {
        x: (p: ScatterPoint) => p.x,
        y: (p: ScatterPoint) => p.y,
        text: (p: ScatterPoint) => p.label,
        textAnchor: "start",
        dx: 7,
        dy: -6,
        fontSize: 9,
        title: (p: ScatterPoint) => p.title,
      }),
      Plot.text([annotation], {
        frameAnchor: "top-left",
        text: (a: typeof annotation) => a.text,
        textAnchor: "start",
        lineAnchor: "top",
        dx: 6,
        dy: 6,
        fontWeight: "bold",
        title: (a: typeof annotation) => a.title,
      }),
    ],
  });
}
