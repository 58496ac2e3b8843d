import { responseText } from "../coerce.js";
import { labelResolver, requireLabel } from "../label-mapping.js";
import { checkedPair, datasetFile, pairsFromRecords } from "./dataset-records.js";
import type { Preset } from "./preset.js";

const file = "testdata_pairwise.jsonl";
/** Auto-J's README: 0 means the first response, 1 the second, 2 a tie. */
const preferred = labelResolver({ a: ["0"], b: ["1"], tie: ["2"] });

/** Auto-J's pairwise test set: real user queries in 58 scenarios, two responses, a human label with ties. */
export const autoj: Preset = {
  name: "autoj",
  title: "Auto-J pairwise test set (Li et al. 2023)",
  task: "instruction-following",
  description:
    "1392 pairs in 58 scenarios: prompt = prompt, a = response 1, b = response 2, label 0 → a, 1 → b, 2 → tie; meta.scenario kept.",
  license: "no license file (GAIR-NLP/auto-j); research use",
  files: [file],
  clusterLevel: "prompt",
  clusterReason:
    "The query: 1,392 pairs over 1,182 distinct queries, and pairs that answer the same query depend on it; the 58 scenarios are strata, not clusters.",
  async *read(path, context) {
    const data = await datasetFile(path, autoj, file);
    yield* pairsFromRecords(data, "jsonl", autoj.name, context, (record, at) => {
      const label = requireLabel(preferred, record.label, "label", at);
      const id = `autoj:${at.index}`;
      return [
        checkedPair(
          {
            id,
            task: context.task ?? "instruction-following",
            prompt: responseText(record.prompt, "prompt", at),
            a: responseText(record["response 1"], "response 1", at),
            b: responseText(record["response 2"], "response 2", at),
            label,
            group: id,
            meta: { scenario: record.scenario },
          },
          at,
        ),
      ];
    });
  },
};
