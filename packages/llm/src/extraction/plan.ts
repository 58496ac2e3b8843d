import type { FactorPlugin, Pair } from "@profilekit/spec";
import type { EstimateRequest, GenerateResult, ModelClient } from "../client.js";
import { createModelFactorExtractor, type ModelFactorExtractorOptions } from "./extractor.js";

/**
 * The exact calls an extractor with these options would make for these pairs,
 * for `--dry-run`: the extraction runs against a client that records each
 * request and answers none, so no call is made and nothing is counted.
 * `client.estimate(requests)` then prices them, with the cache accounted for.
 */
export async function planExtraction(
  options: ModelFactorExtractorOptions,
  factors: readonly FactorPlugin[],
  pairs: readonly Pair[],
): Promise<EstimateRequest[]> {
  const requests: EstimateRequest[] = [];
  const recorder: ModelClient = {
    ...options.client,
    async generateObject(request): Promise<GenerateResult<never>> {
      requests.push(request);
      return { ok: false, error: "planned, not sent", code: "model_call_failed" };
    },
  };
  await createModelFactorExtractor({ ...options, client: recorder }).extract(factors, pairs);
  return requests;
}
