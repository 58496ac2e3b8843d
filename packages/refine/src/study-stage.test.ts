import { describe, expect, it } from "vitest";
import { ConfigSchema, defineConfig, ImprovementSettingsSchema, improvementStage } from "./study-stage.js";

describe("the improvement setting of profilekit run", () => {
  it("types and validates settings.improvement, with its defaults", () => {
    const config = defineConfig({
      task: "summarization",
      data: { path: "pairs.jsonl" },
      models: { generator: "openai:gpt-4o-mini" },
      settings: { human: true, improvement: { method: "feedback", rounds: 3 } },
    });
    const parsed = ConfigSchema.parse(config) as { settings: Record<string, unknown> };
    expect(parsed.settings.improvement).toEqual(
      ImprovementSettingsSchema.parse({ method: "feedback", rounds: 3 }),
    );
    expect(
      ConfigSchema.safeParse({ ...config, settings: { improvement: { method: "polish" } } }).success,
    ).toBe(false);
  });

  it("needs the generator, and models.judge only when the evaluator is the judge", () => {
    const settings = ImprovementSettingsSchema.parse({ method: "self-data" });
    expect(improvementStage.models(settings)).toEqual(["generator"]);
    expect(improvementStage.models({ ...settings, evaluator: "judge" })).toEqual(["generator", "judge"]);
    expect(improvementStage.needs).toEqual(["human"]);
  });
});
