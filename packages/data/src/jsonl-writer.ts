import { createAtomicWriter } from "./atomic-write.js";

const flushAt = 1 << 16;

/**
 * Writes records as JSON Lines, atomically (see {@link createAtomicWriter}),
 * streaming them in blocks of about 64 KiB. Returns the number of records.
 * `writeJsonl("pairs.jsonl", readPairs("data", { preset: "autoj" }))` converts
 * a dataset to the canonical format.
 */
export async function writeJsonl(
  path: string,
  records: Iterable<unknown> | AsyncIterable<unknown>,
): Promise<number> {
  const writer = createAtomicWriter(path);
  let count = 0;
  let block = "";
  try {
    for await (const record of records) {
      block += `${JSON.stringify(record)}\n`;
      count++;
      if (block.length >= flushAt) {
        await writer.write(block);
        block = "";
      }
    }
    if (block.length > 0) await writer.write(block);
    await writer.commit();
    return count;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
