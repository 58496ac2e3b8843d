#!/usr/bin/env -S node --max-semi-space-size=16
// The `profilekit` command. The CLI is compiled to dist/; this file is committed, so npm can
// link the command when it installs the workspace, before the first build.
// --max-semi-space-size=16 (MB) caps V8's young generation, which on a large machine grows far
// beyond that per thread while reading a large file: a threaded run of 1M pairs then peaked
// at 310-450 MB and ran slower (see docs/performance.md).
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `profilekit needs Node.js 22.12 or later (24 recommended); this is ${process.versions.node}.\n`,
  );
  process.exit(2);
}
const entry = new URL("../dist/bin.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("profilekit is not built yet: run `npm run build` at the repository root first.\n");
  process.exit(2);
}
await import(entry.href);
