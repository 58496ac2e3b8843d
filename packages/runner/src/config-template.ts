import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultPermutations, type PluginRegistry } from "@profilekit/core";
import { ProfilekitError, type TaskAdapter } from "@profilekit/spec";
import { createBuiltinRegistry } from "./builtins.js";
import { taskFactorIds } from "./factor-selection.js";

/** The bundled subset (in the repository's data/ folder) that suits each built-in task. */
const bundledData: Record<string, string> = {
  summarization: "summeval-subset.jsonl.gz",
  "document-qa": "qa-feedback-dev-subset.jsonl.gz",
  "instruction-following": "hh-rlhf-harmless-subset.jsonl.gz",
};

/**
 * The bundled data file for a task, when profilekit runs from a checkout of its repository
 * (data/ is not part of the npm package); undefined otherwise.
 */
export function bundledDataFor(task: string): string | undefined {
  const name = bundledData[task];
  if (name === undefined) return undefined;
  const path = fileURLToPath(new URL(`../../../data/${name}`, import.meta.url));
  return existsSync(path) ? path : undefined;
}

const quote = (text: string) => JSON.stringify(text);
const list = (ids: readonly string[]) => ids.join(", ");

/**
 * The starter profilekit.config.ts of `profilekit init`: every field, commented. It is a plain
 * object, so it loads wherever it is written; its only tie to profilekit is a type import and a
 * `satisfies`, which Node erases when it loads the file and editors use when profilekit is
 * installed.
 */
export function starterConfig(
  registry: PluginRegistry,
  task: TaskAdapter,
  data: { path: string; note: string },
): string {
  const ruleFactors = taskFactorIds(registry, task, false);
  const modelFactors = task.factors.filter((id) => !ruleFactors.includes(id));
  const tasks = registry.tasks().map((t) => t.id);
  return `// profilekit.config.ts: what \`profilekit run\` does. Every field: docs/configuration.md
// Relative paths are taken from this file's folder. Run it with \`npx profilekit run\`.
// A plain object: it loads wherever it is. The type import and \`satisfies\` are erased when
// it loads; with profilekit installed in the project, they let an editor check every field.
import type { ConfigInput } from "profilekit";

export default {
  // The task: its factor set and its prompts. One of ${list(tasks)}
  // (or a task a plugin adds).
  task: ${quote(task.id)},

  // The labelled pairs.${data.note ? ` ${data.note}` : ""}
  // Canonical JSON Lines, one pair a line (docs/data-format.md):
  //   {"id": "1", "source": "...", "prompt": "...", "a": "...", "b": "...", "label": "a"}
  // label is "a", "b" or "tie". Other shapes: give a preset (\`profilekit presets\`), or a
  // column mapping and how the labels are spelled.
  data: {
    path: ${quote(data.path)},
    // preset: "canonical",
    // mapping: { prompt: "instruction", a: "response1", b: "response2", label: "winner" },
    // labels: { a: ["1"], b: ["2"], tie: ["0"] },
    // onInvalid: "skip", // skip bad records (and report them) instead of stopping
  },

  // The factors (\`profilekit factors\` lists every one). Left out, they are the task's
  // factors that need no model: ${list(ruleFactors)}${modelFactors.length > 0 ? `;\n  // with models.extractor, also ${list(modelFactors)}` : ""}.
  // factors: [${ruleFactors.map(quote).join(", ")}],
  // factorOptions: { length: { unit: "chars" } },

  // More factors or tasks: package names, or paths from this file. Each module's default
  // export is a factor plugin, a task adapter, or an array of them (docs/writing-a-factor.md).
  // plugins: ["./factors/hedging.ts", "@acme/profilekit-factor-hedging"],

  // Models, as "provider:model": openai (OPENAI_API_KEY), anthropic (ANTHROPIC_API_KEY), or
  // any OpenAI-compatible server through baseURL.
  // models: {
  //   judge: "openai:gpt-4o-mini",     // the evaluation setting
  //   generator: "openai:gpt-4o-mini", // the generation setting
  //   extractor: { id: "openai:gpt-4o-mini", concurrency: 8, rpm: 500 }, // model-extracted factors
  //   defaults: { maxRetries: 4, timeout: 60000 }, // for every model: baseURL, concurrency, rpm, tpm, maxRetries, timeout, maxCost
  // },

  // What to run. Each setting writes its folder of the run folder; alignment needs the
  // human setting and a model one.
  settings: {
    human: true, // profile the data's own labels
    // evaluation: { allowTies: false }, // the judge labels every pair (needs models.judge)
    // generation: { levels: 5, selfCheck: false, delta: 1, limit: 50 }, // the generator writes K responses per input (needs models.generator)
  },

  // tau variant, bootstrap resamples (CI), sign-flip permutations (p), seed of every random choice.
  scoring: { variant: "tau14", bootstrap: 1000, permutations: ${defaultPermutations}, seed: 1 },

  // The run folder; running again skips the settings already finished there.
  out: ${quote(`runs/${task.id}`)},
  // cache: ".profilekit/cache.db", // model responses; false for none
} satisfies ConfigInput;
`;
}

/** A path as written in a config: relative to the config's folder, starting with ./ or ../. */
function fromConfigFolder(configDir: string, path: string): string {
  const relativePath = relative(configDir, path).split(sep).join("/");
  return relativePath.startsWith("../") || relativePath.startsWith("/") ? relativePath : `./${relativePath}`;
}

/** What `writeStarterConfig` writes. */
export interface StarterConfigOptions {
  /** Where to write it, e.g. "profilekit.config.ts". */
  readonly file: string;
  /** The task of the config (default: summarization). */
  readonly task?: string;
  /** The pairs file (default: the task's bundled sample in a checkout, else ./pairs.jsonl). */
  readonly data?: string;
  /** Overwrite an existing file (otherwise it is kept and `file_exists` thrown). */
  readonly force?: boolean;
  /** Where the task and its factors are looked up (default: the built-ins). */
  readonly registry?: PluginRegistry;
}

/** Writes the starter config of `profilekit init`; returns its task and its data path as written. */
export async function writeStarterConfig(
  options: StarterConfigOptions,
): Promise<{ readonly task: string; readonly dataPath: string }> {
  const registry = options.registry ?? createBuiltinRegistry();
  const task = registry.task(options.task ?? "summarization");
  const dir = dirname(resolve(options.file));
  const bundled = bundledDataFor(task.id);
  const data =
    options.data !== undefined
      ? { path: fromConfigFolder(dir, resolve(options.data)), note: "" }
      : bundled !== undefined
        ? {
            path: fromConfigFolder(dir, bundled),
            note: "This is profilekit's bundled sample of the task (data/README.md).",
          }
        : { path: "./pairs.jsonl", note: "Put your file here, or change the path." };
  try {
    await writeFile(options.file, starterConfig(registry, task, data), { flag: options.force ? "w" : "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    throw new ProfilekitError("file_exists", `${options.file} already exists`, {
      location: { file: options.file },
      hint: "keep it, write elsewhere, or overwrite it (--force)",
    });
  }
  return { task: task.id, dataPath: data.path };
}
