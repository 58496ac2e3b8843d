import { describe, expect, it } from "vitest";
import {
  type ModelFactorExpectation,
  modelFactorProblems,
  ruleFactorProblems,
  taskAdapterProblems,
} from "./conformance.js";
import { ProfilekitError } from "./errors.js";
import { definePairFactor, defineResponseFactor, type FactorPlugin, type FactorPrompt } from "./factor.js";
import type { Manifestation } from "./manifestation.js";
import { defineModelFactor } from "./model-factor.js";
import type { PromptTemplate, TaskAdapter } from "./task.js";

const prompt: FactorPrompt = {
  version: "unsupported@2",
  output: "count",
  inputs: ["source"],
  instructions: "List each fact in the response that the source document does not support, then count them.",
};
const factor = defineModelFactor({
  id: "unsupported",
  title: "Unsupported facts",
  definition: "More facts the source does not support.",
  level: "response",
  requires: ["source"],
  tasks: ["summarization", "document-qa"],
  prompt,
});
const expected: ModelFactorExpectation = {
  id: "unsupported",
  level: "response",
  output: "count",
  requires: ["source"],
  inputs: ["source"],
  tasks: ["document-qa", "summarization"],
  prompt,
};

/** The problems of `factor` with some fields replaced, each expected to be reported. */
const problemsWith = (changes: Partial<FactorPlugin>, expectation = expected) =>
  modelFactorProblems({ ...factor, ...changes }, expectation);

