import { isProfilekitError } from "./errors.js";
import type {
  FactorInput,
  FactorLevel,
  FactorOutput,
  FactorPlugin,
  FactorPrompt,
  ModelFactorExtractor,
} from "./factor.js";
import { FactorMetadataSchema } from "./factor.js";
import { type Manifestation, ManifestationSchema, type Sign } from "./manifestation.js";
import type { Label, Pair } from "./pair.js";
import type { PromptTemplate, TaskAdapter } from "./task.js";
import { TaskAdapterSchema, judgeChoices } from "./task.js";
import { renderPromptTemplate } from "./template.js";
import { specificationVersion } from "./version.js";

// Conformance checks for factor and task packages. Each returns human-readable
// problems, empty when the package conforms, so any test framework can assert on it:
//   expect(await modelFactorProblems(plugin, expected)).toEqual([]);

/** What a model-extracted factor must be (DESIGN.md section 2). Omitted lists mean "none". */
export interface ModelFactorExpectation {
  readonly id: string;
  readonly level: FactorLevel;
  readonly output: FactorOutput;
  readonly requires?: readonly FactorInput[];
  /** The inputs the prompt declares it reads (besides the responses), in any order. */
  readonly inputs?: readonly FactorInput[];
  /** The default task sets that list the factor, in any order. */
  readonly tasks?: readonly string[];
  /** The prompt the package exports, which the plugin must carry unchanged. */
  readonly prompt?: FactorPrompt;
}

/** What a rule-based factor must be, and the pairs to hold it to. */
export interface RuleFactorExpectation {
  readonly id: string;
  readonly level: FactorLevel;
  readonly requires?: readonly FactorInput[];
  /** Pairs with distinct ids, some of which differ on the factor (a sign other than 0 and null). */
  readonly pairs: readonly Pair[];
  /** Options as a user writes them, parsed by the plugin's schema (`{}` when absent). */
  readonly options?: unknown;
}

/** What a task adapter must be. Every list is compared exactly, order included. */
export interface TaskAdapterExpectation {
  readonly id: string;
  /** PROFILE's factor set for the task, in DESIGN's order. */
  readonly factors: readonly string[];
  readonly classicalFactors: readonly string[];
  readonly presets: readonly string[];
  /** The prompts the package exports, which the adapter must carry unchanged. */
  readonly prompts: Readonly<Record<"judge" | "generation" | "guidance", PromptTemplate>>;
  /** Values for every placeholder of each prompt (the judge's {{choices}} is added here, with and without ties). */
  readonly variables: Readonly<Record<"judge" | "generation" | "guidance", Record<string, string | number>>>;
  /** Words the judge prompt must not contain: it names no quality factor, so the judge's own priorities show. */
  readonly judgeAvoids: RegExp;
}

/** Deep equality of plain data (JSON values), key order ignored. */
function sameData(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  );
}
const sortedSame = (a: readonly string[], b: readonly string[]) => sameData([...a].sort(), [...b].sort());
const show = (value: unknown) => JSON.stringify(value);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The error a call throws or its promise rejects with; undefined when it succeeds. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isProfilekitError(error) ? error.code : String(error);
  }
  return undefined;
}

/**
 * Checks a model-extracted factor plugin: valid `llm` metadata, a prompt versioned
 * `<id>@<n>`, level/output/requires/inputs/tasks as expected, a prompt that names the
 * inputs it declares (and no other) the way the runner presents them, `model_required`
 * without a model extractor, and extraction handed to the extractor with the
 * manifestations returned in pair order.
 */
