import type { UsageReport } from "@profilekit/llm";
import type { AlignmentFile } from "@profilekit/runner";
import type {
  AlignmentChange,
  Estimate,
  ExportSummary,
  ImprovementFile,
  ImproveMethod,
  RevisionSummary,
  SplitFile,
} from "@profilekit/spec";
import { plainTable } from "./tables.js";
import { formatUsage } from "./usage-summary.js";

/** What `profilekit improve` prints, from refine's ImproveResult (or the files of an improvement run). */
export interface ImprovementSummaryInput {
  readonly method: ImproveMethod;
  readonly improvement: ImprovementFile | undefined;
  readonly revision: { readonly revision: RevisionSummary } | undefined;
  readonly split: SplitFile | undefined;
  readonly exports: ExportSummary | undefined;
  readonly alignment: AlignmentFile | undefined;
  readonly usage: UsageReport;
}

const signed = (x: number) => `${x >= 0 ? "+" : "-"}${Math.abs(x).toFixed(3)}`;
const estimate = ({ value, ci95 }: Estimate, sign = false) =>
  value === null
    ? "—"
    : `${sign ? signed(value) : value.toFixed(3)}${ci95 === null ? "" : ` [${signed(ci95[0])}, ${signed(ci95[1])}]`}`;
const excludesZero = ({ ci95 }: Estimate) => ci95 !== null && (ci95[0] > 0 || ci95[1] < 0);

/** The before/after table of one comparison, its factors, and what the change means. */
function renderChange(change: AlignmentChange, what: string): string[] {
  const lines = plainTable({
    head: [`${what}: alignment with the human profile`, "before", "after", "after - before (paired 95% CI)"],
    rows: [
      [
        "Kendall tau_b",
        estimate(change.before.kendallTauB),
        estimate(change.after.kendallTauB),
        estimate(change.delta.kendallTauB, true),
      ],
      [
        "Spearman",
        estimate(change.before.spearman),
        estimate(change.after.spearman),
        estimate(change.delta.spearman, true),
      ],
    ],
  });
  const factors = plainTable({
    head: ["factor", "human", "before", "after", "shift (95% CI)", "distance to human (95% CI)"],
    rows: change.factors.map((f) => [
      f.factor,
      f.human.toFixed(3),
      f.before.toFixed(3),
      f.after.toFixed(3),
      estimate(f.shift, true),
      `${estimate(f.distanceChange, true)}${excludesZero(f.distanceChange) ? (f.distanceChange.value! < 0 ? " closer" : " further") : ""}`,
    ]),
  });
  const d = change.delta.kendallTauB;
  const reading =
    d.value === null
      ? "the change cannot be computed (fewer than two factors scored in all three profiles)"
      : excludesZero(d)
        ? `the paired interval excludes 0: the method moved ${what} ${d.value > 0 ? "towards" : "away from"} the human profile`
        : "the paired interval includes 0: no clear change";
  return [...lines, "", ...factors, "", reading, ...change.warnings.map((w) => `note: ${w}`)];
}

function renderRevision({ revision }: { revision: RevisionSummary }): string[] {
  const mean =
    revision.meanWordChange === null
      ? ""
      : `, mean ${revision.meanWordChange >= 0 ? "+" : ""}${revision.meanWordChange.toFixed(1)} words`;
  return [
    `revision: ${revision.revised} of ${revision.responses} responses revised, ${revision.stoppedEarly} found on target; ${revision.longer} longer, ${revision.shorter} shorter${mean} (revision-profile.json)`,
    ...(revision.note ? [`warning: ${revision.note}`] : []),
  ];
}

function renderSelfData(
  split: SplitFile,
  exports: ExportSummary,
  alignment: AlignmentFile | undefined,
): string[] {
  const dropped = Object.entries(exports.dropped).filter(([, n]) => n > 0);
  const tauB = (label: string) => {
    const comparison = alignment?.comparisons.find((c) => c.compared.label === label);
    return comparison ? estimate(comparison.kendallTauB) : "—";
  };
  return [
    `split: ${split.train.length} training inputs, ${split.heldOut.length} held out (split.json, seed ${split.seed})`,
    `exported: ${exports.records.preference} preference rows, ${exports.records.sft} SFT rows, ${exports.records.kto} KTO rows; dropped: ${dropped.length === 0 ? "none" : dropped.map(([reason, n]) => `${n} ${reason}`).join(", ")}`,
    ...plainTable({
      head: ["alignment with the human profile", "Kendall tau_b (95% CI)"],
      rows: [
        ["the data (evaluator's labels of the exported pairs)", tauB("data")],
        ["the plain generation (held-out inputs)", tauB("before")],
      ],
    }),
    "If the data are not better aligned than the plain generation, fine-tuning on them cannot be expected to help. After fine-tuning, measure with --method after --from <this folder>.",
  ];
}

/** The summary of an improvement run: before and after, the paired change, and what the method made. */
export function renderImprovementSummary(result: ImprovementSummaryInput): string {
  const lines: string[] = [];
  const { improvement } = result;
  if (improvement) {
    const evaluator = improvement.evaluator
      ? `, evaluator ${improvement.evaluator.model}${improvement.evaluator.self ? " (the generator itself: self-preference may apply)" : ""}`
      : "";
    const base = improvement.baseModel ? ` (base ${improvement.baseModel})` : "";
    lines.push(
      `improve --method ${improvement.method}: ${improvement.model}${base}${evaluator}; ${improvement.inputs.count} ${improvement.inputs.split === "held-out" ? "held-out " : ""}inputs x ${improvement.levels} levels`,
      "",
      ...renderChange(improvement, "generation"),
    );
    if (improvement.evaluation) lines.push("", ...renderChange(improvement.evaluation, "evaluation"));
  }
  if (result.revision) lines.push("", ...renderRevision(result.revision));
  if (result.split && result.exports) {
    lines.push(
      `improve --method ${result.method}`,
      "",
      ...renderSelfData(result.split, result.exports, result.alignment),
    );
  }
  lines.push("", formatUsage(result.usage));
  return lines.join("\n");
}

/** What `profilekit improve` says on stderr at the end: the folders and files written into `shownDir`. */
export function renderImprovementFooter(
  result: { readonly folders: Readonly<Record<string, string>>; readonly files: readonly string[] },
  shownDir: string,
): string {
  const own = Object.values(result.folders).filter((folder) => !folder.startsWith(".."));
  return `wrote ${[...own.map((folder) => `${folder}/`), ...result.files].join(", ")} to ${shownDir}\n`;
}
