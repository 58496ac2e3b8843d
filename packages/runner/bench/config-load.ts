// What loading a config costs, by format, in a "type": "commonjs" project (what `npm init -y`
// writes): each load in a fresh Node process, so the first load's costs (jiti and its parser for
// .ts, .mts and .js; Node's own import for .mjs; JSON.parse for .json) are all counted.
// Run: `npm run bench` at the root, or `node packages/runner/bench/config-load.ts [runs]` after a
// build. Not a test: it prints figures.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? 9);
const runner = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const dir = await mkdtemp(join(tmpdir(), "profilekit-config-bench-"));
const config = {
  task: "summarization",
  data: { path: "./pairs.jsonl" },
  factors: ["length", "novelty"],
  scoring: { bootstrap: 1000, seed: 1 },
  out: "runs/bench",
};
const formats: Record<string, string> = {
  "profilekit.config.ts": `import type { ConfigInput } from "profilekit";\n\nexport default ${JSON.stringify(config)} satisfies ConfigInput;\n`,
  "profilekit.config.mts": `const config: { task: string } = ${JSON.stringify(config)};\nexport default config;\n`,
  "profilekit.config.js": `export default ${JSON.stringify(config)};\n`,
  "profilekit.config.mjs": `export default ${JSON.stringify(config)};\n`,
  "profilekit.config.json": JSON.stringify(config),
};
try {
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "bench", type: "commonjs" }));
  await writeFile(join(dir, "pairs.jsonl"), "");
  // Prints the milliseconds of one loadConfig, the runner itself already imported.
  const probe = `const { loadConfig } = await import(${JSON.stringify(runner)});
const start = performance.now();
await loadConfig(process.argv[1]);
console.log(performance.now() - start);`;
  console.log(
    `config load in a fresh process, "type": "commonjs" project, median of ${runs} (Node ${process.version})`,
  );
  for (const [name, text] of Object.entries(formats)) {
    const file = join(dir, name);
    await writeFile(file, text);
    const times = Array.from({ length: runs }, () =>
      Number(
        execFileSync(process.execPath, ["--input-type=module", "-e", probe, file], { encoding: "utf8" }),
      ),
    ).sort((a, b) => a - b);
    console.log(`${name.padEnd(24)} ${times[Math.floor(runs / 2)]!.toFixed(1).padStart(7)} ms`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
