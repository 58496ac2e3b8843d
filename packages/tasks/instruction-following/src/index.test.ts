import { readFileSync } from "node:fs";
import {
  type PromptTemplate,
  TaskAdapterSchema,
  isProfilekitError,
  judgeChoices,
  renderPromptTemplate,
  templatePlaceholders,
} from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import instructionFollowing, { generation, guidance, judge } from "./index.js";

// DESIGN.md section 2: the default instruction-following set, in DESIGN's order.
const designFactors = [
  "length",
  "fluency",
  "coherence",
  "number-of-facts",
  "misinformation",
  "intent-alignment",
  "formality-alignment",
  "helpfulness",
  "receptiveness",
];
// The factors that run without a model (the rule-based packages under packages/factors).
const modelFreeFactors = ["length", "novelty", "source-overlap", "readability", "formality"];

// A real Auto-J pairwise test item: the first line of the file.
const autoj = JSON.parse(
  readFileSync(
    new URL("../../../../../shared/data/autoj_pairwise_test/testdata_pairwise.jsonl", import.meta.url),
    "utf8",
  ).split("\n")[0] as string,
) as { prompt: string; "response 1": string; "response 2": string };

const errorCode = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return isProfilekitError(error) ? error.code : String(error);
  }
  return undefined;
};

/** Renders with every value and checks each lands in the text; then drops each value, and adds one. */
function renderChecked(prompt: PromptTemplate, vars: Record<string, string | number>): string {
  const { system, user } = renderPromptTemplate(prompt, vars);
  const text = `${system ?? ""}\n${user}`;
  for (const value of Object.values(vars)) expect(text).toContain(String(value));
  expect(text).not.toContain("{{");
  for (const name of Object.keys(vars)) {
    const { [name]: _dropped, ...rest } = vars;
    expect(errorCode(() => renderPromptTemplate(prompt, rest))).toBe("template_missing_variable");
  }
  expect(errorCode(() => renderPromptTemplate(prompt, { ...vars, extra: "x" }))).toBe(
    "template_unknown_variable",
  );
  return user;
}

describe("instruction-following task adapter", () => {
  it("is a valid task adapter that parsing leaves unchanged", () => {
    expect(TaskAdapterSchema.parse(instructionFollowing)).toEqual(instructionFollowing);
    expect(instructionFollowing.id).toBe("instruction-following");
  });

  it("has exactly DESIGN's factor set", () => {
    expect(instructionFollowing.factors).toEqual(designFactors);
  });

  it("adds classical factors that need no model and are not PROFILE factors", () => {
    expect(instructionFollowing.classicalFactors).toEqual(["novelty", "readability", "formality"]);
    for (const id of instructionFollowing.classicalFactors) {
      expect(modelFreeFactors).toContain(id);
      expect(instructionFollowing.factors).not.toContain(id);
    }
  });

  it("offers the autoj and hh-rlhf presets", () => {
    expect(instructionFollowing.presets).toEqual(["autoj", "hh-rlhf"]);
  });

  it("versions every prompt under its own id", () => {
    for (const [setting, prompt] of Object.entries(instructionFollowing.prompts)) {
      expect(prompt?.id).toBe(`instruction-following-${setting}`);
      expect(prompt?.version).toMatch(new RegExp(`^instruction-following-${setting}@[1-9][0-9]*$`));
    }
    expect(instructionFollowing.prompts).toEqual({ judge, generation, guidance });
  });

  it("judges a real Auto-J pair, offering tie only when ties are allowed", () => {
    const vars = { prompt: autoj.prompt, a: autoj["response 1"], b: autoj["response 2"] };
    const strict = renderChecked(judge, { ...vars, choices: judgeChoices(false) });
    const withTies = renderChecked(judge, { ...vars, choices: judgeChoices(true) });
    expect(strict).not.toContain('"tie"');
    expect(withTies).toContain('"tie"');
    expect(withTies.indexOf("<response_a>")).toBeLessThan(withTies.indexOf("<response_b>"));
  });

  it("names no quality factor in the judge prompt, so the judge's own priorities show", () => {
    const text = `${judge.system}\n${judge.user}`;
    expect(text).not.toMatch(
      /\b(length|long|short|concise|fluen\w*|coheren\w*|facts?|hallucinat\w*|accura\w*|coverage|formal\w*|helpful\w*|intent\w*|receptive\w*)\b/i,
    );
  });

  it("asks for a reply at quality level {{level}} of {{levels}}", () => {
    const user = renderChecked(generation, { prompt: autoj.prompt, level: 4, levels: 4 });
    expect(user).toContain("would score 4 on a quality scale from 1 (worst) to 4 (best)");
  });

  it("revises a reply with guidance", () => {
    const user = renderChecked(guidance, {
      prompt: autoj.prompt,
      response: autoj["response 1"],
      guidance: "Take up the asker's own situation; readers value receptiveness more than this reply shows.",
    });
    expect(user).toMatch(/<guidance>\nTake up the asker's own situation/);
  });

  it("documents each prompt's version and placeholders in its README", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8").split("\n");
    for (const prompt of [judge, generation, guidance]) {
      const row = readme.find((line) => line.includes(`\`${prompt.version}\``)) ?? "";
      const documented = Array.from(row.matchAll(/\{\{(\w+)\}\}/g), (match) => match[1]).sort();
      const used = [
        ...templatePlaceholders(prompt.system ?? ""),
        ...templatePlaceholders(prompt.user),
      ].sort();
      expect(documented).toEqual(used);
    }
  });
});
