#!/usr/bin/env node
// The `profilekit` command. The CLI is compiled to dist/; this file is committed, so npm can
// link the command when it installs the workspace, before the first build.
import { existsSync } from "node:fs";

const entry = new URL("../dist/bin.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("profilekit is not built yet: run `npm run build` at the repository root first.\n");
  process.exit(2);
}
await import(entry.href);
