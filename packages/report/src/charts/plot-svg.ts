import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** A chart's markup: inline SVG (in a <figure> when it has a legend), serialised by linkedom. */
export type ChartMarkup = string;

/**
 * Renders an Observable Plot chart in Node, without a browser: linkedom provides the document
 * Plot draws into, and serialises it (escaping every text and attribute). Each call uses a fresh
 * document, so the same options give the same bytes.
 */
export function plotSvg(options: Plot.PlotOptions & { ariaLabel: string }): ChartMarkup {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const node = Plot.plot({ ...options, document: document as unknown as Plot.PlotOptions["document"] });
  // With a legend, Plot wraps the chart in a <figure>: the chart is its <svg> child.
  const svg =
    node.tagName.toLowerCase() === "svg"
      ? node
      : [...node.children].find((child) => child.tagName.toLowerCase() === "svg");
  if (svg !== undefined) {
    svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    svg.setAttribute("role", "img");
  }
  return node.outerHTML;
}

/** Colours of the Okabe–Ito palette, distinguishable with the common colour-vision deficiencies. */
export const seriesColours = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
] as const;

/** Symbols, so that a series is told apart without its colour. */
export const seriesSymbols = ["circle", "square", "triangle", "diamond", "star", "cross", "wye"] as const;

/** A series' look: its name in the legend, colour and symbol. */
export interface SeriesStyle {
  readonly name: string;
  readonly colour: string;
  readonly symbol: string;
}

/** Styles for series in order: the i-th colour and symbol (cycling). */
export function seriesStyles(names: readonly string[]): SeriesStyle[] {
  return names.map((name, i) => ({
    name,
    colour: seriesColours[i % seriesColours.length]!,
    symbol: seriesSymbols[i % seriesSymbols.length]!,
  }));
}

/** The colour and symbol scales of `styles`, with one legend (symbol and colour together). */
export function seriesScales(styles: readonly SeriesStyle[], legend: boolean) {
  const domain = styles.map((style) => style.name);
  return {
    color: { domain, range: styles.map((style) => style.colour) },
    symbol: { domain, range: styles.map((style) => style.symbol), legend },
  };
}
