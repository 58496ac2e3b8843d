/**
 * Every error code profilekit raises, with what it means and the exit code a CLI gives it. Codes
 * are stable: a script may branch on them. docs/errors.md lists the same table; a repository test
 * holds the sources, this catalog and that page to one another.
 *
 * Exit codes: 1 a failed run or a bug (model calls failed, a plugin broke its contract), 2 bad
 * usage, a bad config or bad input (nothing was spent), 3 the budget was reached; 0 for
 * `batch_pending`, which ends a command that has handed its calls to a batch.
 */
export const errorCatalog = {
  // Input files and reading options
  file_not_found: {
    exit: 2,
    meaning: "A file or folder named on the command line or in a config does not exist.",
  },
  unreadable_input: {
    exit: 2,
    meaning: "A file exists but cannot be read (permissions, a folder where a file was expected).",
  },
  empty_input: { exit: 2, meaning: "A file holds no record." },
  malformed_json: { exit: 2, meaning: "A line or file is not valid JSON." },
  malformed_csv: { exit: 2, meaning: "A CSV or TSV file cannot be parsed." },
  invalid_record: { exit: 2, meaning: "A record is not an object with the fields of a pair." },
  missing_field: { exit: 2, meaning: "A record lacks a field a pair needs (id, a, b, label...)." },
  invalid_field: { exit: 2, meaning: "A field of a record has the wrong type or an empty value." },
  unknown_label: { exit: 2, meaning: "A label is not a, b or tie, nor mapped to one by --labels." },
  duplicate_record: { exit: 2, meaning: "A dataset file repeats a record that must be unique." },
  duplicate_pair_id: { exit: 2, meaning: "Two pairs share an id; ids must be unique within an input." },
  no_valid_pairs: { exit: 2, meaning: "No record of the input became a pair." },
  unknown_preset: { exit: 2, meaning: "The dataset preset is not one profilekit knows." },
  invalid_mapping: { exit: 2, meaning: "A column or label mapping is malformed or names an unknown target." },
  invalid_option: { exit: 2, meaning: "An option or request field has a value out of its range." },
  missing_argument: { exit: 2, meaning: "A command was given too few arguments." },
  missing_input: { exit: 2, meaning: "A pair lacks the source or prompt that a setting or factor needs." },
  mixed_tasks: { exit: 2, meaning: "The pairs of one model setting belong to several tasks." },
  // Factors, tasks and plugins
  no_factors: { exit: 2, meaning: "No factor is left to measure." },
  duplicate_factor: { exit: 2, meaning: "A factor id is listed or registered twice." },
  duplicate_task: { exit: 2, meaning: "A task id is registered twice." },
  unknown_factor: { exit: 2, meaning: "No factor is registered under this id." },
  unknown_task: { exit: 2, meaning: "No task is registered under this id." },
  invalid_factor: { exit: 2, meaning: "A factor plugin does not satisfy the spec." },
  invalid_task: { exit: 2, meaning: "A task adapter does not satisfy the spec." },
  invalid_factor_option: {
    exit: 2,
    meaning: "A factor option is malformed, unknown or invalid for the factor.",
  },
  unsupported_specification_version: {
    exit: 2,
    meaning: "A plugin was written for another version of the spec.",
  },
  model_required: {
    exit: 2,
    meaning: "A model-extracted factor was chosen and no extractor model is configured.",
  },
  no_mappings: {
    exit: 2,
    meaning: "A factor asked for validation has no mapping to a human label in the datasets given.",
  },
  invalid_validation_mapping: {
    exit: 2,
    meaning: "A validation mapping is repeated or names a factor without a value per response.",
  },
  missing_task_prompt: { exit: 2, meaning: "The task has no prompt for the setting asked for." },
  template_missing_variable: { exit: 2, meaning: "A prompt template uses a placeholder with no value." },
  template_unknown_variable: {
    exit: 2,
    meaning: "A value was given for a placeholder the template does not use.",
  },
  invalid_plugin: { exit: 2, meaning: "A module in plugins exports nothing profilekit can register." },
  plugin_not_found: { exit: 2, meaning: "A module in plugins cannot be found." },
  plugin_load_failed: { exit: 2, meaning: "A module in plugins threw while it was imported." },
  plugin_contract: { exit: 1, meaning: "A factor plugin returned manifestations that break its contract." },
  not_a_worker: { exit: 1, meaning: "The analysis worker script was started outside a worker thread." },
  // Configs and run folders
  config_not_found: { exit: 2, meaning: "No profilekit.config.* in the folder, and none was given." },
  config_unsupported: { exit: 2, meaning: "The config file is not .ts, .mts, .mjs, .js or .json." },
  config_load_failed: { exit: 2, meaning: "The config module threw, or imports what is not installed." },
  invalid_config: { exit: 2, meaning: "The config does not validate; the message names each field." },
  file_exists: { exit: 2, meaning: "A file would be overwritten without --force." },
  invalid_output_folder: {
    exit: 2,
    meaning: "The output folder cannot be created or written; nothing was run.",
  },
  invalid_profile: { exit: 2, meaning: "A profile.json does not validate." },
  invalid_run_file: { exit: 2, meaning: "A file of a run folder does not validate against its schema." },
  invalid_run_folder: {
    exit: 2,
    meaning: "A folder given to the report is not a run folder profilekit wrote.",
  },
  unknown_schema_version: {
    exit: 2,
    meaning: "A run folder was written in a format version this release cannot read.",
  },
  unknown_pair: { exit: 2, meaning: "A run file names a pair that labels.jsonl does not list." },
  duplicate_manifestation: { exit: 2, meaning: "A run file measures one factor on one pair twice." },
  variant_mismatch: { exit: 2, meaning: "Profiles compared were scored with different Kendall variants." },
  // Improvement (refine, `profilekit improve`)
  missing_group_counts: {
    exit: 2,
    meaning: "A profile has no groups.json beside it, and a paired comparison needs its counts per cluster.",
  },
  invalid_split: { exit: 2, meaning: "Too few inputs to split into training and held-out inputs." },
  improvement_mismatch: {
    exit: 2,
    meaning:
      "A tuned model's check would not be measured like its baseline (levels, seed, factors, extractor, inputs).",
  },
  // Statistics (library calls with bad arguments)
  invalid_options: { exit: 2, meaning: "Options of a statistic are out of range." },
  invalid_columns: { exit: 2, meaning: "Columns of a batch have different lengths." },
  invalid_label: { exit: 2, meaning: "A label given to a statistic is not a, b or tie." },
  invalid_sign: { exit: 2, meaning: "A sign given to a statistic is not -1, 0, 1 or null." },
  invalid_signs: { exit: 2, meaning: "Signs given to a statistic do not match its factors." },
  invalid_interval: { exit: 2, meaning: "An interval is malformed (low above high, or not finite)." },
  label_count_mismatch: { exit: 2, meaning: "Two label lists compared have different lengths." },
  vector_length_mismatch: { exit: 2, meaning: "Two vectors correlated have different lengths." },
  non_finite_value: { exit: 2, meaning: "A statistic was given NaN or an infinite value." },
  missing_length_factor: { exit: 2, meaning: "The length-controlled score needs a length factor." },
  invalid_group_counts: {
    exit: 2,
    meaning: "A group-counts sidecar does not fit together (keys, factors and counts).",
  },
  invalid_cluster_level: {
    exit: 2,
    meaning: "A cluster level is not source, prompt, source+prompt, pair, group or meta.<key>.",
  },
  missing_cluster_field: { exit: 2, meaning: "A pair lacks the field its cluster level groups by." },
  regression_not_converged: { exit: 1, meaning: "The joint regression did not converge." },
  // Models
  unknown_provider: { exit: 2, meaning: "A model id names a provider that is not registered." },
  invalid_model_id: { exit: 2, meaning: "A model id is not provider:model." },
  invalid_provider_plugin: {
    exit: 2,
    meaning: "A model provider plugin does not have the provider's shape.",
  },
  duplicate_provider: { exit: 2, meaning: "Two model providers have the same id." },
  provider_failed: { exit: 2, meaning: "A model provider threw while it made the model asked for." },
  invalid_provider_model: {
    exit: 2,
    meaning: "A model provider returned something that is not a language model.",
  },
  missing_base_url: { exit: 2, meaning: "An OpenAI-compatible model needs its server's base URL." },
  invalid_base_url: { exit: 2, meaning: "A base URL is not an http(s) URL." },
  missing_api_key: { exit: 2, meaning: "No API key is set for a provider that needs one." },
  unsupported_structured_output: {
    exit: 2,
    meaning: "The provider cannot do the structured-output mode asked for.",
  },
  invalid_schema: { exit: 2, meaning: "An answer schema has no JSON Schema form the providers accept." },
  conflicting_options: { exit: 2, meaning: "Two options of a model client contradict each other." },
  unknown_price: { exit: 2, meaning: "A budget was set for a model that has no price." },
  invalid_prices: { exit: 2, meaning: "A price table is malformed." },
  model_auth_failed: { exit: 2, meaning: "The provider refused the API key (401 or 403)." },
  model_not_found: { exit: 2, meaning: "The provider does not know the model or the path (404)." },
  model_call_failed: { exit: 1, meaning: "Model calls failed after their retries." },
  too_many_failures: {
    exit: 1,
    meaning: "More model calls failed than --max-failures allows; the message names the causes.",
  },
  interrupted: {
    exit: 130,
    meaning: "The run was interrupted (Ctrl-C); what was answered is cached, and running again resumes.",
  },
  budget_exceeded: { exit: 3, meaning: "The run reached its --max-cost budget; finished calls are cached." },
  cache_error: { exit: 2, meaning: "The model-response cache cannot be opened, read or written." },
  cache_corrupt: {
    exit: 2,
    meaning: "The model-response cache file is damaged or not a cache; `profilekit cache repair` mends it.",
  },
  client_closed: { exit: 1, meaning: "A model client was used after it was closed." },
  // Batches
  batch_pending: {
    exit: 0,
    meaning:
      "The calls went to a provider batch (--batch submit) or a batch file (--batch export); collect it, then run the command again.",
  },
  batch_unsupported: {
    exit: 2,
    meaning: "The model's provider has no batch API (or no wire format to batch).",
  },
  batch_needs_cache: { exit: 2, meaning: "Batch mode was asked with the response cache turned off." },
  batch_canary_failed: {
    exit: 1,
    meaning: "The one synchronous call made before submitting failed; nothing was submitted.",
  },
  batch_too_large: { exit: 2, meaning: "One request is larger than a provider batch may hold." },
  unknown_batch: { exit: 2, meaning: "A batch id is not in the cache's batch journal." },
  invalid_batch_file: { exit: 2, meaning: "A batch output file has a line that is not a batch result." },
} as const satisfies Record<string, { readonly exit: 0 | 1 | 2 | 3 | 130; readonly meaning: string }>;

/** A code profilekit raises. */
export type ErrorCode = keyof typeof errorCatalog;

/** Whether a string is one of profilekit's error codes. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalog, code);
}
