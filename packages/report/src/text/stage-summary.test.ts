import { type JudgedPair, judgeAgreement, ProfileSchema } from "@profilekit/core";
import { type UsageReport, UsageReportSchema } from "@profilekit/llm";
import { AlignmentFileSchema, type JudgeCounts } from "@profilekit/runner";
import { describe, expect, it } from "vitest";
import { renderAlignment } from "./alignment-summary.js";
import { renderProfileTable } from "./profile-table.js";
import {
  renderGenerationSummary,
  renderJudgeSummary,
  renderStudy,
  renderStudyFooter,
} from "./stage-summary.js";
import { formatUsage } from "./usage-summary.js";

const counts: JudgeCounts = {
  inputPairs: 6,
  judged: 5,
  failed: 1,
  modelTies: 1,
  inconsistent: 1,
  firstOrder: { original: 4, swapped: 2 },
};

describe("renderJudgeSummary", () => {
  it("says what was judged, and the four agreement figures to four decimals (— when undefined)", () => {
    const text = renderJudgeSummary({
      model: "openai:gpt-4o-mini",
      task: "summarization",
      prompt: { version: "summarization-judge@1" },
      counts,
      profile: { agreement: { accuracy: 0.75, kappa: null, positionConsistency: 0.8, tieRate: 0.2 } },
    });
    expect(text.split("\n")).toEqual([
      "openai:gpt-4o-mini judged 6 pairs (summarization, prompt summarization-judge@1) in both orders: 5 labelled, 1 without a label (a call failed)",
      "agreement with the human labels:",
      "  accuracy without ties  0.7500",
      "  Cohen's kappa          —",
      "  position consistency   0.8000  (1 pairs whose orders disagreed became ties)",
      "  tie rate (model)       0.2000",
    ]);
  });
});

describe("renderJudgeSummary with agreement statistics", () => {
  const verdicts = (label: "a" | "b" | "tie") =>
    ({ original: label, swapped: label === "a" ? "b" : label === "b" ? "a" : "tie" }) as const;
  // By hand: decisive pairs g1-g3, the judge right on g1 and g3 (2 of 3), with ties 2 of 4; picking
  // the longer is right on all three (1.0), so the judge's paired gain is (2 - 3) / 3.
  const judged = [
    { group: "g1", human: "a", judge: "a", verdicts: verdicts("a"), signs: { length: 1 } },
    { group: "g2", human: "a", judge: "b", verdicts: verdicts("b"), signs: { length: 1 } },
    { group: "g3", human: "b", judge: "b", verdicts: verdicts("b"), signs: { length: -1 } },
    { group: "g4", human: "tie", judge: "a", verdicts: verdicts("a"), signs: { length: 1 } },
  ] as const;
  const summary = (bootstrap: number, pairs: readonly JudgedPair[]) =>
    renderJudgeSummary({
      model: "m",
      task: "t",
      prompt: { version: "p@1" },
      counts: { ...counts, inputPairs: pairs.length, judged: pairs.length, failed: 0, inconsistent: 0 },
      profile: {
        agreement: { accuracy: null, kappa: null, positionConsistency: null, tieRate: null },
        agreementStatistics: judgeAgreement(pairs, { bootstrap, seed: 1 }),
      },
    }).split("\n");

  it("gives each figure its counts, and the single-factor baseline beside the judge", () => {
    const lines = summary(0, judged);
    expect(lines.slice(1, 9)).toEqual([
      "agreement with the human labels (4 labelled pairs, 4 clusters; no intervals):",
      "  accuracy without ties  0.6667          2 of 3",
      "  accuracy with ties     0.5000          2 of 4",
      // p_o = 2/4, p_e = 2/4 * 2/4 + 1/4 * 2/4 + 1/4 * 0 = 3/8: kappa = (1/2 - 3/8) / (5/8) = 0.2.
      "  Cohen's kappa          0.2000          4 pairs",
      "  position consistency   1.0000          4 of 4 (0 pairs whose orders disagreed became ties)",
      "  tie rate (model)       0.0000          human 0.2500",
      "single-factor baselines: picking the response with more of one factor, and the judge's paired gain over it:",
      "  factor  accuracy  95% CI  judge minus  95% CI",
    ]);
    expect(lines[9]).toBe("  length    1.0000              -0.3333");
    expect(lines[10]).toMatch(/^warning: Only 4 clusters in the judge agreement/);
  });

  it("prints the clustered intervals and says when the judge is not shown better than a factor", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...judged[i % 3]!, group: `g${i}` }));
    const lines = summary(200, many);
    expect(lines[1]).toBe(
      "agreement with the human labels (40 labelled pairs, 40 clusters; 95% CI: cluster bootstrap, B=200, seed 1):",
    );
    expect(lines[2]).toMatch(/^ {2}accuracy without ties {2}0\.6750 {2}\[0\.\d{4}, 0\.\d{4}\] {2}27 of 40$/);
    expect(lines.find((line) => line.startsWith("  length"))).toMatch(
      /^ {2}length +1\.0000 {2}\[1\.0000, 1\.0000\] +-0\.3250 {2}\[-0\.\d{4}, -0\.\d{4}\] {2}judge not shown better$/,
    );
    expect(lines.at(-1)).toMatch(
      /^warning: The judge is not shown to be better than judging by "length" alone/,
    );
  });
});

