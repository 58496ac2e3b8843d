/** Fields that identify a raw record of each shared dataset (and of the canonical format), so an error can name the right preset. */
const signatures: readonly { readonly preset: string; readonly keys: readonly string[] }[] = [
  { preset: "summ-news", keys: ["writer_summary", "text-davinci-002_summary", "overall_writer_better"] },
  { preset: "autoj", keys: ["response 1", "response 2", "label"] },
  { preset: "qa-feedback", keys: ["question", "passages", "preference", "prediction 1"] },
  { preset: "hh-rlhf", keys: ["chosen", "rejected"] },
  { preset: "summeval", keys: ["model_id", "decoded", "expert_annotations"] },
  { preset: "canonical", keys: ["a", "b", "label"] },
];

/** The preset whose dataset this raw record looks like, when it is not the one in use. */
function suggestPreset(record: Record<string, unknown>, current: string): string | undefined {
  const match = signatures.find(({ keys }) => keys.every((key) => Object.hasOwn(record, key)));
  return match === undefined || match.preset === current ? undefined : match.preset;
}

/** "this record looks like the autoj dataset: use --preset autoj", when it does. */
export function presetHint(record: Record<string, unknown>, current: string): string | undefined {
  const preset = suggestPreset(record, current);
  return preset === undefined
    ? undefined
    : `this record looks like the ${preset} dataset: use --preset ${preset}`;
}
