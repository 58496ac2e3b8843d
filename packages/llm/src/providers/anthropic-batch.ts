import type Anthropic from "@anthropic-ai/sdk";
import type { BatchRequest, BatchResult, BatchState, ModelBatchApi } from "@profilekit/spec";
import type { SdkConnection } from "./sdk-connection.js";
import { fromSdkError, type SdkErrorContext } from "./sdk-error.js";

/** Anthropic's limits per message batch: 100,000 requests and 256 MB. */
export const ANTHROPIC_BATCH_LIMITS = { maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 } as const;

/**
 * Anthropic's Message Batches through `@anthropic-ai/sdk`: the requests go inline
 * (`messages.batches.create`, each with its custom_id and the Messages parameters), results
 * stream back as JSON Lines (`messages.batches.results`), in any order. Anthropic checks the
 * parameters only as the batch runs: a bad request comes back as an errored result.
 */
export function anthropicBatchApi(
  connect: () => Promise<SdkConnection<Anthropic>>,
  context: Omit<SdkErrorContext, "classes">,
): ModelBatchApi {
  async function call<T>(operation: (sdk: Anthropic) => Promise<T>): Promise<T> {
    const { sdk, classes } = await connect();
    try {
      return await operation(sdk);
    } catch (error) {
      throw fromSdkError(error, { ...context, classes });
    }
  }

  async function* results(id: string): AsyncGenerator<BatchResult> {
    const decoder = await call((sdk) => sdk.messages.batches.results(id));
    const { classes } = await connect();
    try {
      for await (const line of decoder) yield resultOf(line);
    } catch (error) {
      throw fromSdkError(error, { ...context, classes });
    }
  }

  return {
    limits: ANTHROPIC_BATCH_LIMITS,
    submit: (requests: readonly BatchRequest[]) =>
      call(async (sdk) =>
        stateOf(
          await sdk.messages.batches.create({
            requests: requests.map((entry) => ({
              custom_id: entry.customId,
              params: entry.request.body as unknown as Anthropic.Messages.MessageCreateParamsNonStreaming,
            })),
          }),
        ),
      ),
    retrieve: (id) => call(async (sdk) => stateOf(await sdk.messages.batches.retrieve(id))),
    results,
    cancel: (id) => call(async (sdk) => stateOf(await sdk.messages.batches.cancel(id))),
  };
}

function resultOf(line: Anthropic.Messages.MessageBatchIndividualResponse): BatchResult {
  const customId = line.custom_id;
  const { result } = line;
  switch (result.type) {
    case "succeeded":
      return { customId, type: "succeeded", body: result.message };
    case "errored": {
      const error = result.error?.error as { type?: string; message?: string } | undefined;
      return {
        customId,
        type: "errored",
        error: error ? `${error.type ?? "error"}: ${error.message ?? "no message"}` : "errored",
      };
    }
    case "canceled":
      return { customId, type: "cancelled" };
    case "expired":
      return { customId, type: "expired" };
  }
}

function stateOf(batch: Anthropic.Messages.MessageBatch): BatchState {
  const counts = batch.request_counts;
  const total = counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired;
  const ended = batch.processing_status === "ended";
  return {
    id: batch.id,
    phase: ended ? "ended" : batch.processing_status === "canceling" ? "cancelling" : "in_progress",
    ...(ended ? { outcome: batch.cancel_initiated_at ? "cancelled" : "completed" } : {}),
    counts: { total, finished: total - counts.processing },
    createdAt: new Date(batch.created_at).toISOString(),
    expiresAt: new Date(batch.expires_at).toISOString(),
  };
}