export async function modelFactorProblems(
  plugin: FactorPlugin,
  expected: ModelFactorExpectation,
): Promise<string[]> {
  const problems: string[] = [];
  const parsed = FactorMetadataSchema.safeParse(plugin);
  if (!parsed.success) problems.push(`metadata does not validate: ${parsed.error.message}`);
  if (plugin.id !== expected.id) problems.push(`id is ${show(plugin.id)}, expected ${show(expected.id)}`);
  if (plugin.method !== "llm") problems.push(`method is ${show(plugin.method)}, expected "llm"`);
  if (plugin.specificationVersion !== specificationVersion) {
    problems.push(
      `specificationVersion is ${show(plugin.specificationVersion)}, expected ${specificationVersion}`,
    );
  }
  const prompt = plugin.prompt;
  if (!prompt) return [...problems, "has no prompt"];
  if (parsed.success && !sameData(parsed.data.prompt, prompt)) problems.push("parsing changes the prompt");
  if (expected.prompt && !sameData(prompt, expected.prompt)) {
    problems.push("carries a prompt other than the one the package exports");
  }
  if (!new RegExp(`^${escapeRegExp(plugin.id)}@[1-9][0-9]*$`).test(prompt.version)) {
    problems.push(`prompt version ${show(prompt.version)} is not ${plugin.id}@<n>`);
  }
  if (plugin.level !== expected.level)
    problems.push(`level is ${show(plugin.level)}, expected ${show(expected.level)}`);
  if (prompt.output !== expected.output) {
    problems.push(`prompt output is ${show(prompt.output)}, expected ${show(expected.output)}`);
  }
  if ((prompt.output === "comparison") !== (plugin.level === "pair")) {
    problems.push(`output ${show(prompt.output)} does not suit level ${show(plugin.level)}`);
  }
  const requires = expected.requires ?? [];
  if (!sortedSame(plugin.requires ?? [], requires)) {
    problems.push(`requires ${show(plugin.requires ?? [])}, expected ${show(requires)}`);
  }
  const inputs = expected.inputs ?? [];
  if (!sortedSame(prompt.inputs ?? [], inputs)) {
    problems.push(`the prompt reads ${show(prompt.inputs ?? [])}, expected ${show(inputs)}`);
  }
  if (!sortedSame(plugin.tasks ?? [], expected.tasks ?? [])) {
    problems.push(`tasks are ${show(plugin.tasks ?? [])}, expected ${show(expected.tasks ?? [])}`);
  }
  problems.push(...inputNamingProblems(promptText(prompt), plugin.level, prompt.inputs ?? []));
  problems.push(...(await extractionProblems(plugin, expected.tasks?.[0] ?? "summarization")));
  return problems;
}

/** Every text of a prompt that reaches the model, in one string. */
function promptText(prompt: FactorPrompt): string {
  return [prompt.instructions, prompt.checklist ?? ""].join("\n");
}

/**
 * The runner shows one response as "the response", a pair as "response A" and "response B",
 * and exactly the inputs the prompt declares: the prompt names each of them and no other.
 */
function inputNamingProblems(text: string, level: FactorLevel, inputs: readonly FactorInput[]): string[] {
  const problems: string[] = [];
  if (level === "response") {
    if (!text.includes("the response")) problems.push('a response-level prompt never says "the response"');
    if (/response [AB]\b/.test(text)) problems.push('a response-level prompt names "response A" or "B"');
  } else if (/\bthe response\b/.test(text)) {
    problems.push('a pair-level prompt says "the response" (the runner shows response A and response B)');
  }
  const names = { source: "source document", prompt: "prompt" } as const;
  for (const input of ["source", "prompt"] as const) {
    const named = input === "source" ? text.includes(names.source) : /\bprompt\b/.test(text);
    if (inputs.includes(input) && !named) {
      problems.push(`reads the ${input}, and the prompt never says "${names[input]}"`);
    }
    if (!inputs.includes(input) && named) {
      problems.push(`says "${names[input]}", and does not declare the ${input} among its inputs`);
    }
  }
  return problems;
}

