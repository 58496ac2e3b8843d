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
import documentQa, { generation, guidance, judge } from "./index.js";

// DESIGN.md section 2: the default document-qa set, in DESIGN's order.
const designFactors = [
  "length",
  "fluency",
  "coherence",
  "number-of-facts",
  "source-coverage",
  "off-focus",
  "hallucination",
  "intent-alignment",
  "helpfulness",
];
// The factors that run without a model (the rule-based packages under packages/factors).
const modelFreeFactors = ["length", "novelty", "source-overlap", "readability", "formality"];

// A real QA-Feedback item: the first question, its passages as the source, and two predictions.
const qa = (
  JSON.parse(
    readFileSync(
      new URL("../../../../../shared/data/qa_feedback_dev/dev_feedback.json", import.meta.url),
      "utf8",
    ),
  ) as { question: string; passages: string[][]; "prediction 1": string; "prediction 2": string }[]
)[0]!;
const source = qa.passages.map((passage) => passage.slice(1).join(" ")).join("\n\n");

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

describe("document-qa task adapter", () => {
  it("is a valid task adapter that parsing leaves unchanged", () => {
    expect(TaskAdapterSchema.parse(documentQa)).toEqual(documentQa);
    expect(documentQa.id).toBe("document-qa");
  });

  it("has exactly DESIGN's factor set", () => {
    expect(documentQa.factors).toEqual(designFactors);
  });

  it("adds classical factors that need no model and are not PROFILE factors", () => {
    expect(documentQa.classicalFactors).toEqual(["novelty", "source-overlap", "readability", "formality"]);
    for (const id of documentQa.classicalFactors) {
      expect(modelFreeFactors).toContain(id);
      expect(documentQa.factors).not.toContain(id);
    }
  });

  it("offers the qa-feedback preset", () => {
    expect(documentQa.presets).toEqual(["qa-feedback"]);
  });

  it("versions every prompt under its own id", () => {
    for (const [setting, prompt] of Object.entries(documentQa.prompts)) {
      expect(prompt?.id).toBe(`document-qa-${setting}`);
      expect(prompt?.version).toMatch(new RegExp(`^document-qa-${setting}@[1-9][0-9]*$`));
    }
    expect(documentQa.prompts).toEqual({ judge, generation, guidance });
  });

  it("judges a real QA-Feedback pair, offering tie only when ties are allowed", () => {
    const vars = { source, prompt: qa.question, a: qa["prediction 1"], b: qa["prediction 2"] };
    const strict = renderChecked(judge, { ...vars, choices: judgeChoices(false) });
    const withTies = renderChecked(judge, { ...vars, choices: judgeChoices(true) });
    expect(strict).not.toContain('"tie"');
    expect(withTies).toContain('"tie"');
    expect(withTies.indexOf("<source>")).toBeLessThan(withTies.indexOf("<question>"));
    expect(withTies.indexOf("<answer_a>")).toBeLessThan(withTies.indexOf("<answer_b>"));
  });

  it("names no quality factor in the judge prompt, so the judge's own priorities show", () => {
    const text = `${judge.system}\n${judge.user}`;
    expect(text).not.toMatch(
      /\b(length|long|short|concise|fluen\w*|coheren\w*|facts?|hallucinat\w*|accura\w*|coverage|formal\w*|helpful\w*|intent\w*)\b/i,
    );
  });

  it("asks for an answer at quality level {{level}} of {{levels}}", () => {
    const user = renderChecked(generation, { source, prompt: qa.question, level: 1, levels: 3 });
    expect(user).toContain("would score 1 on a quality scale from 1 (worst) to 3 (best)");
  });

  it("revises an answer with guidance", () => {
    const user = renderChecked(guidance, {
      source,
      prompt: qa.question,
      response: qa["prediction 1"],
      guidance:
        "Drop the facts the passages do not support; readers penalise hallucination more than this answer.",
    });
    expect(user).toMatch(/<guidance>\nDrop the facts the passages do not support/);
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
