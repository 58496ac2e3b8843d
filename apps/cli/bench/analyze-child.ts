// Runs one `analyze` in this process and reports its peak resident memory, so the
// benchmark measures the CLI alone and not the generator that made its input.
import { Writable } from "node:stream";
import { main } from "../dist/main.js";

const [file, out] = process.argv.slice(2) as [string, string];
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const code = await main(["analyze", file, "--factors", "length", "--out", out, "--quiet"], {
  stdout: sink,
  stderr: process.stderr,
});
process.stdout.write(`${JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
