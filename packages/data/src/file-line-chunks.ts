import { open } from "node:fs/promises";
import type { ChunkBufferPool } from "./line-chunks.js";

const newline = 10;

/**
 * Chunks of whole lines of an uncompressed file, of at least `minBytes` (except the last), read
 * straight into buffers from `pool` with no copy but the end of a line cut by a read. The next
 * read is in flight while the consumer works on a chunk. A UTF-8 byte order mark is skipped.
 * Each chunk is a view over the start of its own buffer, which the consumer gives back to the
 * pool; nothing here touches a chunk once it is yielded.
 */
export async function* fileLineChunks(
  path: string,
  minBytes: number,
  pool: ChunkBufferPool,
): AsyncGenerator<Uint8Array> {
  const handle = await open(path, "r");
  // The latest read; a consumer that stops early leaves one in flight, which must end before the file closes.
  let next: Promise<{ buffer: Uint8Array; filled: number; read: number }> | undefined;
  try {
    const head = new Uint8Array(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    let position = bytesRead === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    /** Starts filling a buffer that begins with `carry` (the cut end of a line) from the file. */
    const fill = (carry: Uint8Array) => {
      const buffer = pool.take(carry.length + minBytes);
      buffer.set(carry);
      const reading = handle.read(buffer, carry.length, buffer.length - carry.length, position);
      return reading.then(({ bytesRead: read }) => {
        position += read;
        return { buffer, filled: carry.length + read, read };
      });
    };
    next = fill(new Uint8Array(0));
    for (;;) {
      const { buffer, filled, read } = await next;
      if (read === 0) {
        if (filled > 0) yield buffer.subarray(0, filled);
        else pool.release(buffer);
        return;
      }
      const lastNewline = buffer.subarray(0, filled).lastIndexOf(newline);
      if (lastNewline < 0 || lastNewline + 1 < minBytes) {
        // No whole line yet (or too little): keep reading into a larger buffer.
        const carry = buffer.slice(0, filled);
        pool.release(buffer);
        next = fill(carry);
        continue;
      }
      // The cut line is copied out before the chunk is handed over, and the next read starts.
      next = fill(buffer.slice(lastNewline + 1, filled));
      yield buffer.subarray(0, lastNewline + 1);
    }
  } finally {
    await next?.catch(() => {});
    await handle.close();
  }
}
