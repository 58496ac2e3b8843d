#!/usr/bin/env -S node --max-semi-space-size=4
// The `profilekit` command. The CLI is compiled to dist/; this file is committed, so npm can
// link the command when it installs the workspace, before the first build.
// --max-semi-space-size=4 (MB) caps V8's young generation, which on a large machine grows to
// about 48 MB per thread while reading a large file and is most of a long run's memory; the
// cost is more, shorter young-generation collections (see docs/performance.md).
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
