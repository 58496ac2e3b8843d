import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ANSWER_TEXT,
  CHECKLIST_REMINDER,
  CHECKLIST_SYSTEM_TEXT,
  checklistReadsText,
  FACT_LEDGER_TEXT,
  RELABEL_TEXT,
  readsText,
  reminderText,
  SCHEMA_TEXT,
  SYSTEM_TEXT,
  TAGS_TEXT,
} from "./templates.js";

describe("the extractor's texts", () => {
  const docs = readFileSync(new URL("../../../../docs/factors.md", import.meta.url), "utf8");

  it("are quoted word for word in docs/factors.md", () => {
    const texts = [
      SYSTEM_TEXT,
      ...Object.values(TAGS_TEXT),
      FACT_LEDGER_TEXT,
      CHECKLIST_SYSTEM_TEXT,
      CHECKLIST_REMINDER,
      ...Object.values(SCHEMA_TEXT),
      readsText(["source"], "response"),
      readsText(["source", "prompt"], "pair"),
      checklistReadsText(["source", "prompt"]),
      ANSWER_TEXT.rating("fluency"),
      ANSWER_TEXT.comparison("helpfulness"),
      ANSWER_TEXT.count("examples"),
      ANSWER_TEXT.checklist("source-coverage"),
      ANSWER_TEXT.ledgerLabel("hallucination", ["supported", "not in the source", "contradicted"]),
      ANSWER_TEXT.ledgerCount(),
      reminderText("response", ["atomic_facts", "source-coverage", "fluency"], false),
      RELABEL_TEXT(["off-focus"]),
    ];
    for (const text of texts) expect(docs, text).toContain(text);
  });

  it("say what a factor reads, and that other inputs are not its own", () => {
    expect(readsText([], "response")).toBe(
      "Reads: the response. Other inputs shown are for other factors: leave them aside for this one.",
    );
    expect(readsText(["source", "prompt"], "pair")).toBe(
      "Reads: the source document, the prompt, response A and response B.",
    );
  });

  it("split facts with worked examples, as FActScore does", () => {
    expect(FACT_LEDGER_TEXT.match(/^- "/gm)?.length).toBeGreaterThanOrEqual(5);
    expect(FACT_LEDGER_TEXT).toMatch(/no atomic facts/);
  });
});
