import { type MockRequest, type MockServer, startMockServer } from "@profilekit/llm/testing";
import { openModelClient } from "@profilekit/runner";
import type { GenerationInput } from "@profilekit/runner/stage-kit";
import { defineResponseFactor, type ResponseRecord } from "@profilekit/spec";
import summarization from "@profilekit/task-summarization";
import { afterEach, describe, expect, it } from "vitest";
import { refineResponses } from "./feedback-loop.js";

process.env.OPENAI_API_KEY ??= "fake-key-for-the-mock-server";

const factors = [
  defineResponseFactor({
    id: "length",
    title: "Length",
    definition: "More = more words.",
    measure: (t) => t.length,
  }),
  defineResponseFactor({
    id: "novelty",
    title: "Novelty",
    definition: "More = more new bigrams.",
    measure: (t) => t.length,
  }),
];
const input: GenerationInput = {
  id: "input:1",
  cluster: "input:1",
  task: "summarization",
  source: "The council met.",
};
const draft = (level: number, text: string): ResponseRecord => ({
  inputId: "input:1",
  level,
  seed: 7,
  text,
  status: "kept",
});
const user = (request: MockRequest) => request.messages.find((m) => m.role === "user")!.content;

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * A scripted evaluator and writer: the critique of a text says it meets its target when the
 * text ends in "done."; a revision appends " more." to the text it revises, or " done." once the
 * text has two " more.", and fails with a 500 for a text starting "broken".
 */
function scripted(request: MockRequest) {
  const message = user(request);
  const response = /<(?:response|summary)>\n([\s\S]*?)\n<\/(?:response|summary)>/.exec(message)![1]!;
  if (request.responseSchema?.name === "critique") {
    const meets = response.endsWith("done.");
    return {
      json: {
        meetsTarget: meets,
        issues: meets ? [] : [{ factor: "length", direction: "less", evidence: "Too long." }],
      },
    };
  }
  if (response.startsWith("broken")) return { fault: "server-error" as const };
  return { text: (response.match(/ more\./g) ?? []).length >= 2 ? `${response} done.` : `${response} more.` };
}

describe("refineResponses", () => {
  it("critiques and revises up to the rounds, stops when the evaluator says the target is met, and keeps every round", async () => {
    server = await startMockServer({ handler: scripted });
    const client = openModelClient(
      { id: "openai:test-model", baseURL: server.openaiBaseURL, maxRetries: 0 },
      false,
    );
    try {
      const [records] = await refineResponses(
        [input],
        [[draft(1, "First."), draft(2, "Second done."), draft(3, "broken text.")]],
        { writer: client, evaluator: client },
        { template: summarization.prompts.guidance!, factors, levels: 3, rounds: 4, seed: 1 },
      );
      const rounds = records!.map((r) => [
        r.level,
        r.round,
        r.text,
        r.status,
        r.critique?.meetsTarget ?? null,
      ]);
      expect(rounds).toEqual([
        [1, 0, "First.", "revised", false],
        [1, 1, "First. more.", "revised", false],
        [1, 2, "First. more. more.", "revised", false],
        [1, 3, "First. more. more. done.", "kept", true],
        [2, 0, "Second done.", "kept", true],
        [3, 0, "broken text.", "kept", false],
        [3, 1, null, "failed", null],
      ]);
      expect(records![6]!.error).toMatch(/^model_call_failed/);
      // The revision asks with the task's guidance prompt, the level and the critique's issue.
      const revision = server.log.find((r) => r.responseSchema === undefined && user(r).includes("First."))!;
      expect(user(revision)).toContain("<summary>\nFirst.\n</summary>");
      expect(user(revision)).toContain("rate 1 on a quality scale from 1 (worst) to 3 (best)");
      expect(user(revision)).toContain("- Length (length): less of it. Too long.");
      // The critique goes through the factors' definitions, and aims at the draft's level.
      const critique = server.log.find((r) => r.responseSchema?.name === "critique")!;
      expect(user(critique)).toContain(
        "- length (Length): More = more words.\n- novelty (Novelty): More = more new bigrams.",
      );
      expect(user(critique)).toMatch(/rate \d on a quality scale from 1 \(worst\) to 3 \(best\)/);
      expect(critique.temperature).toBe(0);
    } finally {
      await client.close();
    }
  });

  it("ends the loop on the text it was asked about when the critique fails", async () => {
    server = await startMockServer({
      handler: (request) => (request.responseSchema ? { fault: "server-error" } : { text: "x" }),
    });
    const client = openModelClient(
      { id: "openai:test-model", baseURL: server.openaiBaseURL, maxRetries: 0 },
      false,
    );
    try {
      const [records] = await refineResponses(
        [input],
        [[draft(1, "First.")]],
        { writer: client, evaluator: client },
        { template: summarization.prompts.guidance!, factors, levels: 2, rounds: 2, seed: 1 },
      );
      expect(records).toEqual([
        {
          ...draft(1, "First."),
          round: 0,
          critique: null,
          error: expect.stringMatching(/^model_call_failed/),
        },
      ]);
    } finally {
      await client.close();
    }
  });
});