describe("renderGenerationSummary", () => {
  const result = {
    model: "openai:gpt-4o-mini",
    task: "summarization",
    prompt: { version: "summarization-generation@1" },
    counts: {
      humanPairs: 6,
      inputs: 3,
      calls: 9,
      written: 8,
      failed: 1,
      kept: 6,
      offTarget: 1,
      unscored: 1,
      pairsFormed: 9,
    },
    profile: { generation: { levels: 3 } },
  };

  it("says what was written, kept and paired, and what the self-check dropped when there was one", () => {
    expect(renderGenerationSummary(result, undefined)).toBe(
      "openai:gpt-4o-mini wrote 8 of 9 responses (3 inputs × 3 levels, summarization, prompt summarization-generation@1); 1 failed; 9 pairs",
    );
    expect(renderGenerationSummary(result, { delta: 1 })).toBe(
      "openai:gpt-4o-mini wrote 8 of 9 responses (3 inputs × 3 levels, summarization, prompt summarization-generation@1); " +
        "1 failed; self-check (delta 1) dropped 1 off target and 1 unscored; 9 pairs",
    );
  });
});

describe("renderStudy", () => {
  const profile = ProfileSchema.parse({
    schemaVersion: 1,
    variant: "tau14",
    pairs: 2,
    preferenceTies: 0,
    groups: 2,
    seed: 1,
    bootstrap: 0,
    permutations: 0,
    factors: [],
  });
  const usage: UsageReport = UsageReportSchema.parse({
    pricesAsOf: "2025-11-01",
    total: {
      calls: 2,
      requests: 2,
      cacheHits: 0,
      merged: 0,
      retries: 0,
      failures: 0,
      invalidOutputs: 0,
      inputTokens: 10,
      outputTokens: 2,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      costUsd: 0,
    },
    byModel: [],
    byStage: [],
    notes: [],
  });
  const comparison = {
    kendallTauB: { value: null, ci95: null },
    spearman: { value: null, ci95: null },
    factors: [],
    top3Overlap: 0,
    signAgreement: null,
    weighsMore: [],
    weighsLess: [],
    reference: { label: "human", file: "human/profile.json", variant: "tau14", pairs: 2 },
    compared: { label: "evaluation", file: "evaluation/profile.json", variant: "tau14", pairs: 2 },
    unscoredFactors: [],
  };
  const alignment = AlignmentFileSchema.parse({
    schemaVersion: 1,
    replicates: 0,
    seed: 1,
    ...comparison,
    comparisons: [comparison],
    generationEvaluationGaps: [],
  });

  it("heads each setting's table with its status and model, adds the usage of a model setting, then the alignment", () => {
    const text = renderStudy({
      stages: [
        { setting: "human", folder: "human", status: "ran", profile },
        { setting: "evaluation", folder: "evaluation", status: "resumed", profile, model: "openai:m", usage },
      ],
      alignment,
    });
    const table = renderProfileTable(profile);
    expect(text).toBe(
      `== human (ran) ==\n${table}\n\n` +
        `== evaluation (resumed, openai:m) ==\n${table}\n\n${formatUsage(usage)}\n\n` +
        `== alignment ==\n${renderAlignment(alignment)}\n`,
    );
    expect(
      renderStudy({
        stages: [{ setting: "human", folder: "human", status: "ran", profile }],
        alignment: undefined,
      }),
    ).toBe(`== human (ran) ==\n${table}\n\n`);
  });

  it("says what each plugin added, which folders were written, and why there is no alignment", () => {
    const plugin = (spec: string, factors: string[], providers: string[] = []) => ({
      spec,
      module: `/x/${spec}`,
      factors,
      tasks: [],
      providers,
    });
    const stages = [
      { setting: "human" as const, folder: "human", status: "ran" as const, profile },
      { setting: "evaluation" as const, folder: "evaluation", status: "resumed" as const, profile },
    ];
    expect(
      renderStudyFooter(
        { stages, alignment, plugins: [plugin("./politeness.ts", ["politeness"], ["mine"])] },
        "runs/study",
        true,
      ),
    ).toBe(
      "plugin ./politeness.ts: factor politeness, model provider mine:\n" +
        "wrote human/, alignment/, manifest.json, report.html, report.md to runs/study\n",
    );
    const alone = renderStudyFooter(
      { stages: stages.slice(0, 1), alignment: undefined, plugins: [plugin("./empty.ts", [])] },
      ".",
      false,
    );
    expect(alone).toMatch(
      /^plugin \.\/empty\.ts: nothing registered\nwrote human\/, manifest\.json to \.\nno alignment: /,
    );
  });
});
