import { createRandom } from "@profilekit/core";
import type { ModelClient } from "@profilekit/llm";
import {
  type GenerationCall,
  type GenerationInput,
  generateResponses,
  renderForPair,
} from "@profilekit/runner/stage-kit";
import type { Pair, PromptTemplate, ResponseRecord } from "@profilekit/spec";

/** The usage stage of self-data's samples. */
const SAMPLE_STAGE = "sample";

/** One sample call: the task's generation prompt at a level, drawn at a temperature. */
export interface SampleCall extends GenerationCall {
  /** Which of the input's samples, 1..N. */
  readonly sample: number;
  readonly temperature: number;
}

/** The seed sent with sample `sample` of an input: from the run's seed, the input and the sample. */
function sampleSeed(seed: number, inputId: string, sample: number): number {
  return createRandom(seed, `self-data/${inputId}/${sample}`).nextInt(2 ** 31 - 1);
}

/**
 * The N sample calls of every training input, rendered before any is sent: sample i is the task's
 * generation prompt aimed at level ((i - 1) mod K) + 1, at the given temperature, with its own seed,
 * so the samples differ in what they aim at and in their draws (each cached apart: sampleIndex i).
 */
export function planSamples(
  inputs: readonly GenerationInput[],
  template: PromptTemplate,
  options: {
    readonly samples: number;
    readonly levels: number;
    readonly temperature: number;
    readonly seed: number;
  },
): SampleCall[][] {
  return inputs.map((input) =>
    Array.from({ length: options.samples }, (_, i) => {
      const sample = i + 1;
      const level = (i % options.levels) + 1;
      return {
        input,
        level,
        sample,
        temperature: options.temperature,
        call: {
          messages: renderForPair(template, input, { level, levels: options.levels }),
          promptVersion: template.version,
          stage: SAMPLE_STAGE,
          sampleIndex: sample,
          temperature: options.temperature,
          seed: sampleSeed(options.seed, input.id, sample),
        },
      };
    }),
  );
}

/** Makes every sample call (concurrently, bounded by the client); the records carry their sample and temperature. */
export async function drawSamples(
  plan: readonly (readonly SampleCall[])[],
  client: ModelClient,
  options: { readonly levels: number; readonly signal?: AbortSignal | undefined },
  onSample?: (done: number) => void,
): Promise<ResponseRecord[][]> {
  const records = await generateResponses(plan, client, options, onSample);
  return records.map((input, i) =>
    input.map((record, j) => ({
      ...record,
      sample: plan[i]![j]!.sample,
      temperature: plan[i]![j]!.temperature,
    })),
  );
}

/**
 * Every two kept samples of an input as a pair, for the evaluator: id `<input id>/s<i>vs<j>` (i < j),
 * which sample is `a` a coin from the seed and the id. The pair has no label yet (`tie` stands in):
 * the evaluator's verdicts give it one.
 */
export function samplePairs(
  input: GenerationInput,
  records: readonly ResponseRecord[],
  seed: number,
): Pair[] {
  const kept = records.filter((r) => r.status === "kept" && r.text !== null);
  const pairs: Pair[] = [];
  for (let i = 0; i < kept.length; i++) {
    for (let j = i + 1; j < kept.length; j++) {
      const [x, y] = [kept[i]!, kept[j]!];
      const id = `${input.id}/s${x.sample}vs${y.sample}`;
      const [a, b] = createRandom(seed, `self-data/pair/${id}`).nextInt(2) === 0 ? [x, y] : [y, x];
      pairs.push({
        id,
        task: input.task,
        ...(input.source === undefined ? {} : { source: input.source }),
        ...(input.prompt === undefined ? {} : { prompt: input.prompt }),
        a: a.text!,
        b: b.text!,
        label: "tie",
        group: input.cluster,
        meta: { sampleA: a.sample!, sampleB: b.sample!, levelA: a.level, levelB: b.level },
      });
    }
  }
  return pairs;
}
