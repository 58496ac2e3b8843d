import type { ExtractionRecord } from "@profilekit/spec";
import type { LineSink, RunFolderWriter } from "./run-folder/writer.js";

/**
 * evidence.jsonl: what the model extractor read (each response's fact ledger and checklist marks,
 * each input's checklist), one record a line, so every count in manifestations.jsonl can be
 * audited. The extractor hands records over as answers arrive, in no set order; they are written
 * at the end of each batch (whose records have all arrived by then), sorted by what they describe,
 * so the same run gives the same bytes and a long run holds only one batch's records in memory.
 */
export class EvidenceLog {
  readonly #sink: LineSink;
  #pending: { readonly key: string; readonly line: string }[] = [];
  #written = 0;

  constructor(folder: RunFolderWriter) {
    this.#sink = folder.lines("evidence.jsonl");
  }

  /** Records written or waiting. */
  get count(): number {
    return this.#written + this.#pending.length;
  }

  readonly add = (record: ExtractionRecord): void => {
    this.#pending.push({ key: sortKey(record), line: `${JSON.stringify(record)}\n` });
  };

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const lines = this.#pending
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
      .map(({ line }) => line)
      .join("");
    this.#written += this.#pending.length;
    this.#pending = [];
    await this.#sink.write(lines);
  }

  /** Publishes evidence.jsonl; a run in which the extractor read nothing writes no file. */
  async commit(): Promise<void> {
    await this.flush();
    if (this.#written === 0) await this.#sink.abort();
    else await this.#sink.commit();
  }

  abort(): Promise<void> {
    return this.#sink.abort();
  }
}

/** Checklists first (by factor and input), then readings (by response, sample, pair and order). */
function sortKey(record: ExtractionRecord): string {
  if (record.kind === "checklist") return JSON.stringify([0, record.factor, record.input]);
  return JSON.stringify([1, record.response.key, record.reading, record.pairId ?? "", record.order ?? ""]);
}
