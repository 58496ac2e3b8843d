import type { GenerateResult, JudgeResult, StudyOutcome } from "@profilekit/runner";
import type { GenerationSummary } from "@profilekit/spec";
import { renderAlignment } from "./alignment-summary.js";
import { renderProfileTable } from "./profile-table.js";
import { plainTable } from "./tables.js";
import { formatUsage } from "./usage-summary.js";

const figure = (value: number | null): string => (value === null ? "—" : value.toFixed(4));

type Statistics = NonNullable<JudgeResult["profile"]["agreementStatistics"]>;
type Estimate = Statistics["cohenKappa"];

const ci = (estimate: Pick<Estimate, "ci95">): string =>
  estimate.ci95 === null ? "" : `[${figure(estimate.ci95[0])}, ${figure(estimate.ci95[1])}]`;
const signedFigure = (value: number | null): string =>
  value === null ? "—" : `${value >= 0 ? "+" : ""}${value.toFixed(4)}`;

/** The agreement figures with their intervals and counts, then the single-factor baselines and the warnings. */
function renderAgreementStatistics(stats: Statistics, inconsistent: number): string[] {
  const method =
    stats.bootstrap > 0
      ? `95% CI: cluster bootstrap, B=${stats.bootstrap}, seed ${stats.seed}`
      : "no intervals";
  const share = (s: Statistics["accuracy"]) => [figure(s.value), ci(s), `${s.count} of ${s.of}`];
  const rows = [
    ["accuracy without ties", ...share(stats.accuracyWithoutTies)],
    ["accuracy with ties", ...share(stats.accuracy)],
    [
      "Cohen's kappa",
      figure(stats.cohenKappa.value),
      ci(stats.cohenKappa),
      `${stats.cohenKappa.pairs} pairs`,
    ],
    [
      "position consistency",
      figure(stats.positionConsistency.value),
      ci(stats.positionConsistency),
      `${stats.positionConsistency.count} of ${stats.positionConsistency.of} (${inconsistent} pairs whose orders disagreed became ties)`,
    ],
    ["tie rate (model)", figure(stats.judgeTieRate), "", `human ${figure(stats.referenceTieRate)}`],
  ];
  const lines = [
    `agreement with the human labels (${stats.pairs} labelled pairs, ${stats.groups} clusters; ${method}):`,
    ...plainTable({ head: ["", "value", "95% CI", "counts"], rows, right: [false, true, false, false] })
      .slice(1)
      .map((line) => `  ${line}`),
  ];
  if (stats.baselines.length > 0) {
    const baselineRows = stats.baselines.map((b) => [
      b.factor,
      figure(b.accuracyWithoutTies.value),
      ci(b.accuracyWithoutTies),
      signedFigure(b.judgeMinusBaseline.value),
      ci(b.judgeMinusBaseline),
      b.judgeBetter === null ? "" : b.judgeBetter ? "judge better" : "judge not shown better",
    ]);
    lines.push(
      "single-factor baselines: picking the response with more of one factor, and the judge's paired gain over it:",
      ...plainTable({
        head: ["factor", "accuracy", "95% CI", "judge minus", "95% CI", ""],
        rows: baselineRows,
        right: [false, true, false, true, false, false],
      }).map((line) => `  ${line}`),
    );
  }
  return [...lines, ...stats.warnings.map((warning) => `warning: ${warning}`)];
}

/**
 * What a judge run did, and its agreement with the human labels, as `profilekit judge` prints it:
 * with `agreementStatistics`, every figure with its interval and counts and the single-factor
 * baselines; without (a folder from before 0.2), the four headline figures.
 */
export function renderJudgeSummary(
  result: Pick<JudgeResult, "model" | "task" | "counts"> & {
    readonly prompt: Pick<JudgeResult["prompt"], "version">;
    readonly profile: Pick<JudgeResult["profile"], "agreement" | "agreementStatistics">;
  },
): string {
  const { counts } = result;
  const { agreement, agreementStatistics } = result.profile;
  const head =
    `${result.model} judged ${counts.inputPairs} pairs (${result.task}, prompt ${result.prompt.version}) in both orders: ` +
    `${counts.judged} labelled, ${counts.failed} without a label (a call failed)`;
  if (agreementStatistics !== undefined) {
    return [head, ...renderAgreementStatistics(agreementStatistics, counts.inconsistent)].join("\n");
  }
  return [
    head,
    "agreement with the human labels:",
    `  accuracy without ties  ${figure(agreement.accuracy)}`,
    `  Cohen's kappa          ${figure(agreement.kappa)}`,
    `  position consistency   ${figure(agreement.positionConsistency)}  (${counts.inconsistent} pairs whose orders disagreed became ties)`,
    `  tie rate (model)       ${figure(agreement.tieRate)}`,
  ].join("\n");
}

