import type { RunFolderWriter } from "@profilekit/runner/stage-kit";
import type { ExportProvenance, ExportSummary } from "@profilekit/spec";
import { axolotlStanza, formatWriters, llamaFactoryDatasetInfo } from "./formats.js";
import type { ValidatedRecords } from "./training-records.js";

/** The sidecars written beside the rows. */
const sidecars = ["provenance.jsonl", "dataset_info.json", "axolotl.yml"] as const;

/**
 * Writes every format's file of the validated records (`validateRecords`) into `folder` (export/),
 * then provenance.jsonl (one line per row of every file: file, row, inputId, record), LLaMA-Factory's
 * dataset_info.json entries, Axolotl's config stanza, and export.json, the summary it returns: the
 * files and their rows, the records kept per kind, and the rows dropped per reason.
 */
export async function writeExports(folder: RunFolderWriter, valid: ValidatedRecords): Promise<ExportSummary> {
  const provenance: ExportProvenance[] = [];
  const files: ExportSummary["files"] = [];
  for (const writer of formatWriters) {
    const rows = writer.rows(valid);
    rows.forEach(({ record }, row) => {
      provenance.push({ file: writer.file, row, inputId: record.inputId, record: record.id });
    });
    const values = rows.map(({ row }) => row);
    if (writer.layout === "json") await folder.json(writer.file, values);
    else await folder.records(writer.file, values);
    files.push({ format: writer.format, file: writer.file, rows: rows.length });
  }
  await folder.records("provenance.jsonl", provenance);
  const withSystem = valid.preference.some(({ chosen }) => chosen.prompt.some((m) => m.role === "system"));
  await folder.json("dataset_info.json", llamaFactoryDatasetInfo(withSystem));
  await folder.text("axolotl.yml", axolotlStanza());
  const summary: ExportSummary = {
    schemaVersion: 1,
    files,
    sidecars: [...sidecars],
    records: { preference: valid.preference.length, sft: valid.sft.length, kto: valid.kto.length },
    dropped: valid.dropped,
  };
  await folder.json("export.json", summary);
  return summary;
}
