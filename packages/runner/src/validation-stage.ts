import { basename } from "node:path";
import { readFile } from "node:fs/promises";
import { readValidationItems } from "@profilekit/data";
import { type BatchQueue, type ExtractionStats, type UsageReport, UsageTracker } from "@profilekit/llm";
import {
  type MeasurementRecord,
  type Pair,
  ProfilekitError,
  runFolderSchemaVersion,
  type ValidationFile,
  ValidationFileSchema,
  type ValidationItem,
  ValidationItemSchema,
  type ValidationManifest,
  ValidationManifestSchema,
  type ValidationMapping,
  ValidationMappingSchema,
  type ValidationResult,
} from "@profilekit/spec";
import { z } from "zod";
import { extractFactors, isModelExtracted } from "./analysis-batch.js";
import { inStageBatchRounds } from "./batch-rounds.js";
import { createBuiltinRegistry } from "./builtins.js";
import type { EvidenceLog } from "./evidence-log.js";
import { needsModel, requireExtractorFor, type SelectedFactor, selectFactors } from "./factor-selection.js";
import { openStageExtraction, type StageProgress } from "./model-stage.js";
import { type CallPlan, type DryRun, priceCallPlans } from "./dry-run.js";
import { extractionCallPlan } from "./model-extraction.js";
import { describeFactors, packageVersions, ProvenanceSchema } from "./provenance.js";
import { RunFolderWriter } from "./run-folder/writer.js";
import { MaxFailuresSchema, StageGuard } from "./stage-guard.js";
import { FactorStageFields, parseRequest } from "./stage-request.js";
import {
  type BundledValidationSet,
  bundledValidationFile,
  bundledValidationNames,
  bundledValidationSets,
} from "./validation-mappings.js";
import { mappingResult } from "./validation-results.js";

