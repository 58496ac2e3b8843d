#!/usr/bin/env node
import { main } from "./main.js";

// Output piped into a reader that stops early (`profilekit factors | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Ctrl-C stops a run cleanly: the stage's model calls are aborted, what came back is in the cache,
// and nothing partial is published. A second Ctrl-C exits at once.
const interrupt = new AbortController();
process.on("SIGINT", () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write("\ninterrupting: stopping the model calls in flight (Ctrl-C again to quit at once)\n");
  interrupt.abort(new Error("interrupted by Ctrl-C"));
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
});
