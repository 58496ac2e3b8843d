/**
 * The extraction benchmark's mock server, answering as the scripted fake
 * model, in a worker thread so that its work does not share the client's
 * event loop (a real server runs elsewhere). Messages:
 * in  {type: 'reset'} | {type: 'stats'} | {type: 'close'}
 * out {type: 'ready', baseURL} | {type: 'stats', stats} | {type: 'closed'}
 */
import { parentPort, workerData } from "node:worker_threads";
import { createFakeModel, startMockServer } from "@profilekit/llm/testing";

const { latencyMs } = workerData as { latencyMs: number };
const port = parentPort!;
const server = await startMockServer({ handler: createFakeModel(), latencyMs });
port.on("message", async (message: { type: string }) => {
  if (message.type === "reset") server.reset();
  if (message.type === "stats") port.postMessage({ type: "stats", stats: server.stats });
  if (message.type === "close") {
    await server.close();
    port.postMessage({ type: "closed" });
    port.close();
  }
});
port.postMessage({ type: "ready", baseURL: server.openaiBaseURL });
