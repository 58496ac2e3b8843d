import { describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "./builtins.js";
import { modelFreeFactorIds, taskFactorIds } from "./factor-selection.js";
import { resolveRunTask } from "./task-selection.js";

const registry = createBuiltinRegistry();
const ids = (extractor: string | undefined, task = "summarization") =>
  taskFactorIds(registry, registry.task(task), extractor !== undefined);

describe("the default factors of judge and generate", () => {
  it("without an extractor: the task's factors that need no model, and its classical measures", () => {
    expect(ids(undefined)).toEqual(["length", "novelty", "source-overlap", "readability", "formality"]);
  });

  it("with an extractor: PROFILE's whole factor set for the task (DESIGN.md §2), then the classical measures", () => {
    expect(ids("openai:x", "instruction-following").slice(0, 9)).toEqual([
      "length",
      "fluency",
      "coherence",
      "number-of-facts",
      "misinformation",
      "intent-alignment",
      "formality-alignment",
      "helpfulness",
      "receptiveness",
    ]);
  });

  it("refuses a task whose classical factor needs a model, by the factor's own declaration", () => {
    const task = { ...registry.task("summarization"), classicalFactors: ["novelty", "coherence"] };
    expect(() => taskFactorIds(registry, task, true)).toThrow(
      expect.objectContaining({ code: "invalid_task", message: expect.stringContaining('"coherence"') }),
    );
  });

  it("analyze's default: every registered factor that needs no model, by its own declaration", () => {
    expect(modelFreeFactorIds(registry)).toEqual([
      "length",
      "novelty",
      "source-overlap",
      "readability",
      "formality",
    ]);
  });

  it("names the task every pair shares, and refuses a mix", () => {
    const pair = { id: "1", a: "x", b: "y", label: "a" as const };
    expect(resolveRunTask(registry, [{ ...pair, task: "document-qa" }], "f").id).toBe("document-qa");
    expect(() =>
      resolveRunTask(
        registry,
        [
          { ...pair, task: "document-qa" },
          { ...pair, id: "2", task: "summarization" },
        ],
        "f",
      ),
    ).toThrow(expect.objectContaining({ code: "mixed_tasks" }));
  });
});
