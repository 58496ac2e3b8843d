import { readFileSync } from "node:fs";
import { judgeChoices, renderPromptTemplate, taskAdapterProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import summarization, { generation, guidance, judge } from "./index.js";

// A real SummEval item: the first article and two system summaries of it.
const dataDir = new URL("../../../../../shared/data/summeval/", import.meta.url);
const firstLine = (file: string) =>
  JSON.parse(readFileSync(new URL(file, dataDir), "utf8").split("\n")[0] as string);
const article = firstLine("articles.jsonl") as { id: string; text: string };
const [summaryA, summaryB] = readFileSync(new URL("annotations.jsonl", dataDir), "utf8")
  .split("\n")
  .slice(0, 2)
  .map((line) => JSON.parse(line) as { id: string; decoded: string });

const judged = { source: article.text, a: summaryA!.decoded, b: summaryB!.decoded };
const generated = { source: article.text, level: 2, levels: 5 };
const guided = {
  source: article.text,
  response: summaryA!.decoded,
  guidance: "Cover the lawsuit's outcome; readers weigh source coverage more than this summary does.",
};

describe("summarization task adapter", () => {
  it("conforms as a task adapter with DESIGN's factor set, rendering a real SummEval item", () => {
    expect(
      taskAdapterProblems(summarization, {
        id: "summarization",
        // DESIGN.md section 2: the default summarization set, in DESIGN's order.
        factors: [
          "length",
          "fluency",
          "coherence",
          "number-of-facts",
          "source-coverage",
          "off-focus",
          "hallucination",
          "intent-alignment",
          "formality-alignment",
        ],
        classicalFactors: ["novelty", "source-overlap", "readability", "formality"],
        presets: ["summeval", "summ-news"],
        prompts: { judge, generation, guidance },
        variables: { judge: judged, generation: generated, guidance: guided },
        judgeAvoids:
          /\b(length|long|short|concise|fluen\w*|coheren\w*|facts?|hallucinat\w*|accura\w*|coverage|formal\w*)\b/i,
      }),
    ).toEqual([]);
  });

  it("lays out a real SummEval pair in the judge prompt in reading order", () => {
    expect(summaryA?.id).toBe(article.id);
    const withTies = renderPromptTemplate(judge, { ...judged, choices: judgeChoices(true) }).user;
    expect(withTies.indexOf("<summary_a>")).toBeLessThan(withTies.indexOf("<summary_b>"));
  });

  it("asks for a summary at quality level {{level}} of {{levels}}", () => {
    const user = renderPromptTemplate(generation, generated).user;
    expect(user).toContain("would score 2 on a quality scale from 1 (worst) to 5 (best)");
  });

  it("revises a summary with guidance", () => {
    const user = renderPromptTemplate(guidance, guided).user;
    expect(user).toMatch(/<guidance>\nCover the lawsuit's outcome/);
  });
});
