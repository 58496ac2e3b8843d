/**
 * The child of the resume test: N structured calls against the mock server
 * through the real client and cache. It prints `done <i>` after each call
 * returns (and so after its answer is committed to the cache), then
 * `complete <ok> <cacheHits>` at the end. Run with `--import ./run-source.ts`.
 */
import { z } from "zod";

type Llm = typeof import("../index.js");
const { createLanguageModel, createModelClient } = (await import(
  new URL("../index.js", import.meta.url).href
)) as Llm;

const baseURL = process.env.MOCK_BASE_URL!;
const cachePath = process.env.CACHE_PATH!;
const count = Number(process.env.CALLS);

const client = createModelClient({
  model: createLanguageModel("openai-compatible:resume-model", {
    baseURL,
    apiKey: "sk-resume-test-key-000000",
  }),
  cache: { path: cachePath },
  concurrency: 4,
});
const schema = z.object({ item: z.number().int() });
let ok = 0;
await Promise.all(
  Array.from({ length: count }, async (_, item) => {
    const result = await client.generateObject({
      schema,
      schemaName: "item",
      messages: [{ role: "user", content: `item ${item}` }],
      promptVersion: "resume-1",
      stage: "extract",
    });
    if (result.ok && result.value.item === item) ok += 1;
    process.stdout.write(`done ${item}\n`);
  }),
);
await client.close();
process.stdout.write(`complete ${ok} ${client.usage().total.cacheHits}\n`);
