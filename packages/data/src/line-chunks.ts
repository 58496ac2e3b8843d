const newline = 10;

/** Where a chunk of JSON Lines starts in its file. */
export interface LinePosition {
  /** The 1-based number of the chunk's first line. */
  readonly line: number;
  /** The 0-based record index of the chunk's first non-blank line. */
  readonly index: number;
}

export const fileStart: LinePosition = { line: 1, index: 0 };

/**
 * Cuts a byte stream into chunks of whole lines (the last one may lack its newline) of at
 * least `minBytes`, except the last; a line may span any number of input buffers. A chunk can
 * be parsed on its own, in any thread; parsing it from its position gives the next chunk's
 * position (see `recordsOfChunk`). With a `pool`, every chunk is copied into a buffer of its
 * own from the pool (a view over the buffer's start), which can move to another thread and
 * come back to the pool for the next chunk.
 */
export async function* lineChunks(
  bytes: AsyncIterable<Uint8Array>,
  minBytes: number,
  pool?: ChunkBufferPool,
): AsyncGenerator<Uint8Array> {
  /** One chunk of the parts: a pooled copy, or the part itself when it is alone, else a concatenation. */
  const joined = (parts: Uint8Array[]) =>
    pool ? pool.copyOf(parts) : parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const buffer of bytes) {
    const lastNewline = buffer.lastIndexOf(newline);
    if (lastNewline < 0 || pendingBytes + lastNewline + 1 < minBytes) {
      pending.push(buffer);
      pendingBytes += buffer.length;
      continue;
    }
    yield joined([...pending, buffer.subarray(0, lastNewline + 1)]);
    pending = lastNewline + 1 < buffer.length ? [buffer.subarray(lastNewline + 1)] : [];
    pendingBytes = buffer.length - lastNewline - 1;
  }
  if (pendingBytes > 0) yield joined(pending);
}

/**
 * Buffers for chunks, reused: a long read would otherwise allocate a fresh megabyte per chunk,
 * and the allocator keeps much of what it frees, so peak memory grows with the file.
 */
export class ChunkBufferPool {
  readonly #free: ArrayBuffer[] = [];
  readonly #minBytes: number;
  readonly #maxKept: number;

  /** Buffers hold at least `minBytes`; at most `maxKept` free ones are kept. */
  constructor(minBytes: number, maxKept: number) {
    this.#minBytes = minBytes;
    this.#maxKept = maxKept;
  }

  /** The parts, copied one after another into a pooled buffer; the view starts at the buffer's start. */
  copyOf(parts: readonly Uint8Array[]): Uint8Array {
    let length = 0;
    for (const part of parts) length += part.length;
    const buffer = this.take(length);
    let at = 0;
    for (const part of parts) {
      buffer.set(part, at);
      at += part.length;
    }
    return buffer.subarray(0, length);
  }

  /** Gives back the buffer under a view from `copyOf` once nothing reads it any more (it may have travelled to another thread and back). */
  release(view: Uint8Array): void {
    const { buffer } = view;
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0 && this.#free.length < this.#maxKept) {
      this.#free.push(buffer);
    }
  }

  /** A whole pooled buffer of at least `length` bytes (a view over all of it). */
  take(length: number): Uint8Array {
    const index = this.#free.findIndex((buffer) => buffer.byteLength >= length);
    if (index >= 0) return new Uint8Array(this.#free.splice(index, 1)[0]!);
    // Room for a chunk's usual overshoot (the rest of the last read), so most buffers fit every chunk.
    return new Uint8Array(Math.max(length, Math.ceil(this.#minBytes * 1.25)));
  }
}

/** Calls `visit(start, end)` for each line of `bytes`, newline excluded; a last line without newline counts. */
export function forEachLine(bytes: Uint8Array, visit: (start: number, end: number) => void): void {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(newline, start);
    if (end < 0) end = bytes.length;
    visit(start, end);
    start = end + 1;
  }
}

/**
 * Whether a line holds only whitespace (as `String#trim` sees it). A line starting with a
 * printable ASCII byte, as every JSON record does, is decided by that byte alone.
 */
export function isBlankLine(bytes: Uint8Array, start: number, end: number): boolean {
  if (start === end) return true;
  const first = bytes[start]!;
  if (first > 32 && first < 0x80) return false;
  return (
    Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
      .toString("utf8")
      .trim().length === 0
  );
}

/** Cuts a chunk of whole lines into consecutive chunks of whole lines of about `bytes` each (a longer line stays whole); views, not copies. */
export function* slicesOf(chunk: Uint8Array, bytes: number): Generator<Uint8Array> {
  let start = 0;
  while (start < chunk.length) {
    const newlineAt = start + bytes >= chunk.length ? -1 : chunk.indexOf(newline, start + bytes);
    const end = newlineAt < 0 ? chunk.length : newlineAt + 1;
    yield chunk.subarray(start, end);
    start = end;
  }
}
