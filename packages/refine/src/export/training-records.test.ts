import type { ChatMessage } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { type PreferenceRecord, validateRecords } from "./training-records.js";

const system = (content: string): ChatMessage => ({ role: "system", content });
const user = (content: string): ChatMessage => ({ role: "user", content });
const assistant = (content: string): ChatMessage => ({ role: "assistant", content });

const prompt = [system("You write summaries."), user("Summarise: the council approved the library.")];
const preference = (
  id: string,
  chosen: string,
  rejected: string,
  overrides: Partial<PreferenceRecord> = {},
) => ({
  id,
  inputId: "input:1",
  chosen: { prompt, answer: [assistant(chosen)] },
  rejected: { prompt, answer: [assistant(rejected)] },
  ...overrides,
});

describe("validateRecords", () => {
  it("keeps good rows in order and counts every dropped one under its reason", () => {
    const valid = validateRecords({
      preference: [
        preference("p1", "The council approved a new library.", "A library."),
        preference("p2", "Same words.", "  Same words. "), // same-text (after trimming)
        preference("p3", "", "A library."), // empty-text
        preference("p4", "Good.", "Bad.", {
          rejected: { prompt: [system("You write poems."), prompt[1]!], answer: [assistant("Bad.")] },
        }), // system-prompt-differs
        preference("p5", "Good.", "Bad.", {
          chosen: { prompt, answer: [assistant("Good."), assistant("More.")] },
        }), // assistant-messages: two
        preference("p6", "Good.", "Bad.", { rejected: { prompt, answer: [user("Bad.")] } }), // assistant-messages: a user turn
        preference("p7", "The council approved a new library.", "A library."), // duplicate of p1
      ],
      sft: [
        { id: "s1", inputId: "input:1", prompt, answer: [assistant("The council approved a new library.")] },
        { id: "s2", inputId: "input:1", prompt, answer: [assistant("The council approved a new library.")] },
        { id: "s3", inputId: "input:2", prompt: [system(" "), prompt[1]!], answer: [assistant("Text.")] },
      ],
      kto: [
        { id: "k1", inputId: "input:1", prompt, answer: [assistant("Good.")], label: true },
        { id: "k2", inputId: "input:1", prompt, answer: [assistant("Good.")], label: false },
      ],
    });
    expect(valid.preference.map((r) => r.id)).toEqual(["p1"]);
    expect(valid.sft.map((r) => r.id)).toEqual(["s1"]);
    // The same answer marked both ways is two rows, not a duplicate.
    expect(valid.kto.map((r) => r.id)).toEqual(["k1", "k2"]);
    expect(valid.dropped).toEqual({
      "empty-text": 2,
      "assistant-messages": 2,
      "same-text": 1,
      "system-prompt-differs": 1,
      duplicate: 2,
    });
  });

  it("checks in order: an empty row is counted as empty, not as the same text", () => {
    const valid = validateRecords({ preference: [preference("p", "", "")], sft: [], kto: [] });
    expect(valid.dropped["empty-text"]).toBe(1);
    expect(valid.dropped["same-text"]).toBe(0);
  });
});
