import { readFileSync } from "node:fs";
import { judgeChoices, renderPromptTemplate, taskAdapterProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import documentQa, { generation, guidance, judge } from "./index.js";

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

const judged = { source, prompt: qa.question, a: qa["prediction 1"], b: qa["prediction 2"] };
const generated = { source, prompt: qa.question, level: 1, levels: 3 };
const guided = {
  source,
  prompt: qa.question,
  response: qa["prediction 1"],
  guidance:
    "Drop the facts the passages do not support; readers penalise hallucination more than this answer.",
};

describe("document-qa task adapter", () => {
  it("conforms as a task adapter with DESIGN's factor set, rendering a real QA-Feedback item", () => {
    expect(
      taskAdapterProblems(documentQa, {
        id: "document-qa",
        // DESIGN.md section 2: the default document-qa set, in DESIGN's order.
        factors: [
          "length",
          "fluency",
          "coherence",
          "number-of-facts",
          "source-coverage",
          "off-focus",
          "hallucination",
          "intent-alignment",
          "helpfulness",
        ],
        classicalFactors: ["novelty", "source-overlap", "readability", "formality"],
        presets: ["qa-feedback"],
        prompts: { judge, generation, guidance },
        variables: { judge: judged, generation: generated, guidance: guided },
        judgeAvoids:
          /\b(length|long|short|concise|fluen\w*|coheren\w*|facts?|hallucinat\w*|accura\w*|coverage|formal\w*|helpful\w*|intent\w*)\b/i,
      }),
    ).toEqual([]);
  });

  it("lays out a real QA-Feedback pair in the judge prompt in reading order", () => {
    const withTies = renderPromptTemplate(judge, { ...judged, choices: judgeChoices(true) }).user;
    expect(withTies.indexOf("<source>")).toBeLessThan(withTies.indexOf("<question>"));
    expect(withTies.indexOf("<answer_a>")).toBeLessThan(withTies.indexOf("<answer_b>"));
  });

  it("asks for an answer at quality level {{level}} of {{levels}}", () => {
    const user = renderPromptTemplate(generation, generated).user;
    expect(user).toContain("would score 1 on a quality scale from 1 (worst) to 3 (best)");
  });

  it("revises an answer with guidance", () => {
    const user = renderPromptTemplate(guidance, guided).user;
    expect(user).toMatch(/<guidance>\nDrop the facts the passages do not support/);
  });
});