async function extractionProblems(plugin: FactorPlugin, task: string): Promise<string[]> {
  const problems: string[] = [];
  const base = { task, source: "The bridge opened in 1932.", prompt: "When did it open?" };
  const pairs: Pair[] = [
    { id: "p1", ...base, a: "In 1932.", b: "1931.", label: "a" },
    { id: "p2", ...base, a: "It opened.", b: "In 1932.", label: "b" },
  ];

  const error = await failure(() => plugin.extract(pairs, { options: {}, seed: 1 }));
  if (!isProfilekitError(error) || error.code !== "model_required") {
    problems.push(`without a model extractor, extract gave ${String(error)}, not a model_required error`);
  } else if (!/--extractor openai:gpt-4o-mini/.test(error.hint ?? "")) {
    problems.push(
      `the model_required hint does not say how to enable a model (--extractor): ${show(error.hint)}`,
    );
  }

  const found: Manifestation[] = [
    { pairId: "p2", factor: plugin.id, valueA: 0, valueB: 2, sign: -1 },
    { pairId: "p1", factor: plugin.id, valueA: 3, valueB: 1, sign: 1 },
  ];
  const seen: { factors: string[]; pairs: readonly Pair[] }[] = [];
  const modelExtractor: ModelFactorExtractor = {
    async extract(factors, given) {
      seen.push({ factors: factors.map((factor) => factor.id), pairs: given });
      return new Map([[plugin.id, found]]);
    },
  };
  let out: Manifestation[] = [];
  const thrown = await failure(async () => {
    out = await plugin.extract(pairs, { options: {}, seed: 1, modelExtractor });
  });
  if (thrown !== undefined) return [...problems, `with a model extractor, extract threw ${String(thrown)}`];
  if (seen.length !== 1 || !sameData(seen[0]?.factors, [plugin.id]) || !sameData(seen[0]?.pairs, pairs)) {
    problems.push(
      `the model extractor was not called once with [${show(plugin.id)}] and the pairs: ${show(seen)}`,
    );
  }
  if (!sameData(out, [found[1], found[0]])) {
    problems.push(`extract did not return the extractor's manifestations in pair order: ${show(out)}`);
  }
  return problems;
}

/**
 * Checks a rule-based factor plugin against the rules of docs/writing-a-factor.md: valid `rule`
 * metadata as expected; one valid manifestation per pair, in pair order, naming the pair and the
 * factor, with an `error` when the sign is null; the same manifestations again (deterministic), one
 * pair at a time and in reverse order (no state between batches or pairs); the sign negated, and
 * a response factor's values swapped, when a and b are swapped; and a sign other than 0 on some
 * pair (pairs that never differ test nothing).
 */
