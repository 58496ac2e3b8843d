import { readFileSync } from "node:fs";
import { judgeChoices, renderPromptTemplate, taskAdapterProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import instructionFollowing, { generation, guidance, judge } from "./index.js";

// A real Auto-J pairwise test item: the first line of the file.
const autoj = JSON.parse(
  readFileSync(
    new URL("../../../../../shared/data/autoj_pairwise_test/testdata_pairwise.jsonl", import.meta.url),
    "utf8",
  ).split("\n")[0] as string,
) as { prompt: string; "response 1": string; "response 2": string };

const judged = { prompt: autoj.prompt, a: autoj["response 1"], b: autoj["response 2"] };
const generated = { prompt: autoj.prompt, level: 4, levels: 4 };
const guided = {
  prompt: autoj.prompt,
  response: autoj["response 1"],
  guidance: "Take up the asker's own situation; readers value receptiveness more than this reply shows.",
};

describe("instruction-following task adapter", () => {
  it("conforms as a task adapter with DESIGN's factor set, rendering a real Auto-J item", () => {
    expect(
      taskAdapterProblems(instructionFollowing, {
        id: "instruction-following",
        // DESIGN.md section 2: the default instruction-following set, in DESIGN's order.
        factors: [
          "length",
          "fluency",
          "coherence",
          "number-of-facts",
          "misinformation",
          "intent-alignment",
          "formality-alignment",
          "helpfulness",
          "receptiveness",
        ],
        classicalFactors: ["novelty", "readability", "formality"],
        presets: ["autoj", "hh-rlhf"],
        prompts: { judge, generation, guidance },
        variables: { judge: judged, generation: generated, guidance: guided },
        judgeAvoids:
          /\b(length|long|short|concise|fluen\w*|coheren\w*|facts?|hallucinat\w*|accura\w*|coverage|formal\w*|helpful\w*|intent\w*|receptive\w*)\b/i,
      }),
    ).toEqual([]);
  });

  it("lays out a real Auto-J pair in the judge prompt in reading order", () => {
    const withTies = renderPromptTemplate(judge, { ...judged, choices: judgeChoices(true) }).user;
    expect(withTies.indexOf("<response_a>")).toBeLessThan(withTies.indexOf("<response_b>"));
  });

  it("asks for a reply at quality level {{level}} of {{levels}}", () => {
    const user = renderPromptTemplate(generation, generated).user;
    expect(user).toContain("would score 4 on a quality scale from 1 (worst) to 4 (best)");
  });

  it("revises a reply with guidance", () => {
    const user = renderPromptTemplate(guidance, guided).user;
    expect(user).toMatch(/<guidance>\nTake up the asker's own situation/);
  });
});
