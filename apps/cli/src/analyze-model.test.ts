import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPairs, writeJsonl } from "@profilekit/data";
import { createFakeModel, type MockRequest, type MockServer, startMockServer } from "@profilekit/llm/testing";
import type { Pair } from "@profilekit/spec";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./testing/run-cli.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const bin = join(repo, "apps/cli/dist/bin.js");
const pairCount = 40;
const fake = createFakeModel();

let work: string;
let input: string;
/** Distinct responses among the pairs (a text with its source and prompt): read once each by default. */
let distinctResponses: number;
let server: MockServer | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-analyze-model-"));
  const pairs: Pair[] = [];
  for await (const pair of readPairs(join(repo, "data/qa-feedback-dev-subset.jsonl.gz"))) {
    pairs.push(pair);
    if (pairs.length === pairCount) break;
  }
  input = join(work, "pairs.jsonl");
  await writeJsonl(input, pairs);
  const responses = new Set(
    pairs.flatMap((pair) => [pair.a, pair.b].map((text) => JSON.stringify([pair.source, pair.prompt, text]))),
  );
  distinctResponses = responses.size;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** The flags of an analyze run that measures model factors through the mock server. */
function modelArgs(name: string, factors: string, extra: string[] = []): string[] {
  return [
    "analyze",
    input,
    "--factors",
    factors,
    "--extractor",
    "openai:fake-extractor",
    "--base-url",
    server!.openaiBaseURL,
    "--cache-path",
    join(work, `${name}.db`),
    "--out",
    join(work, name),
    "--bootstrap",
    "100",
    "--permutations",
    "99",
    ...extra,
  ];
}

const read = (path: string) => readFile(path, "utf8");
const requestKey = (request: MockRequest) =>
  createHash("sha256").update(JSON.stringify(request.body)).digest("hex");

