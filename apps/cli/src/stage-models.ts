import { type ModelClient, UsageTracker } from "@profilekit/llm";
import { createExtraction, type Extraction, type ExtractionFlags } from "./model-extraction.js";
import { createClient, type ModelFlags } from "./model-options.js";
import { packageVersions } from "./versions.js";

/** A model of a stage: its id (`provider:model`) and its client settings. */
export interface StageModel {
  readonly id: string;
  readonly flags: ModelFlags;
}

/** The model that measures the model-extracted factors, and how it is asked. */
export interface StageExtractor {
  readonly id: string;
  readonly flags: ModelFlags & Partial<ExtractionFlags>;
}

/** Reports a stage's progress: `step` names what is counted ("pairs judged", "responses", "pairs profiled"). */
export type StageProgress = (step: string, done: number) => void;

/** The clients of a model stage: the stage's model and the extractor, sharing one usage tracker. */
export interface StageClients {
  readonly client: ModelClient;
  readonly extraction: Extraction | undefined;
  close(): Promise<void>;
}

/**
 * Opens the stage's model and its extractor on one usage tracker, so manifest.json's usage
 * and --max-cost cover both. The extractor is seeded by the run's seed.
 */
export async function openStageClients(
  model: StageModel,
  extractor: StageExtractor | undefined,
  seed: number,
): Promise<StageClients> {
  const usage = new UsageTracker();
  const client = createClient(model.id, model.flags, { usage });
  let extraction: Extraction | undefined;
  try {
    extraction = extractor ? createExtraction(extractor.id, extractor.flags, usage, seed) : undefined;
  } catch (error) {
    await client.close();
    throw error;
  }
  return {
    client,
    extraction,
    async close() {
      await client.close();
      await extraction?.client.close();
    },
  };
}

/** The package versions a model stage's manifest.json records. */
export function modelStageVersions(taskId: string): Record<string, string> {
  return packageVersions([
    "@profilekit/core",
    "@profilekit/data",
    "@profilekit/spec",
    "@profilekit/llm",
    `@profilekit/task-${taskId}`,
  ]);
}