/**
 * What a generation run wrote, kept and paired, in one line as `profilekit generate` prints it;
 * `selfCheck` is the self-check the run was asked for, if any.
 */
export function renderGenerationSummary(
  result: Pick<GenerateResult, "model" | "task" | "counts"> & {
    readonly prompt: Pick<GenerateResult["prompt"], "version">;
    readonly profile: { readonly generation: Pick<GenerationSummary, "levels"> };
  },
  selfCheck: { readonly delta: number } | undefined,
): string {
  const { counts } = result;
  return (
    `${result.model} wrote ${counts.written} of ${counts.calls} responses ` +
    `(${counts.inputs} inputs × ${result.profile.generation.levels} levels, ${result.task}, prompt ${result.prompt.version}); ` +
    `${counts.failed} failed` +
    (selfCheck
      ? `; self-check (delta ${selfCheck.delta}) dropped ${counts.offTarget} off target and ${counts.unscored} unscored`
      : "") +
    `; ${counts.pairsFormed} pairs`
  );
}

/**
 * A study's results as `profilekit run` prints them: each setting's profile table (and usage,
 * when it called a model) under a heading with its status and model, then the alignment.
 */
export function renderStudy(
  outcome: Pick<StudyOutcome, "stages" | "alignment"> & Partial<Pick<StudyOutcome, "added">>,
): string {
  const parts = outcome.stages.map((stage) => {
    const model = stage.model ? `, ${stage.model}` : "";
    const table = `== ${stage.setting} (${stage.status}${model}) ==\n${renderProfileTable(stage.profile)}\n\n`;
    return stage.usage ? `${table}${formatUsage(stage.usage)}\n\n` : table;
  });
  if (outcome.alignment) parts.push(`== alignment ==\n${renderAlignment(outcome.alignment)}\n`);
  for (const stage of outcome.added ?? []) {
    const usage = stage.usage ? `${formatUsage(stage.usage)}\n` : "";
    parts.push(
      `\n== ${stage.setting} (${stage.status}) ==\nin ${stage.folder}/ (report.html shows it)\n${usage}`,
    );
  }
  return parts.join("");
}

/**
 * What `profilekit run` says on stderr after a study: what each plugin registered, the files
 * written into `shownDir` (with the report when `reportWritten`), and why there is no alignment
 * when there is none.
 */
export function renderStudyFooter(
  outcome: Pick<StudyOutcome, "stages" | "alignment" | "plugins"> & Partial<Pick<StudyOutcome, "added">>,
  shownDir: string,
  reportWritten: boolean,
): string {
  const lines = outcome.plugins.map((plugin) => {
    const added = [
      ...plugin.factors.map((id) => `factor ${id}`),
      ...plugin.tasks.map((id) => `task ${id}`),
      ...plugin.providers.map((id) => `model provider ${id}:`),
    ];
    return `plugin ${plugin.spec}: ${added.join(", ") || "nothing registered"}`;
  });
  const written = [
    ...outcome.stages.filter((stage) => stage.status === "ran").map((stage) => `${stage.folder}/`),
    ...(outcome.alignment ? ["alignment/"] : []),
    ...(outcome.added ?? []).filter((stage) => stage.status === "ran").map((stage) => `${stage.folder}/`),
    "manifest.json",
    ...(reportWritten ? ["report.html", "report.md"] : []),
  ];
  lines.push(`wrote ${written.join(", ")} to ${shownDir}`);
  if (!outcome.alignment) {
    lines.push(
      "no alignment: it needs the human setting and a model setting (settings.evaluation or settings.generation, or a profile in evaluation/ or generation/; docs/configuration.md)",
    );
  }
  return `${lines.join("\n")}\n`;
}
