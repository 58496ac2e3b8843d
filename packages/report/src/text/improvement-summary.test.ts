import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { UsageTracker } from "@profilekit/llm";
import {
  type ExportSummary,
  type ImprovementFile,
  ImprovementFileSchema,
  type SplitFile,
} from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { RevisionFileSchema } from "../input/run-folders.js";
import { renderImprovementFooter, renderImprovementSummary } from "./improvement-summary.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../test/fixtures/improve/${name}`, import.meta.url));
const usage = new UsageTracker().report();

async function fixtureRun() {
  const improvement = ImprovementFileSchema.parse(
    JSON.parse(await readFile(fixture("improvement.json"), "utf8")),
  );
  const revision = RevisionFileSchema.parse(
    JSON.parse(await readFile(fixture("revision-profile.json"), "utf8")),
  );
  return { improvement, revision };
}

/** The fixture's improvement with a clear paired change in tau_b and a factor moved towards the human score. */
function withClearChange(improvement: ImprovementFile): ImprovementFile {
  const [first, ...rest] = improvement.factors;
  return {
    ...improvement,
    delta: { ...improvement.delta, kendallTauB: { value: 0.3, ci95: [0.1, 0.5] } },
    factors: [{ ...first!, distanceChange: { value: -0.2, ci95: [-0.3, -0.1] } }, ...rest],
  };
}

describe("renderImprovementSummary", () => {
  it("prints before, after and the paired change, every factor, the revision and the usage", async () => {
    const { improvement, revision } = await fixtureRun();
    const text = renderImprovementSummary({
      method: "feedback",
      improvement,
      revision,
      split: undefined,
      exports: undefined,
      alignment: undefined,
      usage,
    });
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      `improve --method feedback: openai:gpt-4o-mini, evaluator openai:gpt-4o-mini (the generator itself: self-preference may apply); ${improvement.inputs.count} inputs x 3 levels`,
    );
    expect(lines.find((l) => l.startsWith("Kendall tau_b"))).toContain(
      improvement.before.kendallTauB.value!.toFixed(3),
    );
    for (const factor of improvement.factors)
      expect(lines.some((l) => l.startsWith(`${factor.factor} `))).toBe(true);
    // Few clusters (6 articles): the interval includes 0, and the caution is said, not hidden.
    expect(improvement.delta.kendallTauB.ci95![0]).toBeLessThan(0);
    expect(text).toContain("the paired interval includes 0: no clear change");
    expect(text).toContain("note: Only 6 clusters to resample");
    const { responses, revised, stoppedEarly } = revision.revision;
    expect(text).toMatch(
      new RegExp(
        `^revision: ${revised} of ${responses} responses revised, ${stoppedEarly} found on target`,
        "m",
      ),
    );
    expect(text).toContain("model calls: 0");
  });

  it("says which way a clear change went, marks the factors that moved closer, and warns when the loop lengthens", async () => {
    const { improvement, revision } = await fixtureRun();
    const lengthening = {
      ...revision,
      revision: {
        ...revision.revision,
        mostlyLengthens: true,
        note: "the loop mostly lengthens: 3 of 4 revisions",
      },
    };
    const text = renderImprovementSummary({
      method: "feedback",
      improvement: withClearChange(improvement),
      revision: lengthening,
      split: undefined,
      exports: undefined,
      alignment: undefined,
      usage,
    });
    expect(text).toContain(
      "the paired interval excludes 0: the method moved generation towards the human profile",
    );
    expect(text.split("\n").find((l) => l.startsWith(`${improvement.factors[0]!.factor} `))).toMatch(
      /closer$/,
    );
    expect(text).toContain("warning: the loop mostly lengthens: 3 of 4 revisions");
  });

  it("prints self-data's split, its exports and what was dropped", () => {
    const split: SplitFile = {
      schemaVersion: 1,
      seed: 1,
      heldOutShare: 0.2,
      rule: "",
      train: ["a", "b", "c"],
      heldOut: ["d"],
    };
    const exports: ExportSummary = {
      schemaVersion: 1,
      files: [],
      sidecars: [],
      records: { preference: 5, sft: 3, kto: 4 },
      dropped: {
        "same-text": 2,
        "empty-text": 0,
        "system-prompt-differs": 0,
        "assistant-messages": 0,
        duplicate: 1,
      },
    };
    const text = renderImprovementSummary({
      method: "self-data",
      improvement: undefined,
      revision: undefined,
      split,
      exports,
      alignment: undefined,
      usage,
    });
    expect(text).toContain("split: 3 training inputs, 1 held out (split.json, seed 1)");
    expect(text).toContain(
      "exported: 5 preference rows, 3 SFT rows, 4 KTO rows; dropped: 2 same-text, 1 duplicate",
    );
    expect(text).toContain("--method after --from <this folder>");
  });

  it("lists the folders and files written, leaving out a baseline that belongs to another run", () => {
    expect(
      renderImprovementFooter(
        { folders: { before: "../self-data/before", after: "after" }, files: ["improvement.json"] },
        "runs/after",
      ),
    ).toBe("wrote after/, improvement.json to runs/after\n");
  });
});