describe("analyze with model-extracted factors (mock OpenAI-compatible server on 127.0.0.1)", () => {
  it("reads each distinct response once and each pair's pair-level factors in both orders (joint), and none on a re-run", async () => {
    server = await startMockServer({ handler: fake });
    // QA-Feedback compares each of four answers to a question with the other three: responses recur.
    expect(distinctResponses).toBeLessThan(pairCount * 2);
    const first = await runCli(modelArgs("joint", "length,hallucination,fluency,helpfulness"));
    expect(first.stderr).not.toMatch(/^error/m);
    expect(first.code).toBe(0);
    // One reading per distinct response (hallucination and fluency together), and helpfulness
    // (pair level) once per pair and order.
    const calls = distinctResponses + pairCount * 2;
    expect(server.stats.requests).toBe(calls);
    const profile = JSON.parse(await read(join(work, "joint/profile.json")));
    expect(profile.factors.map((f: { factor: string }) => f.factor)).toEqual([
      "length",
      "hallucination",
      "fluency",
      "helpfulness",
    ]);
    for (const factor of profile.factors) expect(factor.missing).toBe(0);
    expect(profile.extraction).toMatchObject({
      mode: "joint",
      bothOrders: true,
    });
    expect(profile.extraction.factors.helpfulness.positionConsistency.pairs).toBe(pairCount);
    expect(first.stdout).toMatch(/position consistency: .*helpfulness \d+%/);
    const manifest = JSON.parse(await read(join(work, "joint/manifest.json")));
    expect(manifest.usage.total.calls).toBe(calls);
    expect(manifest.extraction).toMatchObject({ calls, cacheHits: 0, failures: 0 });
    // What the extractor read is kept: one reading of every distinct response, each value traceable.
    const evidence = (await read(join(work, "joint/evidence.jsonl")))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const readings = evidence.filter((record) => record.kind === "reading");
    expect(new Set(readings.map((record) => record.response.key)).size).toBe(distinctResponses);

    const before = await read(join(work, "joint/profile.json"));
    const again = await runCli(modelArgs("joint", "length,hallucination,fluency,helpfulness"));
    expect(again.code).toBe(0);
    expect(server.stats.requests).toBe(calls);
    expect(await read(join(work, "joint/profile.json"))).toBe(before);
  });

  it("asks every factor in one call per pair and order in pair-joint mode, one order with --no-both-orders", async () => {
    server = await startMockServer({ handler: fake });
    const pairJoint = await runCli(
      modelArgs("pair-joint", "hallucination,helpfulness", ["--extract-mode", "pair-joint"]),
    );
    expect(pairJoint.code, pairJoint.stderr).toBe(0);
    expect(server.stats.requests).toBe(pairCount * 2);
    const before = server.stats.requests;
    const oneOrder = await runCli(
      modelArgs("one-order", "hallucination,helpfulness", [
        "--extract-mode",
        "pair-joint",
        "--no-both-orders",
      ]),
    );
    expect(oneOrder.code).toBe(0);
    expect(server.stats.requests - before).toBe(pairCount);
  });

  it("makes one call per factor in per-factor mode: per distinct response, or per pair and order", async () => {
    server = await startMockServer({ handler: fake });
    const perFactor = await runCli(
      modelArgs("per-factor", "hallucination,fluency,helpfulness", ["--extract-mode", "per-factor"]),
    );
    expect(perFactor.code, perFactor.stderr).toBe(0);
    const stats = JSON.parse(await read(join(work, "per-factor/manifest.json"))).extraction;
    // hallucination and fluency each read every distinct response; helpfulness each pair in both orders.
    expect(stats.calls).toBe(distinctResponses * 2 + pairCount * 2);
    const usage = JSON.parse(await read(join(work, "per-factor/manifest.json"))).usage.total;
    expect(server.stats.requests).toBe(usage.requests);
  });

  it("skips model factors with one clear line when no model is configured", async () => {
    const out = join(work, "no-model");
    const run = await runCli([
      "analyze",
      input,
      "--factors",
      "length,hallucination,helpfulness",
      "--out",
      out,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/skipping hallucination, helpfulness: .*--extractor/);
    const profile = JSON.parse(await read(join(out, "profile.json")));
    expect(profile.factors.map((f: { factor: string }) => f.factor)).toEqual(["length"]);
    expect(profile.skippedFactors).toEqual(["hallucination", "helpfulness"]);
  });

  it("estimates a dry run without calling the model or writing anything", async () => {
    server = await startMockServer({ handler: fake });
    const run = await runCli(modelArgs("dry", "hallucination,helpfulness", ["--dry-run"]));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`${distinctResponses + pairCount * 2} calls to openai:fake-extractor`),
    );
    expect(server.stats.requests).toBe(0);
    expect(existsSync(join(work, "dry"))).toBe(false);
  });

  it("completes with 20% of calls failing, every pair extracted once, and the profile unchanged", async () => {
    server = await startMockServer({ handler: fake });
    expect((await runCli(modelArgs("clean", "hallucination,helpfulness"))).code).toBe(0);
    await server.close();
    const seen = new Map<string, number>();
    const faults = ["rate-limit", "server-error", "reset"] as const;
    server = await startMockServer({
      handler: (request) => {
        const key = requestKey(request);
        const attempt = seen.get(key) ?? 0;
        seen.set(key, attempt + 1);
        const bucket = Number.parseInt(key.slice(0, 8), 16) % 15;
        // A fifth of the calls fail on their first attempt: 429 with retry-after, a 500 or a reset.
        if (attempt === 0 && bucket < 3) {
          const fault = faults[bucket]!;
          return fault === "rate-limit" ? { fault, retryAfterMs: 20 } : { fault };
        }
        return fake(request);
      },
    });
    const run = await runCli(modelArgs("faulty", "hallucination,helpfulness", ["--max-retries", "5"]));
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
    const failed = [...seen.values()].filter((n) => n > 1).length;
    expect(failed).toBeGreaterThan((distinctResponses + pairCount * 2) * 0.1);
    expect(server.stats.answered).toBe(distinctResponses + pairCount * 2);
    const profile = JSON.parse(await read(join(work, "faulty/profile.json")));
    const clean = JSON.parse(await read(join(work, "clean/profile.json")));
    expect(profile.factors).toEqual(clean.factors);
    const usage = JSON.parse(await read(join(work, "faulty/manifest.json"))).usage.total;
    expect(usage.retries).toBe(failed);
  });

  it("resumes after SIGKILL without repeating a call that had succeeded, and ends with the same profile", async () => {
    // One server throughout: its base URL is part of every cache key.
    const answeredBeforeKill = new Set<string>();
    const repeated: string[] = [];
    let killed = false;
    server = await startMockServer({
      latencyMs: 40,
      handler: (request) => {
        const key = requestKey(request);
        if (!killed) answeredBeforeKill.add(key);
        else if (answeredBeforeKill.has(key)) repeated.push(key);
        return fake(request);
      },
    });
    const args = modelArgs("killed", "hallucination,helpfulness,fluency", ["--concurrency", "4"]);
    const child = spawn(process.execPath, [bin, ...args], { stdio: "ignore" });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (server!.stats.answered >= pairCount) {
          clearInterval(poll);
          child.kill("SIGKILL");
          resolve();
        }
      }, 2);
    });
    await new Promise((resolve) => child.once("exit", resolve));
    killed = true;
    expect(existsSync(join(work, "killed/profile.json"))).toBe(false);
    const requestsBeforeKill = server.stats.requests;
    const calls = distinctResponses + pairCount * 2;
    expect(requestsBeforeKill).toBeLessThan(calls);

    const resumed = await runCli(args);
    expect(resumed.code).toBe(0);
    // Only the calls in flight at the kill (at most the concurrency) may be asked again.
    expect(repeated.length).toBeLessThanOrEqual(4);
    expect(server.stats.requests - requestsBeforeKill).toBe(calls - requestsBeforeKill + repeated.length);

    const uninterrupted = await runCli(modelArgs("uninterrupted", "hallucination,helpfulness,fluency"));
    expect(uninterrupted.code).toBe(0);
    const strip = (text: string) => {
      const { extraction: _extraction, ...profile } = JSON.parse(text);
      return profile;
    };
    expect(strip(await read(join(work, "killed/profile.json")))).toEqual(
      strip(await read(join(work, "uninterrupted/profile.json"))),
    );
    expect(await read(join(work, "killed/manifestations.jsonl"))).toBe(
      await read(join(work, "uninterrupted/manifestations.jsonl")),
    );
  });

  it("never writes the API key into any output or cache file", async () => {
    const canary = "sk-canary-7f3b9d0e1a2c4b6d8e0f";
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = canary;
    try {
      const keys = new Set<string | undefined>();
      server = await startMockServer({
        handler: (request) => {
          keys.add(request.apiKey);
          return fake(request);
        },
      });
      const run = await runCli(modelArgs("keyed", "hallucination,helpfulness"));
      expect(run.code).toBe(0);
      expect(keys).toEqual(new Set([canary]));
      expect(run.stdout + run.stderr).not.toContain(canary);
      for (const name of await readdir(join(work, "keyed"))) {
        expect(await readFile(join(work, "keyed", name), "latin1"), name).not.toContain(canary);
      }
      for (const name of (await readdir(work)).filter((file) => file.startsWith("keyed.db"))) {
        expect(await readFile(join(work, name), "latin1"), name).not.toContain(canary);
      }
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });
});

describe("profilekit cache", () => {
  it("reports and clears what a run cached", async () => {
    server = await startMockServer({ handler: fake });
    expect((await runCli(modelArgs("cached", "helpfulness"))).code).toBe(0);
    const cache = join(work, "cached.db");
    const stats = await runCli(["cache", "stats", "--cache-path", cache, "--json"]);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ entries: pairCount * 2 });
    const cleared = await runCli(["cache", "clear", "--cache-path", cache]);
    expect(cleared.stdout).toMatch(new RegExp(`removed ${pairCount * 2} cached responses`));
    expect(
      JSON.parse((await runCli(["cache", "stats", "--cache-path", cache, "--json"])).stdout).entries,
    ).toBe(0);
  });
});
