import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createFakeModel, startMockServer } from "@profilekit/llm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, runCli } from "./testing/run-cli.js";
import { readJson, readLines } from "./testing/run-output.js";

const cliDir = fileURLToPath(new URL("../", import.meta.url));
const examplePlugin = fileURLToPath(new URL("../../../examples/factor-politeness/", import.meta.url));

// Six pairs, each its own prompt (own group). Hand-worked signs (m: a shows more than b; p: label):
//              length (words)   politeness (markers per 100 words)             p
//  p1  a 7, b 2: +1      a "could you", "please", "thank" 3/7; b 0: +1          a (+1)  length C, politeness C
//  p2  a 2, b 4: -1      a 0; b "please", "thanks" 2/4: -1                      b (-1)  C, C
//  p3  a 3, b 1: +1      a "sorry", "please" 2/3; b 0: +1                       b (-1)  D, D
//  p4  a 3, b 2: +1      both 0: 0                                              a (+1)  C, factor tie
//  p5  a 2, b 2: 0       a "please" 1/2; b 0: +1                                tie     excluded
//  p6  a 3, b 2: +1      a "thanks" 1/3; b 0: +1                                a (+1)  C, C
// tau14 = (C - D) / (C + D + Tf): length (4 - 1) / 5 = 0.6, politeness (3 - 1) / (3 + 1 + 1) = 0.4.
const pairs = [
  { id: "p1", prompt: "q1", a: "Could you please help me? Thank you.", b: "Help me.", label: "a" },
  { id: "p2", prompt: "q2", a: "Do it.", b: "Please do it, thanks.", label: "b" },
  { id: "p3", prompt: "q3", a: "Sorry, please wait.", b: "Wait.", label: "b" },
  { id: "p4", prompt: "q4", a: "Fine answer here.", b: "Another answer.", label: "a" },
  { id: "p5", prompt: "q5", a: "Please read.", b: "Read it.", label: "tie" },
  { id: "p6", prompt: "q6", a: "Thanks a lot.", b: "Okay then.", label: "a" },
].map((pair) => ({ task: "instruction-following", ...pair }));
const jsonl = (records: readonly object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join("");

let work: string;
let counter = 0;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-run-"));
  // As in a project with profilekit installed: the config's `import ... from "profilekit"` resolves.
  await mkdir(join(work, "node_modules"));
  await symlink(cliDir, join(work, "node_modules", "profilekit"), "dir");
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** A fresh project folder under the temp dir (which holds node_modules/profilekit) with pairs.jsonl. */
async function project(): Promise<string> {
  const dir = join(work, `project-${++counter}`);
  await mkdir(dir);
  await writeFile(join(dir, "pairs.jsonl"), jsonl(pairs));
  return dir;
}

/** Writes a profilekit.config.ts exporting `config` through defineConfig. */
async function tsConfig(dir: string, config: unknown, name = "profilekit.config.ts"): Promise<string> {
  const file = join(dir, name);
  await writeFile(
    file,
    `import { defineConfig } from "profilekit";\n\nexport default defineConfig(${JSON.stringify(config, null, 2)});\n`,
  );
  return file;
}

const base = {
  task: "instruction-following",
  data: { path: "./pairs.jsonl" },
  factors: ["length"],
  scoring: { bootstrap: 50, permutations: 0 },
  out: "runs/test",
};

function expectUserError(run: CliRun, ...fragments: string[]) {
  expect(run.code, run.stderr).toBe(2);
  for (const fragment of fragments) expect(run.stderr).toContain(fragment);
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe("model providers from a config's plugins", () => {
  it("resolves a model id with a third-party prefix through a provider a plugin exports", async () => {
    const dir = await project();
    // A provider of its own: its model always prefers the response shown first, and says so in the
    // JSON schema it is sent (a verdict), as a structured-output model would.
    await writeFile(
      join(dir, "always-first.mjs"),
      `import { defineProvider } from "@profilekit/spec";
export default defineProvider({
  id: "always-first",
  languageModel: (modelId) => ({
    specificationVersion: 1,
    provider: "always-first",
    modelId,
    baseURL: undefined,
    structuredOutput: "json-schema",
    async generate(request) {
      const answer = request.responseSchema ? { verdict: "a" } : "first";
      return { text: JSON.stringify(answer), usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" };
    },
  }),
});
`,
    );
    const file = await tsConfig(dir, {
      ...base,
      plugins: ["./always-first.mjs"],
      models: { judge: "always-first:v1" },
      settings: { human: true, evaluation: {} },
      cache: false,
    });
    const run = await runCli(["run", "--config", file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("plugin ./always-first.mjs: model provider always-first:");
    const manifest = await readJson(join(dir, "runs/test/evaluation/manifest.json"));
    expect(manifest.models.judge).toBe("always-first:v1");
    // Shown first in both orders, so the two verdicts disagree once unswapped: every label a tie.
    const judgements = await readLines(join(dir, "runs/test/evaluation/judgements.jsonl"));
    expect(judgements.length).toBeGreaterThan(0);
    for (const judgement of judgements) {
      expect(judgement.verdicts).toEqual({ original: "a", swapped: "a" });
      expect(judgement.label).toBe("tie");
    }
    const top = await readJson(join(dir, "runs/test/manifest.json"));
    expect(top.plugins).toEqual([
      { spec: "./always-first.mjs", factors: [], tasks: [], providers: ["always-first"] },
    ]);
  });

  it("collects the batches of a plugin's provider with batch --config, which resolves its prefix", async () => {
    const server = await startMockServer({ handler: createFakeModel(), batches: { pollsToEnd: 0 } });
    process.env.OPENAI_API_KEY ??= "fake-key-for-the-mock-server";
    try {
      const dir = await project();
      // A relay of its own: OpenAI's models (and their batch API) under another prefix.
      await writeFile(
        join(dir, "relay.mjs"),
        `import { openaiProvider } from "@profilekit/llm";
import { defineProvider } from "@profilekit/spec";
export default defineProvider({
  id: "relay",
  languageModel: (modelId, settings) => ({ ...openaiProvider.languageModel(modelId, settings), provider: "relay" }),
});
`,
      );
      const file = await tsConfig(dir, {
        ...base,
        plugins: ["./relay.mjs"],
        models: { judge: "relay:gpt-4o-mini", defaults: { baseURL: server.openaiBaseURL } },
        settings: { human: true, evaluation: {} },
        cache: "cache.db",
      });
      const submitted = await runCli(["run", "--config", file, "--batch", "submit"]);
      expect(submitted.code, submitted.stderr).toBe(0);
      expect(submitted.stdout).toMatch(/^run: 11 calls submitted in 1 batch/);
      const cache = join(dir, "cache.db");
      // Without the config, the prefix is unknown: the error names it and what to give.
      const unknown = await runCli(["batch", "collect", "--cache-path", cache]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^error\[unknown_provider\]: Batch \S+: Unknown model provider "relay"/);
      expect(unknown.stderr).toContain("profilekit batch --config <file>");
      const collected = await runCli(["batch", "collect", "--cache-path", cache, "--config", file]);
      expect(collected.code, collected.stderr).toBe(0);
      expect(collected.stdout).toMatch(/answered/);
      const requests = server.stats.requests;
      const finished = await runCli(["run", "--config", file, "--batch", "submit"]);
      expect(finished.code, finished.stderr).toBe(0);
      expect(finished.stdout).toContain("== evaluation (ran, relay:gpt-4o-mini) ==");
      expect(server.stats.requests).toBe(requests);
    } finally {
      await server.close();
    }
  });

  it("names the registered prefixes when a model id's provider is unknown", async () => {
    const dir = await project();
    const file = await tsConfig(dir, {
      ...base,
      models: { judge: "nowhere:v1" },
      settings: { human: true, evaluation: {} },
    });
    expectUserError(await runCli(["run", "--config", file]), "models.judge", "nowhere", "openai");
  });
});

describe("profilekit init", () => {
  it("writes a config that run accepts, and refuses to overwrite it without --force", async () => {
    const dir = await project();
    const file = join(dir, "profilekit.config.ts");
    const init = await runCli([
      "init",
      "--task",
      "instruction-following",
      "--config",
      file,
      "--data",
      join(dir, "pairs.jsonl"),
    ]);
    expect(init.code, init.stderr).toBe(0);
    const text = await readFile(file, "utf8");
    expect(text).toContain('import type { ConfigInput } from "profilekit"');
    expect(text).toContain("} satisfies ConfigInput;");
    expect(text).toContain('path: "./pairs.jsonl"');
    expect(text).toContain('task: "instruction-following"');

    const run = await runCli(["run", "--config", file]);
    expect(run.code, run.stderr).toBe(0);
    const profile = await readJson(join(dir, "runs/instruction-following/human/profile.json"));
    // The task's factors that need no model, then its classical measures.
    expect(profile.factors.map((f: { factor: string }) => f.factor)).toEqual([
      "length",
      "novelty",
      "readability",
      "formality",
    ]);
    expect(profile.factors[0].tau).toBeCloseTo(0.6, 12);
    expect(profile.pairs).toBe(6);
    const manifest = await readJson(join(dir, "runs/instruction-following/manifest.json"));
    expect(manifest).toMatchObject({
      command: "run",
      task: "instruction-following",
      seed: 1,
      config: { file: "../../profilekit.config.ts" },
    });
    expect(manifest.config.resolved.scoring).toMatchObject({ variant: "tau14", bootstrap: 1000, seed: 1 });
    expect(manifest.stages.human).toMatchObject({ folder: "human", pairs: 6, preferenceTies: 1 });
    expect(manifest.data.sha256).toMatch(/^[0-9a-f]{64}$/);

    expectUserError(await runCli(["init", "--config", file]), "error[file_exists]", "--force");
    expect(await readFile(file, "utf8")).toBe(text);
    const forced = await runCli(["init", "--config", file, "--task", "summarization", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(file, "utf8")).toContain('task: "summarization"');
  });

  it("points the starter config at the bundled sample of the task when there is one", async () => {
    const dir = await project();
    const file = join(dir, "profilekit.config.ts");
    expect((await runCli(["init", "--task", "document-qa", "--config", file])).code).toBe(0);
    const bundled = fileURLToPath(new URL("../../../data/qa-feedback-dev-subset.jsonl.gz", import.meta.url));
    const text = await readFile(file, "utf8");
    if (existsSync(bundled)) expect(text).toContain(`path: ${JSON.stringify(relative(dir, bundled))}`);
    else expect(text).toContain('path: "./pairs.jsonl"');
  });
});

describe("profilekit run", () => {
  it("loads the example plugin by path and profiles its factor", async () => {
    expect(
      existsSync(join(examplePlugin, "dist/index.js")),
      "build examples/factor-politeness first (npm run build)",
    ).toBe(true);
    const dir = await project();
    const file = await tsConfig(dir, {
      ...base,
      plugins: [
        relative(dir, examplePlugin).startsWith(".")
          ? relative(dir, examplePlugin)
          : `./${relative(dir, examplePlugin)}`,
      ],
      factors: ["length", "politeness"],
    });
    const run = await runCli(["run", "--config", file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("factor politeness");
    const profile = await readJson(join(dir, "runs/test/human/profile.json"));
    const byFactor = Object.fromEntries(profile.factors.map((f: { factor: string }) => [f.factor, f]));
    expect(byFactor.length.tau).toBeCloseTo(0.6, 12);
    expect(byFactor.politeness).toMatchObject({
      concordant: 3,
      discordant: 1,
      factorTies: 1,
      preferenceTies: 1,
    });
    expect(byFactor.politeness.tau).toBeCloseTo(0.4, 12);
    const manifestations = (await readFile(join(dir, "runs/test/human/manifestations.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((m) => m.factor === "politeness");
    expect(manifestations[0].valueA).toBeCloseTo(300 / 7, 10);
    const manifest = await readJson(join(dir, "runs/test/manifest.json"));
    expect(manifest.plugins).toEqual([
      { spec: expect.stringContaining("factor-politeness"), factors: ["politeness"], tasks: [] },
    ]);
  });

  it("registers factors and tasks from a TypeScript plugin module, default export an array", async () => {
    const dir = await project();
    // A factor (exclamation marks per response) and a task using it, with no imports at all.
    await writeFile(
      join(dir, "local-plugins.ts"),
      `const exclamations = {
  specificationVersion: 1 as const, id: "exclamations", title: "Exclamation marks",
  definition: "More = more exclamation marks.", method: "rule" as const, level: "response" as const,
  extract(pairs: { id: string; a: string; b: string }[]) {
    return pairs.map((p) => {
      const a = p.a.split("!").length - 1, b = p.b.split("!").length - 1;
      return { pairId: p.id, factor: "exclamations", valueA: a, valueB: b, sign: Math.sign(a - b) };
    });
  },
};
const shouting = {
  specificationVersion: 1, id: "shouting", title: "Shouting", description: "Replies, loudly.",
  factors: ["exclamations", "length"], prompts: {},
};
export default [exclamations, shouting];
`,
    );
    const file = await tsConfig(dir, {
      ...base,
      task: "shouting",
      factors: undefined,
      plugins: ["./local-plugins.ts"],
    });
    const run = await runCli(["run", "--config", file]);
    expect(run.code, run.stderr).toBe(0);
    const profile = await readJson(join(dir, "runs/test/human/profile.json"));
    // Default factors: the task's (both need no model); it has no classical measures.
    expect(profile.factors.map((f: { factor: string }) => f.factor)).toEqual(["exclamations", "length"]);
    // No response has a "!": the 5 pairs not labelled tie are all factor ties, tau = 0 / 5 = 0.
    expect(profile.factors[0]).toMatchObject({ tau: 0, factorTies: 5 });
  });

  it("finds a plugin package by name in node_modules above the config, through its exports", async () => {
    const dir = await project();
    // work/node_modules/@acme/profilekit-plugins: "." -> an array of one factor, "./quiet" -> another.
    const pkg = join(work, "node_modules/@acme/profilekit-plugins");
    await mkdir(join(pkg, "lib"), { recursive: true });
    await writeFile(
      join(pkg, "package.json"),
      JSON.stringify({
        name: "@acme/profilekit-plugins",
        type: "module",
        exports: {
          ".": { types: "./lib/main.d.ts", import: "./lib/main.mjs" },
          "./quiet": { default: "./lib/quiet.mjs" },
        },
      }),
    );
    const factor = (id: string) => `{
  specificationVersion: 1, id: "${id}", title: "${id}", definition: "More = more commas.", method: "rule", level: "response",
  extract: (pairs) => pairs.map((p) => ({ pairId: p.id, factor: "${id}", sign: Math.sign(p.a.split(",").length - p.b.split(",").length) })),
}`;
    await writeFile(join(pkg, "lib/main.mjs"), `export const plugins = [${factor("commas")}];\n`);
    await writeFile(join(pkg, "lib/quiet.mjs"), `export default ${factor("quiet-commas")};\n`);
    const file = await tsConfig(dir, {
      ...base,
      plugins: ["@acme/profilekit-plugins", "@acme/profilekit-plugins/quiet"],
      factors: ["commas", "quiet-commas"],
    });
    const run = await runCli(["run", "--config", file]);
    expect(run.code, run.stderr).toBe(0);
    // Commas: only p2's b ("Please do it, thanks.") and p3's a ("Sorry, please wait.") have one.
    // p2: m = -1, label b: C. p3: m = +1, label b: D. p1, p4, p6: factor ties. tau14 = 0 / 5 = 0.
    const profile = await readJson(join(dir, "runs/test/human/profile.json"));
    expect(
      profile.factors.map(
        (f: { factor: string; concordant: number; discordant: number; factorTies: number }) => [
          f.factor,
          f.concordant,
          f.discordant,
          f.factorTies,
        ],
      ),
    ).toEqual([
      ["commas", 1, 1, 3],
      ["quiet-commas", 1, 1, 3],
    ]);
    const manifest = await readJson(join(dir, "runs/test/manifest.json"));
    expect(manifest.plugins.map((p: { factors: string[] }) => p.factors)).toEqual([
      ["commas"],
      ["quiet-commas"],
    ]);
  });

  it("skips a finished stage when run again, and re-runs it when its inputs change or with --force", async () => {
    const dir = await project();
    const file = await tsConfig(dir, base);
    const profilePath = join(dir, "runs/test/human/profile.json");
    const first = await runCli(["run", "--config", file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("human: running");
    const firstBytes = await readFile(profilePath, "utf8");
    const firstTime = (await stat(profilePath)).mtimeMs;
    const firstManifest = await readFile(join(dir, "runs/test/manifest.json"), "utf8");

    const second = await runCli(["run", "--config", file]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain("human: finished earlier for the same config and data; skipped");
    expect(second.stdout).toContain("== human (resumed) ==");
    expect((await stat(profilePath)).mtimeMs).toBe(firstTime);
    expect(await readFile(join(dir, "runs/test/manifest.json"), "utf8")).toBe(firstManifest);

    // Another seed changes the stage's inputs: it runs again.
    await tsConfig(dir, { ...base, scoring: { ...base.scoring, seed: 2 } });
    const reseeded = await runCli(["run", "--config", file]);
    expect(reseeded.stderr).toContain("human: running");
    expect((await readJson(profilePath)).seed).toBe(2);

    // Back to seed 1: the same bytes as the first run.
    await tsConfig(dir, base);
    await runCli(["run", "--config", file]);
    expect(await readFile(profilePath, "utf8")).toBe(firstBytes);

    // Changed data runs again; so does --force with nothing changed.
    await writeFile(join(dir, "pairs.jsonl"), jsonl(pairs.slice(0, 4)));
    const changed = await runCli(["run", "--config", file]);
    expect(changed.stderr).toContain("human: running");
    expect((await readJson(profilePath)).pairs).toBe(4);
    const forced = await runCli(["run", "--config", file, "--force"]);
    expect(forced.stderr).toContain("human: running");

    // A stage without its manifest.json (interrupted before the end) runs again.
    await rm(join(dir, "runs/test/human/manifest.json"));
    expect((await runCli(["run", "--config", file])).stderr).toContain("human: running");
  });

  it("aligns the human profile with a judge's profile written into the run folder", async () => {
    const dir = await project();
    const file = await tsConfig(dir, {
      ...base,
      factors: ["length", "novelty", "readability", "formality"],
      scoring: { bootstrap: 0, permutations: 0 },
    });
    expect((await runCli(["run", "--config", file])).code).toBe(0);
    const human = await readJson(join(dir, "runs/test/human/profile.json"));
    // A judge profile whose taus are x / 2 + 0.1 of the human ones: the same order, so tau_b = 1,
    // and length's gap is 0.6 / 2 + 0.1 - 0.6 = -0.2. It has the shape `profilekit judge --out`
    // writes (the manifest is the human one's, as judge's), which run's report reads too.
    const judge = {
      ...human,
      factors: human.factors.map((f: { tau: number | null }) => ({
        ...f,
        tau: f.tau === null ? null : f.tau / 2 + 0.1,
      })),
      agreement: { accuracy: 0.7, kappa: 0.4, positionConsistency: 1, tieRate: 0 },
    };
    const {
      setting: _setting,
      configHash: _hash,
      ...stage
    } = await readJson(join(dir, "runs/test/human/manifest.json"));
    await mkdir(join(dir, "runs/test/evaluation"));
    await writeFile(join(dir, "runs/test/evaluation/profile.json"), JSON.stringify(judge));
    await writeFile(
      join(dir, "runs/test/evaluation/manifest.json"),
      JSON.stringify({ ...stage, command: "judge", models: { judge: "openai:gpt-4o-mini" } }),
    );
    const run = await runCli(["run", "--config", file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("evaluation: using the profile in evaluation/");
    expect(run.stdout).toContain("== evaluation (found, openai:gpt-4o-mini) ==");
    const alignment = await readJson(join(dir, "runs/test/alignment/alignment.json"));
    expect(alignment.compared).toMatchObject({
      label: "evaluation",
      role: "evaluation",
      model: "openai:gpt-4o-mini",
      file: "evaluation/profile.json",
    });
    const scored = human.factors.filter((f: { tau: number | null }) => f.tau !== null);
    expect(new Set(scored.map((f: { tau: number }) => f.tau)).size).toBeGreaterThan(1);
    expect(alignment.kendallTauB.value).toBe(1);
    expect(alignment.factors.find((f: { factor: string }) => f.factor === "length").gap).toBeCloseTo(
      -0.2,
      12,
    );
    const manifest = await readJson(join(dir, "runs/test/manifest.json"));
    expect(manifest.stages.evaluation).toMatchObject({
      folder: "evaluation",
      status: "found",
      model: "openai:gpt-4o-mini",
    });
    expect(manifest.stages.alignment).toEqual({ folder: "alignment", comparisons: 1 });
  });

  it("checks the judge's model before running anything: a missing API key names models.judge", async () => {
    const dir = await project();
    const file = await tsConfig(dir, {
      ...base,
      models: { judge: "openai:gpt-4o-mini" },
      settings: { evaluation: {} },
    });
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_BASE_URL;
    try {
      expectUserError(
        await runCli(["run", "--config", file]),
        "error[missing_api_key]",
        'field "models.judge"',
        "OPENAI_API_KEY",
      );
    } finally {
      if (saved.key !== undefined) process.env.OPENAI_API_KEY = saved.key;
      if (saved.url !== undefined) process.env.OPENAI_BASE_URL = saved.url;
    }
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });

  it("reads .mjs and .json configs", async () => {
    const dir = await project();
    await writeFile(join(dir, "profilekit.config.json"), JSON.stringify({ ...base, out: "runs/json" }));
    const fromJson = await runCli(["run", "--config", join(dir, "profilekit.config.json")]);
    expect(fromJson.code, fromJson.stderr).toBe(0);
    await writeFile(
      join(dir, "profilekit.config.mjs"),
      `export default ${JSON.stringify({ ...base, out: "runs/mjs" })};\n`,
    );
    const fromMjs = await runCli(["run", "--config", join(dir, "profilekit.config.mjs")]);
    expect(fromMjs.code, fromMjs.stderr).toBe(0);
    expect(await readFile(join(dir, "runs/mjs/human/profile.json"), "utf8")).toBe(
      await readFile(join(dir, "runs/json/human/profile.json"), "utf8"),
    );
  });

  describe("a config loads whatever the project's package.json says", () => {
    // The five config formats, each with a plugin written in TypeScript beside it, in a project
    // that says "type": "module", "commonjs" (what `npm init -y` writes) or nothing.
    const config = (out: string) => ({
      ...base,
      plugins: ["./commas.ts"],
      factors: ["length", "commas"],
      out,
    });
    const formats: Record<string, (out: string) => string> = {
      "profilekit.config.ts": (out) =>
        `import type { ConfigInput } from "profilekit";\n\nexport default ${JSON.stringify(config(out))} satisfies ConfigInput;\n`,
      "profilekit.config.mts": (out) =>
        `import type { ConfigInput } from "profilekit";\n\nconst config: ConfigInput = ${JSON.stringify(config(out))};\nexport default config;\n`,
      "profilekit.config.mjs": (out) => `export default ${JSON.stringify(config(out))};\n`,
      "profilekit.config.js": (out) =>
        `/** @type {import("profilekit").ConfigInput} */\nexport default ${JSON.stringify(config(out))};\n`,
      "profilekit.config.json": (out) => JSON.stringify(config(out)),
    };
    const plugin = `const count = (text: string): number => text.split(",").length - 1;
export default {
  specificationVersion: 1 as const, id: "commas", title: "Commas", definition: "More = more commas.",
  method: "rule" as const, level: "response" as const,
  extract: (pairs: { id: string; a: string; b: string }[]) =>
    pairs.map((p) => ({ pairId: p.id, factor: "commas", sign: Math.sign(count(p.a) - count(p.b)) })),
};
`;
    it.each([
      ["module", { name: "study", version: "1.0.0", type: "module" }],
      ["commonjs", { name: "study", version: "1.0.0", main: "index.js", type: "commonjs" }],
      ["nothing", { name: "study", version: "1.0.0", main: "index.js" }],
    ])('"type": %s', async (_, manifest) => {
      const dir = await project();
      await writeFile(join(dir, "package.json"), JSON.stringify(manifest));
      await writeFile(join(dir, "commas.ts"), plugin);
      for (const [name, write] of Object.entries(formats)) {
        const out = `runs/${name.replace("profilekit.config.", "")}`;
        await writeFile(join(dir, name), write(out));
        const run = await runCli(["run", "--config", join(dir, name)]);
        expect(run.code, `${name}: ${run.stderr}`).toBe(0);
        const profile = await readJson(join(dir, out, "human/profile.json"));
        // length: tau14 = 0.6 (the table above). Commas: only p2's b and p3's a have one; p2 (m -1,
        // label b) is concordant, p3 (m +1, label b) discordant, p1, p4, p6 are factor ties.
        expect(
          profile.factors.map(
            (f: { factor: string; tau: number; concordant: number; discordant: number }) => [
              f.factor,
              f.tau,
              f.concordant,
              f.discordant,
            ],
          ),
          name,
        ).toEqual([
          ["length", 0.6, 4, 1],
          ["commas", 0, 1, 1],
        ]);
      }
    });

    it("refuses a config of another format, and loads an edited .ts config afresh", async () => {
      const dir = await project();
      await writeFile(join(dir, "profilekit.config.yaml"), "task: summarization\n");
      expectUserError(
        await runCli(["run", "--config", join(dir, "profilekit.config.yaml")]),
        "error[config_unsupported]",
        "profilekit.config.yaml",
        ".ts, .mts, .mjs, .js or .json",
      );
      await writeFile(join(dir, "package.json"), JSON.stringify({ type: "commonjs" }));
      const file = await tsConfig(dir, { ...base, out: "runs/first" });
      expect((await runCli(["run", "--config", file])).code).toBe(0);
      await tsConfig(dir, { ...base, out: "runs/second" });
      expect((await runCli(["run", "--config", file])).code).toBe(0);
      expect(existsSync(join(dir, "runs/second/human/profile.json"))).toBe(true);
    });
  });

  describe("config errors: exit 2, naming the config file and the field", () => {
    const cases: [name: string, config: Record<string, unknown>, ...fragments: string[]][] = [
      [
        "a value out of range",
        { ...base, settings: { generation: { levels: 1 } }, models: { generator: "openai:x" } },
        "settings.generation.levels",
      ],
      ["a misspelt key", { ...base, factor: ["length"] }, '"factor"', 'field "factor"'],
      ["a missing task", { ...base, task: undefined }, "task: "],
      [
        "evaluation without a judge",
        { ...base, settings: { evaluation: {} } },
        "models.judge",
        "settings.evaluation needs a judge model",
      ],
      ["a bad model id", { ...base, models: { extractor: "gpt-4o" } }, "models.extractor", "provider:model"],
      [
        "an unknown factor",
        { ...base, factors: ["length", "lenght"] },
        'field "factors"',
        "lenght",
        'Did you mean "length"',
      ],
      [
        "a bad factor option",
        { ...base, factorOptions: { length: { unit: "lines" } } },
        "factorOptions.length.unit",
      ],
      [
        "options of an unselected factor",
        { ...base, factorOptions: { novelty: {} } },
        "factorOptions.novelty",
      ],
      ["a model factor without an extractor", { ...base, factors: ["fluency"] }, "models.extractor"],
      ["an unknown task", { ...base, task: "poetry" }, 'field "task"', "poetry"],
      ["missing data", { ...base, data: { path: "./nope.jsonl" } }, 'field "data.path"', "nope.jsonl"],
      [
        "a plugin that does not exist",
        { ...base, plugins: ["./missing-plugin.js"] },
        "plugins[0]",
        "missing-plugin.js",
      ],
      [
        "a package that is not installed",
        { ...base, plugins: ["@acme/no-such-factor"] },
        "plugins[0]",
        "@acme/no-such-factor",
      ],
    ];
    for (const [name, config, ...fragments] of cases) {
      it(name, async () => {
        const dir = await project();
        const file = await tsConfig(dir, config);
        expectUserError(await runCli(["run", "--config", file]), file, ...fragments);
      });
    }

    it("a plugin registered twice, and a module that is not a plugin", async () => {
      const dir = await project();
      const plugin = relative(dir, examplePlugin);
      const twice = await tsConfig(dir, { ...base, plugins: [plugin, `${plugin}/dist/index.js`] });
      expectUserError(
        await runCli(["run", "--config", twice]),
        "error[duplicate_factor]",
        "plugins[1]",
        "politeness",
      );
      await writeFile(join(dir, "not-a-plugin.mjs"), "export default { hello: 1 };\n");
      const wrong = await tsConfig(dir, { ...base, plugins: ["./not-a-plugin.mjs"] });
      expectUserError(
        await runCli(["run", "--config", wrong]),
        "error[invalid_plugin]",
        "plugins[0]",
        "neither a factor plugin",
      );
    });

    it("no config, a config file that does not exist, invalid JSON, a syntax error, no default export", async () => {
      const dir = await project();
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        expectUserError(await runCli(["run"]), "error[config_not_found]", "profilekit init");
      } finally {
        process.chdir(cwd);
      }
      expectUserError(await runCli(["run", "--config", join(dir, "nope.ts")]), "error[file_not_found]");
      await writeFile(join(dir, "bad.json"), "{ task: ");
      expectUserError(
        await runCli(["run", "--config", join(dir, "bad.json")]),
        "error[invalid_config]",
        "bad.json",
      );
      await writeFile(join(dir, "syntax.config.mjs"), "export default {\n");
      expectUserError(
        await runCli(["run", "--config", join(dir, "syntax.config.mjs")]),
        "error[config_load_failed]",
        "syntax.config.mjs",
      );
      await writeFile(join(dir, "syntax.config.ts"), "export default { task: 'x',, };\n");
      expectUserError(
        await runCli(["run", "--config", join(dir, "syntax.config.ts")]),
        "error[config_load_failed]",
        "syntax.config.ts:1:",
        "fix the syntax error",
      );
      await writeFile(join(dir, "named.config.mjs"), "export const config = {};\n");
      expectUserError(
        await runCli(["run", "--config", join(dir, "named.config.mjs")]),
        "has no default export",
      );
    });
  });
});
