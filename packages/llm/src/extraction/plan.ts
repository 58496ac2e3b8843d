import type { FactorPlugin, Pair } from "@profilekit/spec";
import type { z } from "zod";
import type { EstimateRequest, GenerateResult, ModelClient } from "../client.js";
import { instanceOf, PLACEHOLDER_CHOICES } from "../json-schema-instance.js";
import { jsonSchemaOf } from "../structured-output.js";
import { createModelFactorExtractor, type ModelFactorExtractorOptions } from "./extractor.js";

/**
 * The exact calls an extractor with these options would make for these pairs, for
 * `--dry-run`: the extraction runs against a client that records each request and answers it
 * with a placeholder that fits the schema (three items per list), so that the calls that
 * depend on an answer (a response read against its source's checklist) are planned too.
 * Nothing is sent or counted; one reading per distinct response, as the real run makes.
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
    async generateObject<S extends z.ZodType, A extends z.ZodType = S>(
      request: Parameters<ModelClient["generateObject"]>[0],
    ): Promise<GenerateResult<z.output<A>>> {
      requests.push(request);
      const placeholder = instanceOf(jsonSchemaOf(request.schema, request.schemaName), PLACEHOLDER_CHOICES);
      const accepted = (request.accept ?? request.schema).safeParse(placeholder);
      if (!accepted.success) return { ok: false, error: "planned, not sent", code: "model_call_failed" };
      return {
        ok: true,
        value: accepted.data as z.output<A>,
        cached: false,
        usage: { inputTokens: 0, outputTokens: 0 },
      };
    },
  };
  await createModelFactorExtractor({ ...options, client: recorder, onRecord: undefined }).extract(
    factors,
    pairs,
  );
  return requests;
}
