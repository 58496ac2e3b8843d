/**
 * The benchmark's mock server, in a worker thread so that its work does not
 * share the client's event loop (a real server runs elsewhere). Messages:
 * in  {type: 'faults', on} | {type: 'reset'} | {type: 'stats'} | {type: 'close'}
 * out {type: 'ready', baseURL} | {type: 'stats', stats, answers: [pair, count][]} | {type: 'closed'}
 */
import { parentPort, workerData } from "node:worker_threads";
import { type MockHandler, type MockReply, startMockServer } from "@profilekit/llm/testing";

const { latencyMs, faultRate, seed } = workerData as { latencyMs: number; faultRate: number; seed: number };
const port = parentPort!;

/** A uniform [0, 1) from (seed, n): the fault pattern depends on the request number, not on timing. */
function uniform(n: number): number {
  let t = (seed + Math.imul(n, 0x9e3779b9)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function answerFor(pair: number): MockReply {
  return {
    json: {
      fluency: { a: 1 + (pair % 5), b: 5 - (pair % 5) },
      hallucination: { a: pair % 3, b: 0 },
      intentAlignment: "a",
    },
  };
}

const answers = new Map<number, number>();
let faults = false;
const handler: MockHandler = (request) => {
  const pair = Number(/pair (\d+)/.exec(request.messages.at(-1)!.content)![1]);
  if (faults) {
    const roll = uniform(request.index);
    if (roll < faultRate / 3) return { fault: "rate-limit", retryAfterSeconds: 1 };
    if (roll < (2 * faultRate) / 3) return { fault: "server-error" };
    if (roll < faultRate) return { fault: "reset" };
  }
  answers.set(pair, (answers.get(pair) ?? 0) + 1);
  return answerFor(pair);
};

const server = await startMockServer({ handler, latencyMs });
port.on("message", async (message: { type: string; on?: boolean }) => {
  if (message.type === "faults") faults = message.on === true;
  if (message.type === "reset") {
    server.reset();
    answers.clear();
  }
  if (message.type === "stats")
    port.postMessage({ type: "stats", stats: server.stats, answers: [...answers] });
  if (message.type === "close") {
    await server.close();
    port.postMessage({ type: "closed" });
    port.close();
  }
});
port.postMessage({ type: "ready", baseURL: server.openaiBaseURL });
