import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { chmod, type FileHandle, open, rename, rm, stat } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { basename, dirname, join } from "node:path";

/**
 * A file written under a temporary name in its directory and renamed over
 * `path` on `commit`, so readers see the old file or the whole new one, never
 * a part. Until `commit`, an existing file at `path` is untouched.
 */
export interface AtomicWriter {
  /** The final path. */
  readonly path: string;
  /** The temporary file: `.<name>.<pid>.<random>.tmp` beside `path`. */
  readonly tempPath: string;
  /** Writes a chunk; the promise waits for the stream to drain when its buffer is full. */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Flushes, fsyncs and renames the temporary file over `path`. Removes it if any step fails. */
  commit(): Promise<void>;
  /** Removes the temporary file; `path` stays as it was. Safe to call twice, or after a failed commit. */
  abort(): Promise<void>;
}

/** Starts an atomic write of `path`; the temporary file is created on the first write or commit. */
export function createAtomicWriter(path: string): AtomicWriter {
  const tempPath = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
  let stream: WriteStream | undefined;
  let failure: Error | undefined;
  let state: "open" | "committed" | "aborted" = "open";

  const start = () => {
    if (stream === undefined) {
      // `flush` fsyncs the file before it is closed, so the rename publishes durable data.
      stream = createWriteStream(tempPath, { flags: "wx", flush: true, highWaterMark: 1 << 20 });
      // Remembered here, thrown by the next write or commit.
      stream.on("error", (error) => {
        failure ??= error;
      });
    }
    return stream;
  };
  const ensureOpen = (action: string) => {
    if (state !== "open") throw new Error(`cannot ${action} ${path}: the atomic write was already ${state}`);
  };
  const removeTemp = async () => {
    if (stream === undefined) return;
    stream.destroy();
    await finished(stream).catch(() => {});
    await rm(tempPath, { force: true });
  };

  return {
    path,
    tempPath,
    async write(chunk) {
      ensureOpen("write to");
      const out = start();
      if (failure) throw failure;
      if (!out.write(chunk)) await once(out, "drain");
    },
    async commit() {
      ensureOpen("commit");
      try {
        const out = start();
        if (failure) throw failure;
        out.end();
        await finished(out);
        const mode = await existingMode(path);
        if (mode !== undefined) await chmod(tempPath, mode);
        await rename(tempPath, path);
        state = "committed";
        await syncDirectory(dirname(path));
      } catch (error) {
        if (state === "open") {
          state = "aborted";
          await removeTemp();
        }
        throw error;
      }
    },
    async abort() {
      if (state !== "open") return;
      state = "aborted";
      await removeTemp();
    },
  };
}

/** Writes `data` to `path` atomically: the old file or the whole new one, never a part. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  const writer = createAtomicWriter(path);
  try {
    if (typeof data === "string" || data instanceof Uint8Array) {
      await writer.write(data);
    } else {
      for await (const chunk of data) await writer.write(chunk);
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** The permission bits of an existing file, so that replacing it keeps them. */
async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** Makes the rename durable; directories cannot be opened for fsync on every platform, so failure is ignored. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // Best effort.
  } finally {
    await handle?.close().catch(() => {});
  }
}
