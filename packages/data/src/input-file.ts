import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "./errors.js";

/**
 * Bytes read from disk at a time. 64 KiB keeps the per-chunk overhead small while each
 * chunk's parsed records (about a hundred) die young: with 1 MiB chunks thousands of
 * records outlive a scavenge, get promoted, and peak memory grows by about 100 MB.
 */
const chunkSize = 1 << 16;
/** How much of the start of a file is checked for being UTF-8 text. */
const sniffLength = 64 * 1024;

/** Fails with `file_not_found` or `unreadable_input` unless `path` exists; says whether it is a directory. */
export async function inspectPath(path: string, hint?: string): Promise<{ isDirectory: boolean }> {
  try {
    const info = await stat(path);
    return { isDirectory: info.isDirectory() };
  } catch (error) {
    throw fileSystemError(path, error, hint);
  }
}

/** Fails unless `path` is an existing file (not a directory). */
export async function requireFile(path: string): Promise<void> {
  const { isDirectory } = await inspectPath(path);
  if (isDirectory) {
    throw new InputError("unreadable_input", `${path} is a directory, not a file`, {
      location: { file: path },
      hint: "give the data file, or the --preset of the dataset in this directory",
    });
  }
}

function fileSystemError(path: string, error: unknown, hint?: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new InputError("file_not_found", `${path}: no such file or directory`, {
      location: { file: path },
      hint: hint ?? "check the path",
      cause: error,
    });
  }
  return new InputError("unreadable_input", `${path}: cannot be read (${(error as Error).message})`, {
    location: { file: path },
    hint: code === "EACCES" ? "check the file's permissions" : "check the path",
    cause: error,
  });
}

/**
 * The bytes of a file, read 64 KiB at a time and decompressed when it is gzip
 * (recognised by its magic bytes 1f 8b, whatever its name). The first chunk is
 * checked to be UTF-8 text: binary data (a NUL byte, or bytes that are not
 * UTF-8) fails with `unreadable_input` before any record is parsed.
 */
export async function* readBytes(path: string): AsyncGenerator<Buffer> {
  await requireFile(path);
  const gzip = await startsWithGzipMagic(path);
  const raw = createReadStream(path, { highWaterMark: chunkSize });
  const stream = gzip ? pipeline(raw, createGunzip({ chunkSize: 256 * 1024 }), () => {}) : raw;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        checkText(path, chunk);
        first = false;
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (gzip && (error as NodeJS.ErrnoException).code?.startsWith("Z_")) {
      throw new InputError("unreadable_input", `${path}: corrupt gzip data (${(error as Error).message})`, {
        location: { file: path },
        hint: "the file starts like gzip but does not decompress; is it truncated?",
        cause: error,
      });
    }
    throw fileSystemError(path, error);
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

/** Whether a file starts with gzip's magic bytes (1f 8b), whatever its name. */
export async function startsWithGzipMagic(path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (error) {
    throw fileSystemError(path, error);
  } finally {
    await handle?.close();
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function checkText(path: string, chunk: Buffer): void {
  const sample = chunk.subarray(0, sniffLength);
  const unreadable = (what: string, hint: string, line?: number) =>
    new InputError(
      "unreadable_input",
      `${path}${line === undefined ? "" : `:${line}`}: ${what}, not UTF-8 text`,
      {
        location: line === undefined ? { file: path } : { file: path, line },
        hint,
      },
    );
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw unreadable("UTF-16 text", "convert the file to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
  }
  const textHint = "profilekit reads UTF-8 JSONL, JSON, CSV or TSV, optionally gzip-compressed";
  const nul = sample.indexOf(0);
  if (nul >= 0) throw unreadable("binary data", textHint, lineAt(sample, nul));
  if (!isUtf8Prefix(sample)) {
    throw unreadable(
      "bytes that are not valid UTF-8",
      `${textHint}; convert other encodings to UTF-8 first`,
      firstUndecodableLine(sample),
    );
  }
}

/** The 1-based line of byte `offset`. */
function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** The first line of the sample that does not decode as UTF-8 (the last may be cut off mid-character). */
function firstUndecodableLine(bytes: Buffer): number | undefined {
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const isLast = end < 0;
    const slice = bytes.subarray(start, isLast ? bytes.length : end);
    if (!(isLast ? isUtf8Prefix(slice) : decodes(slice))) return line;
    if (isLast) break;
    start = end + 1;
  }
  return undefined;
}

/** Whether `bytes` is UTF-8, allowing a multi-byte character cut off at the end of the sample. */
function isUtf8Prefix(bytes: Buffer): boolean {
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    if (decodes(bytes.subarray(0, bytes.length - cut))) return true;
  }
  return false;
}

function decodes(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
