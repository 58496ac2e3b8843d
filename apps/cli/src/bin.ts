#!/usr/bin/env node
import { main } from "./main.js";

// Output piped into a reader that stops early (`profilekit factors | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
