import { startMockServer, createFakeModel } from "@profilekit/llm/testing";
import { main } from "./dist/main.js";
const server = await startMockServer({ handler: createFakeModel({ measure: (_k, t) => t.trim().length }) });
const io = { stdout: process.stdout, stderr: process.stderr };
const args = process.argv.slice(2).map((a) => a === "URL" ? server.openaiBaseURL : a);
const code = await main(args, io);
console.error("exit", code, "requests", server.stats.requests);
await server.close();
