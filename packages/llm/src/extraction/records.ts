import { createHash } from "node:crypto";
import type { Pair, ResponseRef } from "@profilekit/spec";

export {
  ChecklistRecordSchema,
  ExtractionModeSchema,
  ExtractionRecordSchema,
  LedgerFactRecordSchema,
  ReadingRecordSchema,
  ResponseRefSchema,
  type ChecklistRecord,
  type ExtractionMode,
  type ExtractionRecord,
  type ReadingRecord,
  type ResponseRef,
} from "@profilekit/spec";

export function responseRef(pair: Pair, text: string): ResponseRef {
  const key = createHash("sha256")
    .update(JSON.stringify([pair.source ?? null, pair.prompt ?? null, text]))
    .digest("hex")
    .slice(0, 32);
  return { key, text };
}

/** The key of the inputs a checklist was drawn up from (as shown: the source cut to the budget). */
export function inputKey(source: string | undefined, prompt: string | undefined): string {
  return createHash("sha256")
    .update(JSON.stringify([source ?? null, prompt ?? null]))
    .digest("hex")
    .slice(0, 32);
}
