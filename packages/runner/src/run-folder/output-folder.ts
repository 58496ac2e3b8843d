import { randomBytes } from "node:crypto";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ProfilekitError } from "@profilekit/spec";

/** What each failure of making or writing a folder means, for the message. */
const reasons: Readonly<Record<string, string>> = {
  ENOTDIR: "a file stands where a folder is needed",
  EEXIST: "a file of that name exists",
  ENOENT: "the parent cannot hold folders (a virtual file system such as /proc)",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted (a read-only or virtual file system)",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is exhausted",
  ENAMETOOLONG: "the path is too long",
};

function notWritable(dir: string, at: string, error: NodeJS.ErrnoException): ProfilekitError {
  const code = error.code ?? "unknown";
  const reason = reasons[code] ?? error.message;
  return new ProfilekitError(
    "invalid_output_folder",
    `cannot write the output folder ${dir}: ${at === dir ? "" : `at ${at}, `}${reason} (${code})`,
    {
      location: { file: dir },
      hint: "choose another --out (or `out` in the config): a folder you can write, or one that can be created",
    },
  );
}

/**
 * Makes sure `dir` is a folder this process can write, creating it (and its missing parents) when
 * needed, before any work is done: a path that is a file, on a virtual or read-only file system, or
 * without permission fails at once with `invalid_output_folder`, naming the path and the reason.
 * Folders are created one level at a time (a recursive mkdir loops forever under /proc), and a
 * probe file written and removed proves the folder can take files. Returns whether it created `dir`.
 */
export async function prepareOutputFolder(dir: string): Promise<boolean> {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let at = target; ; at = dirname(at)) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(at)).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw notWritable(dir, at, error as NodeJS.ErrnoException);
      missing.unshift(at);
      if (dirname(at) === at) break;
      continue;
    }
    if (!isFolder) throw notWritable(dir, at, Object.assign(new Error("not a folder"), { code: "ENOTDIR" }));
    break;
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST")
        throw notWritable(dir, folder, error as NodeJS.ErrnoException);
    }
  }
  const probe = join(target, `.profilekit-write-test-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(probe, "");
  } catch (error) {
    throw notWritable(dir, target, error as NodeJS.ErrnoException);
  }
  await rm(probe, { force: true });
  return missing.includes(target);
}
