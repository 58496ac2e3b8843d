import { ProfileSchema } from "@profilekit/core";
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
