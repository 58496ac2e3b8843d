import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "./build-report.js";
import { judgeFigure } from "./figures.js";

// The judge section of the fixture study, against the fixture's own evaluation profile.json: every
// expected text is formatted here from the file's numbers (toFixed), never taken from the report.

const fixtures = fileURLToPath(new URL("../test/fixtures/", import.meta.url));
const evaluationProfile = (root: string) => join(root, "project/study/evaluation/profile.json");

type Interval = [number, number] | null;
interface Share {
  value: number | null;
  count: number;
  of: number;
  ci95: Interval;
}
interface Baseline {
  factor: string;
  accuracyWithoutTies: Share;
  coverage: number | null;
  judgeMinusBaseline: { value: number | null; pairs: number; ci95: Interval };
  judgeBetter: boolean | null;
}
interface Statistics {
  accuracyWithoutTies: Share;
  cohenKappa: { value: number | null; pairs: number; ci95: Interval };
  positionConsistency: Share;
  baselines: Baseline[];
  warnings: string[];
}
interface EvaluationProfile {
  agreement: { accuracy: number | null; kappa: number | null; positionConsistency: number | null };
  agreementStatistics?: Statistics;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const percentInterval = (ci: [number, number]) => `[${percent(ci[0])}, ${percent(ci[1])}]`;
const interval = (ci: Interval) => (ci === null ? "—" : `[${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]`);
const signed = (x: number) => (x > 0 ? `+${x.toFixed(3)}` : x.toFixed(3));

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-report-judge-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function readProfile(root: string): Promise<EvaluationProfile> {
  return JSON.parse(await readFile(evaluationProfile(root), "utf8"));
}

/** A copy of the fixtures with the evaluation profile.json changed by `edit`. */
async function editedFixtures(name: string, edit: (profile: EvaluationProfile) => void): Promise<string> {
  const root = join(work, name);
  await cp(fixtures, root, { recursive: true });
  const profile = await readProfile(root);
  edit(profile);
  await writeFile(evaluationProfile(root), `${JSON.stringify(profile, null, 2)}\n`);
  return root;
}

async function reportOf(root: string) {
  const report = await buildReport([join(root, "project/study")], { displayBase: root });
  return { ...report, document: parseHTML(report.html).document };
}

const cellsOf = (table: Element) =>
  [...table.querySelectorAll("tbody tr")].map((tr) =>
    [...tr.querySelectorAll("td")].map((td) => td.textContent),
  );

/** The judge table: the first table of the judge section. */
const judgeTable = (document: Document) => document.querySelector("section#judge table")!;

/** The rows of "Is the judge better than one factor?", or undefined when the report has no such table. */
function baselineTable(document: Document): string[][] | undefined {
  const heading = document.querySelector("#judge-baselines");
  if (heading === null) return undefined;
  expect(heading.textContent).toBe("Is the judge better than one factor?");
  const table = heading.nextElementSibling!.nextElementSibling!.querySelector("table")!;
  return cellsOf(table) as string[][];
}

/** The verdict from the interval alone: above 0, not above 0, none. */
const verdict = (ci: Interval) => (ci === null ? "no interval" : ci[0] > 0 ? "better" : "not shown better");

function expectedBaselineRows(stats: Statistics): string[][] {
  return stats.baselines.map((b) => [
    "evaluation",
    b.factor,
    `${percent(b.accuracyWithoutTies.value!)} (${b.accuracyWithoutTies.count} of ${b.accuracyWithoutTies.of})`,
    percent(b.coverage!),
    signed(b.judgeMinusBaseline.value!),
    interval(b.judgeMinusBaseline.ci95),
    String(b.judgeMinusBaseline.pairs),
    verdict(b.judgeMinusBaseline.ci95),
  ]);
}

describe("the judge section with profile.json's agreementStatistics", () => {
  it("the fixture's judge has intervals (6 clusters), so the tests below test them", async () => {
    const stats = (await readProfile(fixtures)).agreementStatistics!;
    for (const ci of [stats.accuracyWithoutTies.ci95, stats.cohenKappa.ci95, stats.positionConsistency.ci95])
      expect(ci).not.toBeNull();
    expect(stats.baselines.length).toBeGreaterThan(0);
  });

  it("the judge table shows accuracy, kappa and position consistency with their intervals", async () => {
    const stats = (await readProfile(fixtures)).agreementStatistics!;
    const { document } = await reportOf(fixtures);
    const [row] = cellsOf(judgeTable(document));
    const { accuracyWithoutTies: accuracy, cohenKappa: kappa, positionConsistency: position } = stats;
    expect(row!.slice(0, 5)).toEqual([
      "evaluation",
      "openai:gpt-4o-mini",
      `${percent(accuracy.value!)} ${percentInterval(accuracy.ci95!)}`,
      `${kappa.value!.toFixed(3)} ${interval(kappa.ci95)}`,
      `${percent(position.value!)} ${percentInterval(position.ci95!)}`,
    ]);
  });

  it("the judge figure draws the three intervals, and each hover title gives the interval and the counts", async () => {
    const stats = (await readProfile(fixtures)).agreementStatistics!;
    const { model } = await reportOf(fixtures);
    const svg = parseHTML(`<!doctype html><html><body>${judgeFigure(model)!.svg}</body></html>`).document;
    const dots = [...svg.querySelectorAll('[aria-label="dot"] title')].map((t) => t.textContent);
    const { accuracyWithoutTies: accuracy, cohenKappa: kappa, positionConsistency: position } = stats;
    for (const [row, value, ci, counts] of [
      [
        "accuracy against humans (ties left out)",
        accuracy.value!,
        accuracy.ci95,
        `${accuracy.count} of ${accuracy.of} pairs`,
      ],
      ["Cohen's kappa with humans", kappa.value!, kappa.ci95, `${kappa.pairs} pairs`],
      [
        "position consistency (both orders agree)",
        position.value!,
        position.ci95,
        `${position.count} of ${position.of} pairs`,
      ],
    ] as const) {
      const title = dots.find((t) => t!.startsWith(`evaluation: ${row} = ${value.toFixed(3)}`));
      expect(title, row).toBeDefined();
      expect(title).toContain(`95% CI ${interval(ci)}`);
      expect(title!.endsWith(`; ${counts}`), title!).toBe(true);
    }
    // One whisker per interval (the other rule is the zero line), at the interval's ends.
    const whiskers = [...svg.querySelectorAll('[aria-label="rule"] line')].filter((line) =>
      line.querySelector("title")?.textContent?.includes("95% CI"),
    );
    expect(whiskers).toHaveLength(3);
  });

  it('"Is the judge better than one factor?" has one row per baseline of profile.json, in its order', async () => {
    const stats = (await readProfile(fixtures)).agreementStatistics!;
    const { document, markdown } = await reportOf(fixtures);
    const expected = expectedBaselineRows(stats);
    expect(baselineTable(document)).toEqual(expected);
    for (const row of expected) expect(markdown).toContain(`| ${row.join(" | ")} |`);
    expect(markdown).toContain("### Is the judge better than one factor?");
  });

  it("each verdict: above 0 is better, an interval reaching 0 is not shown better, none is no interval", async () => {
    const root = await editedFixtures("verdicts", (profile) => {
      const [first, second] = profile.agreementStatistics!.baselines;
      first!.judgeMinusBaseline = { ...first!.judgeMinusBaseline, value: 0.2, ci95: [0.05, 0.35] };
      first!.judgeBetter = true;
      second!.judgeMinusBaseline = { ...second!.judgeMinusBaseline, ci95: null };
      second!.judgeBetter = null;
    });
    const stats = (await readProfile(root)).agreementStatistics!;
    const rows = baselineTable((await reportOf(root)).document)!;
    expect(rows).toEqual(expectedBaselineRows(stats));
    expect(rows.map((row) => row.at(-1))).toEqual(
      stats.baselines.map((_, i) => (i === 0 ? "better" : i === 1 ? "no interval" : "not shown better")),
    );
    expect(rows[0]![4]).toBe("+0.200");
  });

  it("prints agreementStatistics' warnings as cautions, in the HTML and in report.md", async () => {
    const stats = (await readProfile(fixtures)).agreementStatistics!;
    expect(stats.warnings.length).toBeGreaterThan(0);
    const { document, markdown } = await reportOf(fixtures);
    const cautions = [...document.querySelectorAll("section#judge p.caution")].map((p) => p.textContent);
    expect(cautions).toEqual(stats.warnings.map((warning) => `evaluation: ${warning}`));
    for (const warning of stats.warnings) expect(markdown).toContain(`- **Note (evaluation):** ${warning}`);
  });
});

describe("the judge section of an older folder, without agreementStatistics", () => {
  it("renders the point values only: no interval, no counts, no baseline table; says why", async () => {
    const root = await editedFixtures("older", (profile) => {
      delete profile.agreementStatistics;
    });
    const { agreement } = await readProfile(root);
    const { document, markdown, model } = await reportOf(root);
    const [row] = cellsOf(judgeTable(document));
    expect(row!.slice(0, 5)).toEqual([
      "evaluation",
      "openai:gpt-4o-mini",
      percent(agreement.accuracy!),
      agreement.kappa!.toFixed(3),
      percent(agreement.positionConsistency!),
    ]);
    expect(baselineTable(document)).toBeUndefined();
    expect(markdown).not.toContain("Is the judge better than one factor?");
    const svg = parseHTML(`<!doctype html><html><body>${judgeFigure(model)!.svg}</body></html>`).document;
    const titles = [...svg.querySelectorAll("title")].map((t) => t.textContent);
    expect(titles).toContain(
      `evaluation: accuracy against humans (ties left out) = ${agreement.accuracy!.toFixed(3)} (${percent(agreement.accuracy!)})`,
    );
    expect(titles.filter((t) => t!.includes("95% CI"))).toEqual([]);
    const cautions = [...document.querySelectorAll("section#judge p.caution")].map((p) => p.textContent);
    expect(cautions).toHaveLength(1);
    expect(cautions[0]).toMatch(/^evaluation: profile\.json has no agreementStatistics/);
  });
});
