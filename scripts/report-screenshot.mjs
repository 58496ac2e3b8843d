#!/usr/bin/env node
// Makes the README's report screenshot (docs/images/report-screenshot.png) from the bundled
// data. The human setting is real: SummEval's expert labels (data/summeval-subset.jsonl.gz)
// with the rule-based factors. No real model is available here, so the evaluation and
// generation settings are played by profilekit's FAKE model on a local mock server
// (@profilekit/llm/testing): their numbers are placeholders, not findings, and the report's
// title says so. Needs a build and Debian's chromium:
//   npm run build && node scripts/report-screenshot.mjs [out.png]
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = process.argv[2] ?? join(root, "docs/images/report-screenshot.png");
const { createFakeModel, startMockServer } = await import(join(root, "packages/llm/dist/testing/index.js"));
const { main } = await import(join(root, "apps/cli/dist/main.js"));
const { writeReport } = await import(join(root, "packages/report/dist/index.js"));
const { chromium } = await import("playwright-core");

const work = await mkdtemp(join(tmpdir(), "profilekit-report-screenshot-"));
const server = await startMockServer({ handler: createFakeModel() });
try {
  const config = {
    task: "summarization",
    data: { path: join(root, "data/summeval-subset.jsonl.gz") },
    models: {
      judge: "openai:fake-test-model",
      generator: "openai:fake-test-model",
      defaults: { baseURL: server.openaiBaseURL },
    },
    settings: { human: true, evaluation: {}, generation: { levels: 4 } },
    scoring: { seed: 1 },
    out: "study",
  };
  await writeFile(join(work, "profilekit.config.json"), JSON.stringify(config, null, 2));
  process.env.OPENAI_API_KEY ??= "fake-key-for-the-mock-server";
  const quiet = { write: () => true };
  const code = await main(["run", "--config", join(work, "profilekit.config.json")], {
    stdout: quiet,
    stderr: process.stderr,
  });
  if (code !== 0) throw new Error(`profilekit run exited with ${code}`);
  const report = await writeReport([join(work, "study")], {
    out: join(work, "report.html"),
    title: "SummEval subset: human labels (real) against profilekit's FAKE test model",
    caption:
      "Human setting: SummEval's expert ratings on the bundled subset, rule-based factors. Evaluation and generation: profilekit's fake model on a local mock server, used because no real model is available here; its numbers are placeholders, not findings.",
  });
  const browser = await chromium.launch({
    executablePath: process.env.PROFILEKIT_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route("**/*", (route) =>
      route.request().url().startsWith("file:") ? route.continue() : route.abort(),
    );
    await page.goto(pathToFileURL(report.html).href);
    // The header, the summary and the first charts.
    await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1280, height: 2000 }, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${out}`);
} finally {
  await server.close();
  await rm(work, { recursive: true, force: true });
}
