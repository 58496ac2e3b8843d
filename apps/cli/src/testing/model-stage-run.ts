import {
  type MockHandler,
  type MockServer,
  type MockServerOptions,
  startMockServer,
} from "@profilekit/llm/testing";
import { afterEach } from "vitest";
import { type CliRun, runCli } from "./run-cli.js";

/**
 * Starts mock model servers for the tests of a file, each closed after its test.
 * Call once at the top of a test file; it returns the function that starts one.
 */
export function mockServers(): (
  handler: MockHandler,
  options?: Omit<MockServerOptions, "handler">,
) => Promise<MockServer> {
  const servers: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handler, options = {}) => {
    const server = await startMockServer({ ...options, handler });
    servers.push(server);
    return server;
  };
}

/**
 * Runs a model stage (`judge`, `generate`) on `file` with `openai:test-model` behind `server`:
 * the cache at `cache`, the factors length and novelty, no bootstrap or permutations, output
 * in `out`, then the `extra` arguments.
 */
export async function runModelStage(
  command: "judge" | "generate",
  file: string,
  server: MockServer,
  paths: { readonly cache: string; readonly out: string },
  extra: readonly string[],
): Promise<CliRun & { out: string }> {
  const run = await runCli([
    command,
    file,
    "--model",
    "openai:test-model",
    "--base-url",
    server.openaiBaseURL,
    "--cache-path",
    paths.cache,
    "--factors",
    "length,novelty",
    "--bootstrap",
    "0",
    "--permutations",
    "0",
    "--out",
    paths.out,
    ...extra,
  ]);
  return { ...run, out: paths.out };
}
