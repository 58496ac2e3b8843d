// Runs one `analyze` in this process and reports its peak resident memory, so the
// benchmark measures the CLI alone and not the generator that made its input.
import { Writable } from "node:stream";
import { main } from "../dist/main.js";
import { automaticThreads } from "../dist/threaded-analysis.js";

const [file, out, ...extra] = process.argv.slice(2) as [string, string, ...string[]];
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const code = await main(["analyze", file, "--factors", "length", "--out", out, "--quiet", ...extra], {
  stdout: sink,
  stderr: process.stderr,
});
const threadsFlag = extra.indexOf("--threads");
const threads = threadsFlag >= 0 ? Number(extra[threadsFlag + 1]) : await automaticThreads(file);
process.stdout.write(`${JSON.stringify({ code, threads, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
