import { createRandom } from "@profilekit/core";
import type { GenerationInput } from "@profilekit/runner/stage-kit";
import type { Pair, ResponseRecord, RevisionSummary } from "@profilekit/spec";
import type { FactorScores } from "./guidance.js";

/** Words as the length factor counts them by default: maximal runs of non-whitespace. */
const words = (text: string) => (text.match(/\S+/g) ?? []).length;

interface Revision {
  readonly input: GenerationInput;
  readonly draft: ResponseRecord & { text: string };
  readonly final: ResponseRecord & { text: string };
}

/** Every response the loop revised at least once: its first draft and its final text. */
function revisions(
  inputs: readonly GenerationInput[],
  records: readonly (readonly ResponseRecord[])[],
): Revision[] {
  return inputs.flatMap((input, i) => {
    const rounds = records[i]!;
    return [...new Set(rounds.map((r) => r.level))].flatMap((level) => {
      const draft = rounds.find((r) => r.level === level && (r.round ?? 0) === 0);
      const final = rounds.find((r) => r.level === level && r.status === "kept");
      if (!draft || !final || (final.round ?? 0) === 0 || draft.text === null || final.text === null)
        return [];
      return [{ input, draft: draft as Revision["draft"], final: final as Revision["final"] }];
    });
  });
}

/**
 * The revision pairs: every (final, first draft) of a revised response, labelled "final
 * preferred", so their profile says what the loop changed. Which text is `a` is a coin drawn from
 * the seed and the pair id (`<input id>/<level>/revision`); the pair carries its input's cluster
 * as `group`, as generated pairs do.
 */
export function revisionPairs(
  inputs: readonly GenerationInput[],
  records: readonly (readonly ResponseRecord[])[],
  seed: number,
): Pair[] {
  return revisions(inputs, records).map(({ input, draft, final }) => {
    const id = `${input.id}/${draft.level}/revision`;
    const finalFirst = createRandom(seed, `revision/pair/${id}`).nextInt(2) === 0;
    return {
      id,
      task: input.task,
      ...(input.source === undefined ? {} : { source: input.source }),
      ...(input.prompt === undefined ? {} : { prompt: input.prompt }),
      a: finalFirst ? final.text : draft.text,
      b: finalFirst ? draft.text : final.text,
      label: finalFirst ? "a" : "b",
      group: input.cluster,
      meta: { level: draft.level, rounds: final.round ?? 0 },
    };
  });
}

/**
 * revision-profile.json's `revision` block: how many responses were revised and how, and whether
 * the loop mostly lengthens (more than half of the revisions have more words than their first
 * draft), said in `note` with the revision profile's length score beside the human one.
 */
export function revisionSummary(
  inputs: readonly GenerationInput[],
  records: readonly (readonly ResponseRecord[])[],
  rounds: number,
  profiles: { readonly revision: FactorScores; readonly human: FactorScores },
): RevisionSummary {
  const all = records.flat();
  const drafts = all.filter((r) => (r.round ?? 0) === 0 && r.status !== "failed");
  const revised = revisions(inputs, records);
  const changes = revised.map(({ draft, final }) => words(final.text) - words(draft.text));
  const longer = changes.filter((change) => change > 0).length;
  const shorter = changes.filter((change) => change < 0).length;
  const meanWordChange =
    changes.length === 0 ? null : changes.reduce((sum, change) => sum + change, 0) / changes.length;
  const stoppedEarly = drafts.filter((draft) => {
    const last = all.filter((r) => r.inputId === draft.inputId && r.level === draft.level).at(-1)!;
    return last.critique?.meetsTarget === true;
  }).length;
  const mostlyLengthens = revised.length > 0 && longer > revised.length / 2;
  const tauOf = (profile: FactorScores) => profile.factors.find((f) => f.factor === "length")?.tau;
  const revisionLength = tauOf(profiles.revision);
  const humanLength = tauOf(profiles.human);
  const note = mostlyLengthens
    ? `the loop mostly lengthens: ${longer} of ${revised.length} revisions have more words than their first draft (mean ${meanWordChange! >= 0 ? "+" : ""}${meanWordChange!.toFixed(1)} words)` +
      (revisionLength !== undefined && revisionLength !== null
        ? `; length scores ${revisionLength.toFixed(2)} in the revision profile` +
          (humanLength !== undefined && humanLength !== null
            ? ` and ${humanLength.toFixed(2)} in the human one`
            : "")
        : "") +
      ". It may be optimising length rather than what people prefer."
    : null;
  return {
    responses: drafts.length,
    revised: revised.length,
    stoppedEarly,
    rounds,
    longer,
    shorter,
    meanWordChange,
    mostlyLengthens,
    note,
  };
}
