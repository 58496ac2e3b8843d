import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport, writeReport } from "./build-report.js";
import {
  dumbbellFigure,
  forestFigure,
  gapFigures,
  improvementFigures,
  judgeFigure,
  scatterFigure,
} from "./figures.js";

const fixtures = fileURLToPath(new URL("../test/fixtures/", import.meta.url));
const study = join(fixtures, "project/study");
const improve = join(fixtures, "improve");
const folders = [study, improve];
const options = { title: "Report fixture (fake model)", displayBase: fixtures };
const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-report-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const svgOf = (markup: string) => parseHTML(`<!doctype html><html><body>${markup}</body></html>`).document;

describe("the report of the fixture study", () => {
  it("report.md matches its snapshot", async () => {
    const report = await buildReport(folders, options);
    await expect(report.markdown).toMatchFileSnapshot("../test/__snapshots__/report.md");
  });

  it("every chart's SVG matches its snapshot", async () => {
    const { model } = await buildReport(folders, options);
    const figures = [
      forestFigure(model)!,
      ...model.comparisons.flatMap((c, i) => [dumbbellFigure(c, i), scatterFigure(c, i)]),
      ...gapFigures(model),
      judgeFigure(model)!,
      ...improvementFigures(model),
    ];
    expect(figures.map((f) => f.id)).toEqual([
      "forest",
      "dumbbell-1",
      "scatter-1",
      "dumbbell-2",
      "scatter-2",
      "gap-correlations",
      "gap-difference",
      "judge",
      "improvement-alignment",
      "improvement-delta",
      "revision-1",
    ]);
    for (const figure of figures)
      await expect(figure.svg).toMatchFileSnapshot(`../test/__snapshots__/${figure.id}.svg`);
  });

  it("the forest plot orders factors by |tau| of the human profile and titles every point with its exact score", async () => {
    const { model } = await buildReport(folders, options);
    const document = svgOf(forestFigure(model)!.svg);
    const human = (await readJson(join(study, "human/profile.json"))).factors as {
      factor: string;
      tau: number;
    }[];
    const order = [...human].sort(
      (x, y) => Math.abs(y.tau) - Math.abs(x.tau) || human.indexOf(x) - human.indexOf(y),
    );
    const ticks = [...document.querySelectorAll('[aria-label="y-axis tick label"] text')].map(
      (t) => t.textContent,
    );
    expect(ticks).toEqual(order.map((f) => f.factor));
    const titles = [...document.querySelectorAll('[aria-label="dot"] title')].map((t) => t.textContent);
    const sources = ["human", "evaluation", "generation"].map((s) => join(study, s, "profile.json"));
    sources.push(join(improve, "after", "profile.json"));
    let expected = 0;
    for (const [i, file] of sources.entries()) {
      const label = ["human", "evaluation", "generation", "improved"][i];
      for (const { factor, tau } of (await readJson(file)).factors as {
        factor: string;
        tau: number | null;
      }[]) {
        if (tau === null) continue;
        expected += 1;
        expect(
          titles.some((t) => t?.startsWith(`${factor} · ${label}: tau14 = ${tau.toFixed(3)}`)),
          `${label} ${factor}`,
        ).toBe(true);
      }
    }
    expect(titles).toHaveLength(expected);
  });

  it("the dumbbell marks exactly the factors whose sign differs and those whose gap interval excludes 0", async () => {
    const { model } = await buildReport(folders, options);
    const alignment = await readJson(join(study, "alignment/alignment.json"));
    for (const [i, comparison] of (
      alignment.comparisons as {
        factors: { factor: string; a: number; b: number; ci95: [number, number] }[];
      }[]
    ).entries()) {
      const document = svgOf(dumbbellFigure(model.comparisons[i]!, i).svg);
      const notes = new Map(
        [...document.querySelectorAll('[aria-label="text"] text')].map((t) => [
          t.querySelector("title")!.textContent!.split(":")[0],
          t.textContent,
        ]),
      );
      for (const f of comparison.factors) {
        const differs = f.a * f.b < 0 || (f.a === 0) !== (f.b === 0);
        const clear = f.ci95[0] > 0 || f.ci95[1] < 0;
        const text = notes.get(f.factor) ?? "";
        expect(text.includes("sign differs"), `${f.factor} sign`).toBe(differs);
        expect(text.includes("gap ≠ 0"), `${f.factor} gap`).toBe(clear);
      }
    }
  });

  it("has no script, no event handler, nothing to load; the payloads in the data show as text", async () => {
    const { html } = await buildReport(folders, options);
    const { document } = parseHTML(html);
    expect(document.querySelectorAll("script, iframe, object, embed, img, link, base")).toHaveLength(0);
    for (const element of document.querySelectorAll("*")) {
      for (const name of element.getAttributeNames()) {
        expect(name.startsWith("on"), `${element.tagName} ${name}`).toBe(false);
        if (name === "href") expect(element.getAttribute(name)!.startsWith("#"), "href").toBe(true);
      }
    }
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const text = document.body.textContent!;
    expect(text).toContain("<script>window.__pwned = 'script'</script>");
    expect(text).toContain(`<img src="x" onerror="window.__pwned = 'onerror'">`);
    expect(
      document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute("content"),
    ).toContain("default-src 'none'");
  });

  it("the same folders give the same bytes, wherever they are", async () => {
    const written: string[] = [];
    for (const place of ["one", "two"]) {
      await cp(fixtures, join(work, place, "fixtures"), { recursive: true });
      const out = await writeReport(
        [join(work, place, "fixtures/project/study"), join(work, place, "fixtures/improve")],
        { out: join(work, place, "report.html"), title: options.title },
      );
      written.push(await readFile(out.html, "utf8"), await readFile(out.markdown, "utf8"));
    }
    expect(written[2]).toBe(written[0]);
    expect(written[3]).toBe(written[1]);
    expect(written[0]).toContain("<code>fixtures/project/study/human</code>");
    const again = await buildReport(folders, options);
    expect((await buildReport(folders, options)).html).toBe(again.html);
  });
});