const isIterable = (value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> =>
  typeof value === "object" &&
  value !== null &&
  (Symbol.iterator in value || Symbol.asyncIterator in value) &&
  typeof value !== "string";

/** A dataset to validate on: a bundled one by name, or items with the table of mappings that applies to them. */
export const ValidationDatasetSchema = z.union([
  z.enum(bundledValidationNames),
  z.strictObject({
    /** How validation.json names the dataset; unique within a request. */
    name: z.string().min(1),
    /** A validation file (JSON Lines, optionally .gz), or the items themselves. */
    items: z.union([
      z.string().min(1),
      z.custom<Iterable<ValidationItem> | AsyncIterable<ValidationItem>>(isIterable, {
        message: "items must be a file path, an array of items, or an (async) iterable of items",
      }),
    ]),
    /**
     * A bundled dataset's table (for items labelled as it is), mappings of one's own, or a JSON
     * file holding an array of them.
     */
    mappings: z.union([
      z.enum(bundledValidationNames),
      z.array(ValidationMappingSchema).min(1),
      z.string().min(1),
    ]),
  }),
]);
export type ValidationDataset = z.input<typeof ValidationDatasetSchema>;

/**
 * A dataset named on a command line: a bundled one by its name, or a file of validation items,
 * read with `mappings` (a bundled dataset's table, or a JSON file of mappings), named after the
 * file. A file without mappings fails with `missing_argument`.
 */
export function validationDatasetOf(nameOrFile: string, mappings: string | undefined): ValidationDataset {
  if ((bundledValidationNames as readonly string[]).includes(nameOrFile))
    return nameOrFile as ValidationDataset;
  if (mappings === undefined) {
    throw new ProfilekitError("missing_argument", `--dataset ${nameOrFile} needs --mappings`, {
      hint: `say which labels its items carry: --mappings ${bundledValidationNames.join("|")} or a JSON file of mappings`,
    });
  }
  const name = basename(nameOrFile)
    .replace(/(\.gz)?$/, "")
    .replace(/\.[^.]+$/, "");
  return { name, items: nameOrFile, mappings };
}

/** What `validate` is asked. */
export const ValidateRequestSchema = z.strictObject({
  /** Default: both bundled datasets, SummEval and QA-Feedback. */
  datasets: z
    .array(ValidationDatasetSchema)
    .min(1)
    .default([...bundledValidationNames]),
  /** Default: every factor a mapping names (those needing a model only with an extractor). */
  factors: FactorStageFields.factors,
  factorOptions: FactorStageFields.factorOptions,
  extractor: FactorStageFields.extractor,
  extraction: FactorStageFields.extraction,
  cache: FactorStageFields.cache,
  out: FactorStageFields.out,
  registry: FactorStageFields.registry,
  signal: FactorStageFields.signal,
  batch: FactorStageFields.batch,
  bootstrap: FactorStageFields.bootstrap,
  permutations: FactorStageFields.permutations,
  seed: FactorStageFields.seed,
  maxFailures: MaxFailuresSchema,
  /** Told as items are measured, per dataset (`step` is its name). */
  onProgress: z.custom<StageProgress>((value) => typeof value === "function").optional(),
  provenance: ProvenanceSchema.default({ versions: {} }),
});
export type ValidateRequest = z.input<typeof ValidateRequestSchema>;
type ParsedValidateRequest = z.output<typeof ValidateRequestSchema>;

export interface ValidateResult {
  /** validation.json, as written (or as it would be, without `out`). */
  readonly validation: ValidationFile;
  /** The files written into `out`, manifest.json (written last) included; empty without `out`. */
  readonly files: readonly string[];
  readonly manifest: ValidationManifest;
  /** Factors left out because they need a model and no extractor was given. */
  readonly skippedFactors: readonly string[];
  readonly usage: UsageReport | undefined;
  readonly extraction: ExtractionStats | undefined;
}

/** A dataset of the request, resolved: where its items come from and its mappings, parsed. */
interface ResolvedDataset {
  readonly name: string;
  readonly input: string;
  readonly items: string | Iterable<unknown> | AsyncIterable<unknown>;
  readonly mappings: readonly ValidationMapping[];
}

const isBundled = (name: string): name is BundledValidationSet => Object.hasOwn(bundledValidationSets, name);

/** A table of mappings: a bundled dataset's, the array given, or the array in a JSON file. */
async function mappingsOf(table: string | readonly ValidationMapping[]): Promise<ValidationMapping[]> {
  if (typeof table !== "string") return [...table];
  if (isBundled(table))
    return bundledValidationSets[table].mappings.map((m) => ValidationMappingSchema.parse(m));
  let text: string;
  try {
    text = await readFile(table, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new ProfilekitError(
      missing ? "file_not_found" : "unreadable_input",
      `${table}: cannot read the mappings (${(error as Error).message})`,
      {
        location: { file: table },
        hint: `mappings are ${bundledValidationNames.join(" or ")} (a bundled table) or a JSON file of mappings`,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProfilekitError("malformed_json", `${table}: not valid JSON (${(error as Error).message})`, {
      location: { file: table },
      hint: "the file holds a JSON array of mappings (docs/validation.md)",
    });
  }
  const mappings = z.array(ValidationMappingSchema).min(1).safeParse(parsed);
  if (!mappings.success) {
    const issue = mappings.error.issues[0]!;
    throw new ProfilekitError(
      "invalid_validation_mapping",
      `${table}: ${issue.path.join(".") || "(the file)"}: ${issue.message}`,
      {
        location: { file: table },
        hint: "each mapping is {factor, labels, direction, role, statistic, references?, note?} (docs/validation.md)",
      },
    );
  }
  return mappings.data;
}

async function resolveDataset(dataset: z.output<typeof ValidationDatasetSchema>): Promise<ResolvedDataset> {
  if (typeof dataset === "string") {
    const file = bundledValidationFile(dataset);
    if (file === undefined) {
      throw new ProfilekitError(
        "file_not_found",
        `the bundled validation file of ${dataset} (data/${bundledValidationSets[dataset].file}) is not here`,
        {
          hint:
            "the bundled files live in a checkout of the profilekit repository, not in the npm package; " +
            `give the items yourself: { name: "${dataset}", items: "<file>", mappings: "${dataset}" }`,
        },
      );
    }
    // Named as in the repository, so validation.json reads the same in every checkout.
    const input = `data/${bundledValidationSets[dataset].file}`;
    return { name: dataset, input, items: file, mappings: await mappingsOf(dataset) };
  }
  const mappings = await mappingsOf(dataset.mappings);
  const keys = mappings.map((mapping) => `${mapping.factor} ~ ${mapping.labels.join(" + ")}`);
  const twice = keys.find((key, i) => keys.indexOf(key) !== i);
  if (twice !== undefined) {
    throw new ProfilekitError("invalid_validation_mapping", `dataset ${dataset.name} maps ${twice} twice`, {
      hint: "declare each factor and label once per dataset",
    });
  }
  return {
    name: dataset.name,
    input: typeof dataset.items === "string" ? dataset.items : "(items given in code)",
    items: dataset.items,
    mappings,
  };
}

/** The factors to measure, and those left out for want of an extractor. */
function chooseFactors(request: ParsedValidateRequest, datasets: readonly ResolvedDataset[]) {
  const registry = request.registry ?? createBuiltinRegistry();
  const mapped = [...new Set(datasets.flatMap(({ mappings }) => mappings.map((mapping) => mapping.factor)))];
  const chosen = selectFactors(registry, request.factors ?? mapped, request.factorOptions);
  for (const { plugin } of chosen) {
    if (!mapped.includes(plugin.id)) {
      throw new ProfilekitError(
        "no_mappings",
        `no mapping of ${datasets.map(({ name }) => name).join(", ")} names factor "${plugin.id}"`,
        {
          hint: `mapped factors: ${mapped.join(", ")}; add a mapping for it (docs/validation.md) or leave it out`,
        },
      );
    }
    if (plugin.level !== "response") {
      throw new ProfilekitError(
        "invalid_validation_mapping",
        `factor "${plugin.id}" is judged on a pair of responses, so it has no value on one response to compare with a human label`,
        { hint: "map factors measured on each response (level: response)" },
      );
    }
  }
  if (request.factors !== undefined) {
    requireExtractorFor(
      chosen,
      request.extractor,
      "give an extractor model (--extractor), or leave these factors out",
    );
  }
  const skipped =
    request.extractor === undefined
      ? chosen.filter(({ plugin }) => needsModel(plugin)).map(({ plugin }) => plugin.id)
      : [];
  return { factors: chosen.filter(({ plugin }) => !skipped.includes(plugin.id)), skipped };
}

/** Items per measured batch: a model's calls of a batch are issued at once, the client bounds concurrency. */
const batchSize = 2048;

/**
 * Checks extractors against human factor-level labels: measures each mapped factor on each
 * item's response (its value is the manifestation's valueA of a pair whose two responses are the
 * item's response; a model reads it once) and compares the values with the labels through each
 * dataset's declared mappings, with clustered intervals (docs/validation.md).
 *
 * ```ts
 * const { validation } = await validate({ datasets: ["summeval"], factors: ["readability"], seed: 1 });
 * ```
 *
 * With `out`, writes validation.json, measurements.jsonl, evidence.jsonl (when a model read the
 * responses) and, last, manifest.json; without it nothing is written.
 */
export async function validate(input: ValidateRequest): Promise<ValidateResult> {
  const request = parseRequest(ValidateRequestSchema, input, "validate");
  return inStageBatchRounds(request, "validate", validateOnce);
}

/** One run of validate; in batch mode, the extractor on the round's queue. */
async function validateOnce(
  request: ParsedValidateRequest,
  batch: BatchQueue | undefined,
): Promise<ValidateResult> {
  const datasets = await Promise.all(request.datasets.map(resolveDataset));
  const names = datasets.map(({ name }) => name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new ProfilekitError("invalid_option", `dataset ${repeated} is listed twice`, {
      hint: "list each dataset once; give a dataset of your own another name",
    });
  }
  const { factors, skipped } = chooseFactors(request, datasets);
  const folder = await RunFolderWriter.open(request.out);
  const usage = new UsageTracker();
  const guard = new StageGuard("validate", request.maxFailures, request.signal, batch);
  guard.watch(() => usage.report());
  const { extraction, evidence } =
    request.extractor && factors.some(({ plugin }) => needsModel(plugin))
      ? openStageExtraction(request.extractor, request, folder, { usage, guard, seed: request.seed, batch })
      : {};
  try {
    const measurements: MeasurementRecord[] = [];
    const results: ValidationFile["datasets"] = [];
    const resampling = {
      bootstrap: request.bootstrap,
      permutations: request.permutations,
      seed: request.seed,
    };
    const inputs: ValidationManifest["input"]["datasets"] = [];
    for (const dataset of datasets) {
      const items = await collectItems(dataset);
      const used = factors.filter(({ plugin }) => dataset.mappings.some((m) => m.factor === plugin.id));
      const values = await measure(
        items,
        used,
        request,
        dataset.name,
        extraction?.extractor,
        evidence,
        guard,
      );
      for (const { plugin } of used) {
        for (const [i, item] of items.entries()) {
          const { value, error } = values.get(plugin.id)![i]!;
          measurements.push({
            dataset: dataset.name,
            itemId: item.id,
            factor: plugin.id,
            value,
            ...(error === undefined ? {} : { error }),
          });
        }
      }
      const mappings = dataset.mappings.filter(
        (mapping) => request.factors === undefined || used.some(({ plugin }) => plugin.id === mapping.factor),
      );
      results.push({
        name: dataset.name,
        input: dataset.input,
        items: items.length,
        clusters: new Set(items.map((item) => item.cluster)).size,
        results: mappings.map((mapping) => {
          const measured = values.get(mapping.factor);
          return measured === undefined
            ? skippedResult(mapping)
            : mappingResult(mapping, items, measured, resampling);
        }),
      });
      inputs.push({
        name: dataset.name,
        path: dataset.input,
        items: items.length,
        mappings: mappings.length,
      });
    }
    if (extraction) guard.check(usage.report());
    await evidence?.commit();
    const validation = ValidationFileSchema.parse({
      schemaVersion: runFolderSchemaVersion,
      seed: request.seed,
      bootstrap: request.bootstrap,
      permutations: request.permutations,
      datasets: results,
      skippedFactors: skipped,
    });
    await folder.records("measurements.jsonl", measurements);
    await folder.json("validation.json", validation);
    const stats = extraction?.extractor.stats();
    const report = extraction ? usage.report() : undefined;
    const manifest = ValidationManifestSchema.parse({
      schemaVersion: runFolderSchemaVersion,
      command: request.provenance.command ?? "validate",
      input: { datasets: inputs },
      factors: describeFactors(factors),
      scoring: { bootstrap: request.bootstrap, permutations: request.permutations, seed: request.seed },
      ...(skipped.length > 0 ? { skippedFactors: skipped } : {}),
      ...(extraction
        ? { models: { extractor: extraction.client.modelName }, extraction: stats, usage: report }
        : {}),
      versions: {
        ...request.provenance.versions,
        ...packageVersions(["@profilekit/core", "@profilekit/data", "@profilekit/spec"]),
      },
      node: process.versions.node,
    });
    await folder.json("manifest.json", manifest);
    return {
      validation,
      files: [...folder.files],
      manifest,
      skippedFactors: skipped,
      usage: report,
      extraction: stats,
    };
  } catch (error) {
    await evidence?.abort();
    await folder.abandon();
    throw guard.translate(error);
  } finally {
    await extraction?.client.close();
  }
}

/**
 * What validate would ask the extractor, priced at standard and batch rates, calling nothing: the
 * items of every dataset, and the extraction calls of the model factors (none without an extractor).
 */
export async function estimateValidate(
  input: ValidateRequest,
): Promise<{ items: number; modelFactors: number; dryRun: DryRun }> {
  const request = parseRequest(ValidateRequestSchema, input, "validate");
  const datasets = await Promise.all(request.datasets.map(resolveDataset));
  const { factors } = chooseFactors(request, datasets);
  const plans: CallPlan[] = [];
  const modelFactors = new Set<string>();
  let items = 0;
  for (const dataset of datasets) {
    const read = await collectItems(dataset);
    items += read.length;
    const used = factors
      .map(({ plugin }) => plugin)
      .filter((plugin) => isModelExtracted(plugin) && dataset.mappings.some((m) => m.factor === plugin.id));
    for (const plugin of used) modelFactors.add(plugin.id);
    const plan =
      request.extractor === undefined
        ? undefined
        : await extractionCallPlan(
            { model: request.extractor, settings: request.extraction },
            { cache: request.cache, seed: request.seed },
            used,
            read.map(pairOf),
          );
    if (plan) plans.push(plan);
  }
  return {
    items,
    modelFactors: request.extractor === undefined ? 0 : modelFactors.size,
    dryRun: await priceCallPlans(plans, request.cache),
  };
}

/** A mapping whose factor was left out: it needs a model, and none was given. */
function skippedResult(mapping: ValidationMapping): ValidationResult {
  return {
    ...mapping,
    items: 0,
    clusters: 0,
    missingLabel: 0,
    notMeasured: 0,
    spearman: null,
    kendallTauB: null,
    auc: null,
    intervalMethod: "none",
    skipped: `${mapping.factor} is measured by a language model, and no extractor was given`,
    notes: [],
  };
}

/** Every item of a dataset, checked: a file through the data package's reader, items given in code by the schema. */
async function collectItems(dataset: ResolvedDataset): Promise<ValidationItem[]> {
  if (typeof dataset.items === "string") {
    const items: ValidationItem[] = [];
    for await (const item of readValidationItems(dataset.items)) items.push(item);
    return items;
  }
  const items: ValidationItem[] = [];
  const ids = new Set<string>();
  for await (const raw of dataset.items) {
    const parsed = ValidationItemSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ProfilekitError(
        "invalid_record",
        `dataset ${dataset.name}, item #${items.length + 1}: ${issue.path.join(".") || "(the item)"}: ${issue.message}`,
        {
          hint: "an item is {id, task, source?, prompt?, response, cluster, labels: {name: number or boolean}}",
        },
      );
    }
    if (ids.has(parsed.data.id)) {
      throw new ProfilekitError(
        "duplicate_record",
        `dataset ${dataset.name} lists item "${parsed.data.id}" twice`,
        {
          hint: "give every item its own id",
        },
      );
    }
    ids.add(parsed.data.id);
    items.push(parsed.data);
  }
  if (items.length === 0) {
    throw new ProfilekitError("empty_input", `dataset ${dataset.name} has no item`, {
      hint: "give at least one item with its labels",
    });
  }
  return items;
}

/** The item as a pair whose two responses are its response: a factor's value on it is valueA. */
function pairOf(item: ValidationItem): Pair {
  return {
    id: item.id,
    task: item.task,
    ...(item.source === undefined ? {} : { source: item.source }),
    ...(item.prompt === undefined ? {} : { prompt: item.prompt }),
    a: item.response,
    b: item.response,
    label: "tie",
    group: item.cluster,
  };
}

/** Every factor's value on every item, in the items' order. */
async function measure(
  items: readonly ValidationItem[],
  factors: readonly SelectedFactor[],
  request: ParsedValidateRequest,
  dataset: string,
  modelExtractor: Parameters<typeof extractFactors>[1]["modelExtractor"],
  evidence: EvidenceLog | undefined,
  guard: StageGuard,
): Promise<Map<string, { value: number | null; error?: string }[]>> {
  const values = new Map(
    factors.map(({ plugin }) => [plugin.id, [] as { value: number | null; error?: string }[]]),
  );
  if (factors.length === 0) return values;
  for (let start = 0; start < items.length; start += batchSize) {
    guard.signal.throwIfAborted();
    const batch = items.slice(start, start + batchSize).map(pairOf);
    const perFactor = await extractFactors(batch, {
      factors,
      seed: request.seed,
      labelSource: "validation",
      // Each item is its own pair, grouped by its cluster.
      clusterLevel: "group",
      signal: guard.signal,
      ...(modelExtractor ? { modelExtractor } : {}),
    });
    await evidence?.flush();
    for (const [f, { plugin }] of factors.entries()) {
      const column = values.get(plugin.id)!;
      for (const manifestation of perFactor[f]!) {
        const value = manifestation.valueA ?? null;
        column.push(
          value === null || !Number.isFinite(value)
            ? { value: null, error: manifestation.error ?? `${plugin.id} gave no value` }
            : { value },
        );
      }
    }
    request.onProgress?.({
      step: dataset,
      done: Math.min(start + batchSize, items.length),
      total: items.length,
    });
  }
  return values;
}
