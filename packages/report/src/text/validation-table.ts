import type { ValidationEstimate, ValidationFile, ValidationMappingInput } from "@profilekit/spec";
import { plainTable } from "./tables.js";

/** How a table names a mapping's labels: its labelName, or the labels joined by " + ". */
const labelOf = (m: Pick<ValidationMappingInput, "labels" | "labelName">): string =>
  m.labelName ?? m.labels.join(" + ");

const figure = (estimate: ValidationEstimate | null | undefined) =>
  estimate?.value == null ? "—" : estimate.value.toFixed(3);
const interval = (estimate: ValidationEstimate | null | undefined) =>
  estimate?.ci95 ? `[${estimate.ci95[0].toFixed(3)}, ${estimate.ci95[1].toFixed(3)}]` : "—";

/**
 * validation.json as `profilekit validate` prints it: every dataset's mappings as a table (factor, human
 * label, statistic, value, 95% CI, n, clusters, reference), then its notes, each once.
 */
export function renderValidation(validation: ValidationFile): string {
  const header = ["factor", "human label", "statistic", "value", "95% CI", "n", "clusters", "reference"];
  const blocks = validation.datasets.map((dataset) => {
    const rows: string[][] = [];
    for (const r of dataset.results) {
      const factor = `${r.factor}${r.role === "proxy" ? " (proxy)" : ""}`;
      const label = `${labelOf(r)}${r.direction === "reversed" ? ", reversed" : ""}`;
      if (r.skipped !== undefined) {
        rows.push([factor, label, "skipped", "", "", "", "", "(a model factor: add --extractor)"]);
        continue;
      }
      const references = (pick: "spearman" | "kendallTauB") =>
        r.references
          // As published: to the precision of the source.
          .flatMap((ref) => (ref[pick] === undefined ? [] : [`${ref.evaluator} ${ref[pick]}`]))
          .join(", ");
      const stats: [string, ValidationEstimate | null, string][] =
        r.statistic === "summary-level"
          ? [
              ["Spearman", r.spearman, references("spearman")],
              ["Kendall tau_b", r.kendallTauB, references("kendallTauB")],
            ]
          : [
              ["Kendall tau_b", r.kendallTauB, ""],
              ["AUC", r.auc, ""],
            ];
      for (const [k, [name, estimate, reference]] of stats.entries()) {
        rows.push([
          k === 0 ? factor : "",
          k === 0 ? label : "",
          name,
          figure(estimate),
          interval(estimate),
          String(r.items),
          String(estimate?.clusters ?? 0),
          reference,
        ]);
      }
    }
    // Each note once, naming the factors it is about unless it is about every one computed.
    const computed = dataset.results.filter((r) => r.skipped === undefined).length;
    const byNote = new Map<string, string[]>();
    for (const r of dataset.results)
      for (const note of r.notes) byNote.set(note, [...(byNote.get(note) ?? []), r.factor]);
    const notes = [...byNote].map(([note, factors]) =>
      factors.length === computed && computed > 1 ? note : `${[...new Set(factors)].join(", ")}: ${note}`,
    );
    return [
      `${dataset.name} (${dataset.input}): ${dataset.items} items, ${dataset.clusters} clusters`,
      ...(rows.length === 0
        ? ["no mapping here names the factors asked"]
        : plainTable({ head: header, rows, right: header.map((_, c) => c >= 3 && c <= 6) })),
      ...notes.map((note) => `note: ${note}`),
    ].join("\n");
  });
  return [
    ...blocks,
    `95% CI: clustered, B=${validation.bootstrap}, seed ${validation.seed}. Reference figures: summary-level on all of SummEval, not this subset.`,
  ].join("\n\n");
}
