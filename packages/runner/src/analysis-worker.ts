// A worker thread of a threaded analysis (see threaded-analysis.ts): it converts chunks of
// whole lines into pairs, measures every factor on them, and sends back what the run keeps,
// as transferable bytes and typed arrays. The main thread writes and scores in file order.
import { parentPort, workerData } from "node:worker_threads";
import { PairReader } from "@profilekit/data";
import { ProfilekitError } from "@profilekit/spec";
import type { BatchSettings } from "./analysis-batch.js";
import {
  type ChunkReply,
  type ChunkRequest,
  serializeError,
  transferablesOf,
  type WorkerSetup,
} from "./analysis-thread-protocol.js";
import { createBuiltinRegistry } from "./builtins.js";
import { analyzeChunk } from "./chunk-analysis.js";
import { loadPlugins } from "./plugin-loading.js";

if (parentPort === null) {
  throw new ProfilekitError("not_a_worker", "analysis-worker.js runs only as a worker thread", {
    exitCode: 1,
  });
}
const port = parentPort;
const setup = workerData as WorkerSetup;
const settings = await settingsOf(setup);
const strictReader = new PairReader(setup.path, { ...setup.read, onInvalid: "fail" });

// One chunk at a time, in the order they arrive.
let queue = Promise.resolve();
port.on("message", (request: ChunkRequest) => {
  queue = queue.then(() => reply(request));
});

async function reply(request: ChunkRequest): Promise<void> {
  const { seq, bytes } = request;
  let answer: ChunkReply;
  try {
    answer = { seq, bytes, ...(await analyzeChunk(bytes, strictReader, settings)) };
  } catch (error) {
    answer = { seq, bytes, kind: "failed", error: serializeError(error) };
  }
  port.postMessage(answer, transferablesOf(bytes, answer.kind === "analyzed" ? answer.batches : []));
}

async function settingsOf(setup: WorkerSetup): Promise<BatchSettings> {
  const registry = createBuiltinRegistry();
  if (setup.pluginModules.length > 0) {
    await loadPlugins(setup.pluginModules, { file: "(worker)", dir: process.cwd() }, registry);
  }
  return {
    factors: setup.factors.map(({ id, options }) => ({ plugin: registry.factor(id), options })),
    seed: setup.seed,
    labelSource: setup.labelSource,
    clusterLevel: setup.clusterLevel,
  };
}