export async function ruleFactorProblems(
  plugin: FactorPlugin,
  expected: RuleFactorExpectation,
): Promise<string[]> {
  const problems: string[] = [];
  const parsed = FactorMetadataSchema.safeParse(plugin);
  if (!parsed.success) problems.push(`metadata does not validate: ${parsed.error.message}`);
  if (plugin.id !== expected.id) problems.push(`id is ${show(plugin.id)}, expected ${show(expected.id)}`);
  if (plugin.method !== "rule") problems.push(`method is ${show(plugin.method)}, expected "rule"`);
  if (plugin.level !== expected.level) {
    problems.push(`level is ${show(plugin.level)}, expected ${show(expected.level)}`);
  }
  if (plugin.specificationVersion !== specificationVersion) {
    problems.push(
      `specificationVersion is ${show(plugin.specificationVersion)}, expected ${specificationVersion}`,
    );
  }
  if (!sortedSame(plugin.requires ?? [], expected.requires ?? [])) {
    problems.push(`requires ${show(plugin.requires ?? [])}, expected ${show(expected.requires ?? [])}`);
  }
  const ids = expected.pairs.map((pair) => pair.id);
  if (ids.length < 2 || new Set(ids).size !== ids.length) {
    return [...problems, "the expectation needs at least two pairs with distinct ids"];
  }
  const options = plugin.options
    ? plugin.options.safeParse(expected.options ?? {})
    : { success: true, data: {} };
  if (!options.success) return [...problems, `the options do not parse: ${show(expected.options ?? {})}`];

  const measure = async (pairs: readonly Pair[], what: string): Promise<Manifestation[] | undefined> => {
    let out: Manifestation[] = [];
    const thrown = await failure(async () => {
      out = await plugin.extract(pairs, { options: options.data, seed: 1 });
    });
    if (thrown !== undefined) {
      problems.push(`extract threw on ${what}: ${String(thrown)}`);
      return undefined;
    }
    if (!Array.isArray(out) || out.length !== pairs.length) {
      problems.push(
        `extract gave ${Array.isArray(out) ? out.length : show(out)} manifestations for ${pairs.length} pairs (${what})`,
      );
      return undefined;
    }
    return out;
  };

  const first = await measure(expected.pairs, "the pairs");
  if (first === undefined) return problems;
  first.forEach((m, i) => {
    const pair = expected.pairs[i]!;
    const valid = ManifestationSchema.safeParse(m);
    if (!valid.success) problems.push(`pair ${pair.id}: not a valid manifestation: ${valid.error.message}`);
    if (m.pairId !== pair.id)
      problems.push(
        `manifestation ${i} names pair ${show(m.pairId)}, expected ${show(pair.id)} (pair order)`,
      );
    if (m.factor !== plugin.id)
      problems.push(`pair ${pair.id}: names factor ${show(m.factor)}, not ${show(plugin.id)}`);
    if (m.sign === null && !m.error)
      problems.push(`pair ${pair.id}: a null sign without an error saying why`);
  });
  if (!first.some((m) => m.sign === 1 || m.sign === -1)) {
    problems.push("no pair gave a sign of +1 or -1: give pairs that differ on the factor");
  }

  const again = await measure(expected.pairs, "the pairs, a second time");
  if (again && !sameData(again, first))
    problems.push("the same pairs gave other manifestations the second time");
  const oneByOne: Manifestation[] = [];
  for (const pair of expected.pairs)
    oneByOne.push(...((await measure([pair], `pair ${pair.id} alone`)) ?? []));
  if (oneByOne.length === first.length && !sameData(oneByOne, first)) {
    problems.push("measured one pair at a time, the pairs gave other manifestations");
  }
  const reversed = await measure([...expected.pairs].reverse(), "the pairs in reverse order");
  if (reversed && !sameData([...reversed].reverse(), first)) {
    problems.push("in reverse order, the pairs gave other manifestations");
  }

  const flip: Record<Label, Label> = { a: "b", b: "a", tie: "tie" };
  const swapped = await measure(
    expected.pairs.map((pair) => ({ ...pair, a: pair.b, b: pair.a, label: flip[pair.label] })),
    "the pairs with a and b swapped",
  );
  swapped?.forEach((m, i) => {
    const before = first[i]!;
    const negated: Sign =
      before.sign === null || before.sign === 0 ? before.sign : before.sign === 1 ? -1 : 1;
    if (m.sign !== negated) {
      problems.push(
        `pair ${before.pairId}: sign ${show(before.sign)}, but ${show(m.sign)} with a and b swapped (expected ${show(negated)})`,
      );
    }
    if (plugin.level === "response" && (m.valueA !== before.valueB || m.valueB !== before.valueA)) {
      problems.push(`pair ${before.pairId}: with a and b swapped, the values are not swapped`);
    }
  });
  return problems;
}

/**
 * Checks a task adapter: parsing leaves it unchanged, its factor set, classical
 * factors (never PROFILE factors) and presets are as expected, each
 * prompt is versioned `<task>-<setting>@<n>`, the judge prompt names no quality
 * factor and offers "tie" only when ties are allowed, and every prompt renders with
 * the given variables and fails on a missing or an unknown one.
 */