describe("modelFactorProblems", () => {
  it("finds none in a factor made by defineModelFactor as expected", async () => {
    expect(await modelFactorProblems(factor, expected)).toEqual([]);
  });

  it("reports metadata that does not validate, another id, method or prompt", async () => {
    expect(await problemsWith({ title: "" })).toEqual([expect.stringMatching(/^metadata does not validate/)]);
    expect(await modelFactorProblems(factor, { ...expected, id: "other" })).toEqual([
      'id is "unsupported", expected "other"',
    ]);
    expect(await problemsWith({ method: "rule" })).toEqual(['method is "rule", expected "llm"']);
    expect(
      await modelFactorProblems(factor, {
        ...expected,
        prompt: { ...prompt, instructions: "Count the response." },
      }),
    ).toEqual(["carries a prompt other than the one the package exports"]);
    expect(await problemsWith({ prompt: undefined })).toEqual(["has no prompt"]);
  });

  it("reports a prompt version not of the form <id>@<n>", async () => {
    for (const version of ["unsupported@0", "unsupported", "other@1", "unsupported@1x"]) {
      expect(
        await problemsWith({ prompt: { ...prompt, version } }, { ...expected, prompt: undefined }),
      ).toEqual([`prompt version "${version}" is not unsupported@<n>`]);
    }
  });

  it("reports a level, output, requires or tasks other than expected, and a level that does not suit the output", async () => {
    expect(await modelFactorProblems(factor, { ...expected, output: "rating" })).toEqual([
      'prompt output is "count", expected "rating"',
    ]);
    expect(await modelFactorProblems(factor, { ...expected, requires: [] })).toEqual([
      'requires ["source"], expected []',
    ]);
    expect(await modelFactorProblems(factor, { ...expected, inputs: ["source", "prompt"] })).toEqual([
      'the prompt reads ["source"], expected ["source","prompt"]',
    ]);
    expect(await modelFactorProblems(factor, { ...expected, tasks: ["summarization"] })).toEqual([
      'tasks are ["summarization","document-qa"], expected ["summarization"]',
    ]);
    expect(await problemsWith({ level: "pair" })).toEqual(
      expect.arrayContaining([
        'level is "pair", expected "response"',
        'output "count" does not suit level "pair"',
      ]),
    );
  });

  it("reports a prompt that names its inputs other than the way the runner presents them", async () => {
    const unnamed = { ...prompt, instructions: "Count the facts of response A the source does not support." };
    expect(await problemsWith({ prompt: unnamed }, { ...expected, prompt: undefined })).toEqual([
      'a response-level prompt never says "the response"',
      'a response-level prompt names "response A" or "B"',
      'reads the source, and the prompt never says "source document"',
    ]);
    const pairFactor = defineModelFactor({
      id: "kinder",
      title: "Kinder",
      definition: "Kinder.",
      level: "pair",
      requires: ["prompt"],
      prompt: {
        version: "kinder@1",
        output: "comparison",
        inputs: ["prompt"],
        instructions: "Is the response kind to the source document?",
      },
    });
    expect(
      await modelFactorProblems(pairFactor, {
        id: "kinder",
        level: "pair",
        output: "comparison",
        requires: ["prompt"],
        inputs: ["prompt"],
      }),
    ).toEqual([
      'a pair-level prompt says "the response" (the runner shows response A and response B)',
      'says "source document", and does not declare the source among its inputs',
      'reads the prompt, and the prompt never says "prompt"',
    ]);
  });

  it("reports an extract that runs without a model, or throws without saying how to enable one", async () => {
    const quiet = async () => [];
    expect(await problemsWith({ extract: quiet })).toContain(
      "without a model extractor, extract gave undefined, not a model_required error",
    );
    const vague = async () => {
      throw new ProfilekitError("model_required", "no model", { hint: "configure a model" });
    };
    expect(await problemsWith({ extract: vague })).toContain(
      'the model_required hint does not say how to enable a model (--extractor): "configure a model"',
    );
  });

  it("reports an extract that skips the extractor, reorders its answers or drops pairs", async () => {
    const demand = (context: { modelExtractor?: unknown }) => {
      if (!context.modelExtractor)
        throw new ProfilekitError("model_required", "no", { hint: "--extractor openai:gpt-4o-mini" });
    };
    const invented: FactorPlugin["extract"] = async (pairs, context) => {
      demand(context);
      return pairs.map((pair): Manifestation => ({ pairId: pair.id, factor: "unsupported", sign: 0 }));
    };
    expect(await problemsWith({ extract: invented })).toEqual([
      'the model extractor was not called once with ["unsupported"] and the pairs: []',
      expect.stringMatching(/^extract did not return the extractor's manifestations in pair order/),
    ]);
    const unordered: FactorPlugin["extract"] = async (pairs, context) => {
      demand(context);
      const found = await context.modelExtractor!.extract([factor], pairs);
      return [...(found.get("unsupported") ?? [])];
    };
    expect(await problemsWith({ extract: unordered })).toEqual([
      expect.stringMatching(
        /^extract did not return the extractor's manifestations in pair order: \[\{"pairId":"p2"/,
      ),
    ]);
    const firstOnly: FactorPlugin["extract"] = async (pairs, context) =>
      factor.extract(pairs.slice(0, 1), context);
    expect(await problemsWith({ extract: firstOnly })).toEqual([
      expect.stringMatching(/^the model extractor was not called once with \["unsupported"\] and the pairs/),
      expect.stringMatching(/^extract did not return the extractor's manifestations in pair order/),
    ]);
  });
});

const template = (id: string, user: string, system?: string): PromptTemplate => ({
  id,
  version: `${id}@1`,
  user,
  ...(system === undefined ? {} : { system }),
});
const prompts = {
  judge: template("notes-judge", "<a>{{a}}</a>\n<b>{{b}}</b>\nAnswer {{choices}}.", "You judge notes."),
  generation: template("notes-generation", "Write notes at level {{level}} of {{levels}}."),
  guidance: template("notes-guidance", "<response>{{response}}</response>\n<guidance>\n{{guidance}}"),
};
const adapter: TaskAdapter = {
  specificationVersion: 1,
  id: "notes",
  title: "Notes",
  description: "Taking notes.",
  factors: ["length", "fluency"],
  classicalFactors: ["novelty"],
  presets: ["notes-set"],
  prompts,
};
const task = {
  id: "notes",
  factors: ["length", "fluency"],
  classicalFactors: ["novelty"],
  presets: ["notes-set"],
  prompts,
  variables: {
    judge: { a: "first notes", b: "second notes" },
    generation: { level: 2, levels: 5 },
    guidance: { response: "old notes", guidance: "Shorter." },
  },
  judgeAvoids: /\b(length|long|short|fluen\w*)\b/i,
};

describe("ruleFactorProblems", () => {
  // Exclamation marks per response: p1 a 2, b 0 (+1); p2 a 0, b 1 (-1); p3 both 0 (0); p4 no words, null.
  const pairs = [
    { id: "p1", task: "t", a: "Yes! Now!", b: "No.", label: "a" as const },
    { id: "p2", task: "t", a: "Fine.", b: "Great!", label: "b" as const },
    { id: "p3", task: "t", a: "One.", b: "Two.", label: "tie" as const },
    { id: "p4", task: "t", a: "", b: "Hi!", label: "b" as const },
  ];
  const count = (text: string) => (text.trim() === "" ? null : text.split("!").length - 1);
  const exclamations = defineResponseFactor({
    id: "exclamations",
    title: "Exclamation marks",
    definition: "More = more exclamation marks.",
    measure: count,
  });
  const expectation = { id: "exclamations", level: "response" as const, pairs };
  /** A plugin whose extract is `extract`, with the metadata of `exclamations`. */
  const withExtract = (extract: FactorPlugin["extract"]): FactorPlugin => ({ ...exclamations, extract });

  it("passes a factor made with defineResponseFactor, and one with definePairFactor", async () => {
    expect(await ruleFactorProblems(exclamations, expectation)).toEqual([]);
    const longer = definePairFactor({
      id: "longer",
      title: "Longer",
      definition: "More = the longer response.",
      compare: ({ a, b }) => ({ sign: Math.sign(a.length - b.length) as -1 | 0 | 1 }),
    });
    expect(await ruleFactorProblems(longer, { id: "longer", level: "pair", pairs })).toEqual([]);
  });

  it("names wrong metadata, and pairs that cannot test anything", async () => {
    expect(await ruleFactorProblems(exclamations, { ...expectation, id: "bangs", level: "pair" })).toEqual([
      'id is "exclamations", expected "bangs"',
      'level is "response", expected "pair"',
    ]);
    const same = pairs.map((pair) => ({ ...pair, a: "Same.", b: "Same." }));
    expect(await ruleFactorProblems(exclamations, { ...expectation, pairs: same })).toEqual([
      "no pair gave a sign of +1 or -1: give pairs that differ on the factor",
    ]);
    expect(await ruleFactorProblems(exclamations, { ...expectation, pairs: [pairs[0]!, pairs[0]!] })).toEqual(
      ["the expectation needs at least two pairs with distinct ids"],
    );
  });

  it("finds state kept between calls, between pairs, and a result out of pair order", async () => {
    let calls = 0;
    const counting = withExtract((given, context) => {
      calls++;
      return exclamations.extract(
        given.map((pair) => ({ ...pair, a: `${pair.a}${"!".repeat(calls % 2)}` })),
        context,
      ) as Manifestation[];
    });
    expect(await ruleFactorProblems(counting, expectation)).toContain(
      "the same pairs gave other manifestations the second time",
    );
    const firstOnly = withExtract((given, context) =>
      (exclamations.extract(given, context) as Manifestation[]).map((m, i) =>
        i === 0 ? m : { ...m, sign: 0 },
      ),
    );
    expect(await ruleFactorProblems(firstOnly, expectation)).toContain(
      "measured one pair at a time, the pairs gave other manifestations",
    );
    const backwards = withExtract((given, context) =>
      (exclamations.extract(given, context) as Manifestation[]).reverse(),
    );
    expect(await ruleFactorProblems(backwards, expectation)).toContain(
      'manifestation 0 names pair "p4", expected "p1" (pair order)',
    );
  });

  it("finds a sign that does not turn when a and b swap, and a null without its reason", async () => {
    const alwaysA = withExtract((given) =>
      given.map((pair) => ({ pairId: pair.id, factor: "exclamations", sign: 1 as const })),
    );
    expect(await ruleFactorProblems(alwaysA, expectation)).toContain(
      "pair p1: sign 1, but 1 with a and b swapped (expected -1)",
    );
    const silent = withExtract((given, context) =>
      (exclamations.extract(given, context) as Manifestation[]).map(({ error: _, ...m }) => m),
    );
    expect(await ruleFactorProblems(silent, expectation)).toEqual([
      "pair p4: a null sign without an error saying why",
    ]);
  });
});

describe("taskAdapterProblems", () => {
  it("finds none in an adapter as expected", () => {
    expect(taskAdapterProblems(adapter, task)).toEqual([]);
  });

  it("reports an adapter that does not validate or that parsing changes", () => {
    expect(taskAdapterProblems({ ...adapter, title: "" }, task)).toEqual([
      expect.stringMatching(/^adapter does not validate/),
    ]);
    // zod drops keys the schema does not know, so an adapter carrying one is not what it declares.
    expect(taskAdapterProblems({ ...adapter, judge: prompts.judge } as TaskAdapter, task)).toEqual([
      "parsing changes the adapter",
    ]);
  });

  it("reports another id, factor set, order of factors, or presets", () => {
    expect(taskAdapterProblems(adapter, { ...task, id: "memo" })).toEqual(['id is "notes", expected "memo"']);
    expect(taskAdapterProblems(adapter, { ...task, factors: ["fluency", "length"] })).toEqual([
      'factors are ["length","fluency"], expected ["fluency","length"]',
    ]);
    expect(taskAdapterProblems(adapter, { ...task, presets: [] })).toEqual([
      'presets are ["notes-set"], expected []',
    ]);
  });

  it("reports classical factors that are PROFILE factors", () => {
    const classicalFactors = ["coherence", "length"];
    expect(taskAdapterProblems({ ...adapter, classicalFactors }, { ...task, classicalFactors })).toEqual([
      'classical factor "length" is also a PROFILE factor',
    ]);
  });

  it("reports prompts other than the exported ones, or not versioned <task>-<setting>@<n>", () => {
    const generation = { ...prompts.generation, id: "notes-writing", version: "notes-generation@one" };
    expect(taskAdapterProblems({ ...adapter, prompts: { ...prompts, generation } }, task)).toEqual([
      "carries prompts other than the ones the package exports",
      'the generation prompt\'s id is "notes-writing", expected "notes-generation"',
      'the generation prompt\'s version "notes-generation@one" is not notes-generation@<n>',
    ]);
  });

  it("reports a judge prompt that names a factor, or offers tie regardless of the setting", () => {
    const judge = template("notes-judge", "<a>{{a}}</a>\n<b>{{b}}</b>\nThe longer one wins: {{choices}}.");
    const named = { ...prompts, judge };
    expect(
      taskAdapterProblems(
        { ...adapter, prompts: named },
        { ...task, prompts: named, judgeAvoids: /\blonger\b/ },
      ),
    ).toEqual(["the judge prompt names a quality factor (matches /\\blonger\\b/)"]);
    const alwaysTie = { ...prompts, judge: template("notes-judge", '{{a}} {{b}} {{choices}} or "tie"') };
    expect(taskAdapterProblems({ ...adapter, prompts: alwaysTie }, { ...task, prompts: alwaysTie })).toEqual([
      'the judge prompt offers "tie" when ties are not allowed',
    ]);
  });

  it("reports a prompt that does not render, drops a value, or renders without a placeholder", () => {
    const variables = { ...task.variables, generation: { level: 2, levels: 5, tone: "dry" } };
    expect(taskAdapterProblems(adapter, { ...task, variables })).toEqual([
      expect.stringMatching(
        /^notes-generation@1 does not render with level, levels, tone: .*no placeholder \{\{tone\}\}/,
      ),
    ]);
    // A value that itself looks like a placeholder is left in the text unfilled.
    const variables2 = { ...task.variables, guidance: { response: "old notes", guidance: "{{kept}}" } };
    expect(taskAdapterProblems(adapter, { ...task, variables: variables2 })).toEqual([
      'notes-guidance@1 renders with "{{" left in it',
    ]);
  });
});
