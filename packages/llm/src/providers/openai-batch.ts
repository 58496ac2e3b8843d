import type { BatchRequest, BatchResult, BatchState, ModelBatchApi } from "@profilekit/spec";
import type OpenAI from "openai";
import { batchInputLine, BatchOutputLineSchema, resultOfOutputLine } from "../batch/batch-lines.js";
import { textLines } from "../batch/json-lines.js";
import { ModelCallError } from "../errors.js";
import { CHAT_COMPLETIONS_ENDPOINT } from "./openai-wire.js";
import type { SdkConnection } from "./sdk-connection.js";
import { fromSdkError, type SdkErrorContext } from "./sdk-error.js";

/** OpenAI's limits per batch: 50,000 requests and a 200 MB input file. */
export const OPENAI_BATCH_LIMITS = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 } as const;

/**
 * OpenAI's Batch API through the `openai` SDK: the requests go up as one JSON Lines file
 * (`files.create`, purpose "batch"), then `batches.create` on the chat completions endpoint with
 * the 24 h window; results are read from the output and error files, line by line. Any
 * OpenAI-compatible server that implements the files and batches endpoints works the same way.
 */
export function openaiBatchApi(
  connect: () => Promise<SdkConnection<OpenAI>>,
  context: Omit<SdkErrorContext, "classes">,
): ModelBatchApi {
  async function call<T>(operation: (sdk: OpenAI) => Promise<T>): Promise<T> {
    const { sdk, classes } = await connect();
    try {
      return await operation(sdk);
    } catch (error) {
      throw fromSdkError(error, { ...context, classes });
    }
  }

  async function submit(
    requests: readonly BatchRequest[],
    metadata: Readonly<Record<string, string>>,
  ): Promise<BatchState> {
    const { toFile } = await import("openai");
    const text = `${requests.map(batchInputLine).join("\n")}\n`;
    return call(async (sdk) => {
      const file = await sdk.files.create({
        file: await toFile(Buffer.from(text, "utf8"), "profilekit-batch.jsonl"),
        purpose: "batch",
      });
      const batch = await sdk.batches.create({
        input_file_id: file.id,
        endpoint: CHAT_COMPLETIONS_ENDPOINT,
        completion_window: "24h",
        metadata: { ...metadata },
      });
      return stateOf(batch);
    });
  }

  async function* results(id: string): AsyncGenerator<BatchResult> {
    const batch = await call((sdk) => sdk.batches.retrieve(id));
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      const response = await call((sdk) => sdk.files.content(fileId));
      if (!response.body) continue;
      for await (const line of textLines(response.body)) {
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          throw malformedFile(id, fileId, "a line is not JSON");
        }
        const parsed = BatchOutputLineSchema.safeParse(json);
        if (!parsed.success) throw malformedFile(id, fileId, "a line has no custom_id");
        yield resultOfOutputLine(parsed.data);
      }
    }
  }

  return {
    limits: OPENAI_BATCH_LIMITS,
    submit,
    retrieve: (id) => call(async (sdk) => stateOf(await sdk.batches.retrieve(id))),
    results,
    cancel: (id) => call(async (sdk) => stateOf(await sdk.batches.cancel(id))),
  };
}

function malformedFile(batchId: string, fileId: string, what: string): ModelCallError {
  return new ModelCallError(`the results file ${fileId} of batch ${batchId} is malformed: ${what}`, {
    kind: "malformed",
  });
}

const phases: Record<OpenAI.Batches.Batch["status"], BatchState["phase"]> = {
  validating: "validating",
  in_progress: "in_progress",
  finalizing: "finalizing",
  cancelling: "cancelling",
  completed: "ended",
  expired: "ended",
  cancelled: "ended",
  failed: "ended",
};

function stateOf(batch: OpenAI.Batches.Batch): BatchState {
  const outcome =
    batch.status === "completed" ||
    batch.status === "expired" ||
    batch.status === "cancelled" ||
    batch.status === "failed"
      ? batch.status
      : undefined;
  const counts = batch.request_counts;
  const errors = batch.errors?.data?.map((entry) =>
    [
      entry.line === undefined || entry.line === null ? "" : `line ${entry.line}: `,
      entry.message ?? entry.code,
    ]
      .join("")
      .trim(),
  );
  return {
    id: batch.id,
    phase: phases[batch.status],
    ...(outcome ? { outcome } : {}),
    counts: { total: counts?.total ?? 0, finished: (counts?.completed ?? 0) + (counts?.failed ?? 0) },
    createdAt: new Date(batch.created_at * 1000).toISOString(),
    ...(batch.expires_at ? { expiresAt: new Date(batch.expires_at * 1000).toISOString() } : {}),
    ...(errors && errors.length > 0 ? { error: errors.slice(0, 5).join("; ") } : {}),
  };
}