export function taskAdapterProblems(adapter: TaskAdapter, expected: TaskAdapterExpectation): string[] {
  const problems: string[] = [];
  const parsed = TaskAdapterSchema.safeParse(adapter);
  if (!parsed.success) problems.push(`adapter does not validate: ${parsed.error.message}`);
  else if (!sameData(parsed.data, adapter)) problems.push("parsing changes the adapter");
  if (adapter.id !== expected.id) problems.push(`id is ${show(adapter.id)}, expected ${show(expected.id)}`);
  if (!sameData(adapter.factors, expected.factors)) {
    problems.push(`factors are ${show(adapter.factors)}, expected ${show(expected.factors)}`);
  }
  if (!sameData(adapter.classicalFactors, expected.classicalFactors)) {
    problems.push(
      `classicalFactors are ${show(adapter.classicalFactors)}, expected ${show(expected.classicalFactors)}`,
    );
  }
  // Whether a classical factor needs a model follows from the factor's own declaration: the
  // runner refuses a task whose classical factor is model-extracted when it resolves the task.
  for (const id of adapter.classicalFactors ?? []) {
    if (adapter.factors.includes(id)) problems.push(`classical factor "${id}" is also a PROFILE factor`);
  }
  if (!sameData(adapter.presets, expected.presets)) {
    problems.push(`presets are ${show(adapter.presets)}, expected ${show(expected.presets)}`);
  }
  if (!sameData(adapter.prompts, expected.prompts)) {
    problems.push("carries prompts other than the ones the package exports");
  }
  for (const [setting, prompt] of Object.entries(adapter.prompts)) {
    const id = `${adapter.id}-${setting}`;
    if (prompt?.id !== id)
      problems.push(`the ${setting} prompt's id is ${show(prompt?.id)}, expected "${id}"`);
    if (!new RegExp(`^${escapeRegExp(id)}@[1-9][0-9]*$`).test(prompt?.version ?? "")) {
      problems.push(`the ${setting} prompt's version ${show(prompt?.version)} is not ${id}@<n>`);
    }
  }

  const { judge, generation, guidance } = expected.prompts;
  if (expected.judgeAvoids.test(`${judge.system ?? ""}\n${judge.user}`)) {
    problems.push(`the judge prompt names a quality factor (matches ${expected.judgeAvoids})`);
  }
  const strict = renderProblems(
    judge,
    { ...expected.variables.judge, choices: judgeChoices(false) },
    problems,
  );
  const withTies = renderProblems(
    judge,
    { ...expected.variables.judge, choices: judgeChoices(true) },
    problems,
  );
  if (strict?.includes('"tie"')) problems.push('the judge prompt offers "tie" when ties are not allowed');
  if (withTies !== undefined && !withTies.includes('"tie"')) {
    problems.push('the judge prompt does not offer "tie" when ties are allowed');
  }
  renderProblems(generation, expected.variables.generation, problems);
  renderProblems(guidance, expected.variables.guidance, problems);
  return problems;
}

/**
 * Renders with every value and checks each lands in the text with no placeholder
 * left; then that dropping any value, or adding an unknown one, fails. Pushes what
 * is wrong to `problems` and returns the rendered text (undefined if it did not render).
 */
function renderProblems(
  prompt: PromptTemplate,
  vars: Record<string, string | number>,
  problems: string[],
): string | undefined {
  let text: string;
  try {
    const { system, user } = renderPromptTemplate(prompt, vars);
    text = `${system ?? ""}\n${user}`;
  } catch (error) {
    problems.push(`${prompt.version} does not render with ${Object.keys(vars).join(", ")}: ${String(error)}`);
    return undefined;
  }
  for (const [name, value] of Object.entries(vars)) {
    if (!text.includes(String(value)))
      problems.push(`${prompt.version} renders without the value of {{${name}}}`);
  }
  if (text.includes("{{")) problems.push(`${prompt.version} renders with "{{" left in it`);
  for (const name of Object.keys(vars)) {
    const { [name]: _dropped, ...rest } = vars;
    const code = errorCode(() => renderPromptTemplate(prompt, rest));
    if (code !== "template_missing_variable") {
      problems.push(
        `${prompt.version} without {{${name}}} gave ${show(code)}, not template_missing_variable`,
      );
    }
  }
  const code = errorCode(() => renderPromptTemplate(prompt, { ...vars, extra: "x" }));
  if (code !== "template_unknown_variable") {
    problems.push(
      `${prompt.version} with an unknown variable gave ${show(code)}, not template_unknown_variable`,
    );
  }
  return text;
}
