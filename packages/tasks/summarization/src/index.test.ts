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
import summarization, { generation, guidance, judge } from "./index.js";

// DESIGN.md section 2: the default summarization set, in DESIGN's order.
const designFactors = [
  "length",
  "fluency",
  "coherence",
  "number-of-facts",
  "source-coverage",
  "off-focus",
  "hallucination",
  "intent-alignment",
  "formality-alignment",
];
// The factors that run without a model (the rule-based packages under packages/factors).
const modelFreeFactors = ["length", "novelty", "source-overlap", "readability", "formality"];

// A real SummEval item: the first article and two system summaries of it.
const dataDir = new URL("../../../../../shared/data/summeval/", import.meta.url);
const firstLine = (file: string) =>
  JSON.parse(readFileSync(new URL(file, dataDir), "utf8").split("\n")[0] as string);
const article = firstLine("articles.jsonl") as { id: string; text: string };
const [summaryA, summaryB] = readFileSync(new URL("annotations.jsonl", dataDir), "utf8")
  .split("\n")
  .slice(0, 2)
  .map((line) => JSON.parse(line) as { id: string; decoded: string });

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

describe("summarization task adapter", () => {
  it("is a valid task adapter that parsing leaves unchanged", () => {
    expect(TaskAdapterSchema.parse(summarization)).toEqual(summarization);
    expect(summarization.id).toBe("summarization");
  });

  it("has exactly DESIGN's factor set", () => {
    expect(summarization.factors).toEqual(designFactors);
  });

  it("adds classical factors that need no model and are not PROFILE factors", () => {
    expect(summarization.classicalFactors).toEqual(["novelty", "source-overlap", "readability", "formality"]);
    for (const id of summarization.classicalFactors) {
      expect(modelFreeFactors).toContain(id);
      expect(summarization.factors).not.toContain(id);
    }
  });

  it("offers the summeval and summ-news presets", () => {
    expect(summarization.presets).toEqual(["summeval", "summ-news"]);
  });

  it("versions every prompt under its own id", () => {
    for (const [setting, prompt] of Object.entries(summarization.prompts)) {
      expect(prompt?.id).toBe(`summarization-${setting}`);
      expect(prompt?.version).toMatch(new RegExp(`^summarization-${setting}@[1-9][0-9]*$`));
    }
    expect(summarization.prompts).toEqual({ judge, generation, guidance });
  });

  it("judges a real SummEval pair, offering tie only when ties are allowed", () => {
    expect(summaryA?.id).toBe(article.id);
    const vars = { source: article.text, a: summaryA!.decoded, b: summaryB!.decoded };
    const strict = renderChecked(judge, { ...vars, choices: judgeChoices(false) });
    const withTies = renderChecked(judge, { ...vars, choices: judgeChoices(true) });
    expect(strict).not.toContain('"tie"');
    expect(withTies).toContain('"tie"');
    expect(withTies.indexOf("<summary_a>")).toBeLessThan(withTies.indexOf("<summary_b>"));
  });

  it("names no quality factor in the judge prompt, so the judge's own priorities show", () => {
    const text = `${judge.system}\n${judge.user}`;
    expect(text).not.toMatch(
      /\b(length|long|short|concise|fluen\w*|coheren\w*|facts?|hallucinat\w*|accura\w*|coverage|formal\w*)\b/i,
    );
  });

  it("asks for a summary at quality level {{level}} of {{levels}}", () => {
    const user = renderChecked(generation, { source: article.text, level: 2, levels: 5 });
    expect(user).toContain("would score 2 on a quality scale from 1 (worst) to 5 (best)");
  });

  it("revises a summary with guidance", () => {
    const user = renderChecked(guidance, {
      source: article.text,
      response: summaryA!.decoded,
      guidance: "Cover the lawsuit's outcome; readers weigh source coverage more than this summary does.",
    });
    expect(user).toMatch(/<guidance>\nCover the lawsuit's outcome/);
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
