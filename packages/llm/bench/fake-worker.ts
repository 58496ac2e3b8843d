/**
 * The extraction benchmark's mock server, in a worker thread so that its work does not share
 * the client's event loop (a real server runs elsewhere). It answers as the scripted fake model
 * or, after {type: 'handler', name: 'random'}, with random instances of the schema it is sent.
 * in  {type: 'handler', name: 'fake' | 'random'} | {type: 'reset'} | {type: 'stats'} | {type: 'close'}
 * out {type: 'ready', baseURL} | {type: 'stats', stats} | {type: 'closed'}
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  createFakeModel,
  createSchemaRandomModel,
  type MockHandler,
  startMockServer,
} from "@profilekit/llm/testing";

const { latencyMs } = workerData as { latencyMs: number };
const port = parentPort!;
const handlers: Record<string, MockHandler> = {
  fake: createFakeModel(),
  random: createSchemaRandomModel({ seed: 7 }),
};
let handler = handlers.fake!;
const server = await startMockServer({ handler: (request) => handler(request), latencyMs });
port.on("message", async (message: { type: string; name?: string }) => {
  if (message.type === "handler") handler = handlers[message.name!]!;
  if (message.type === "reset") server.reset();
  if (message.type === "stats") port.postMessage({ type: "stats", stats: server.stats });
  if (message.type === "close") {
    await server.close();
    port.postMessage({ type: "closed" });
    port.close();
  }
});
port.postMessage({ type: "ready", baseURL: server.openaiBaseURL });
