import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Profile, ProfileSchema } from "@profilekit/core";
import { z } from "zod";

/** The part of a stage's manifest.json that resume reads. */
const StageManifestSchema = z.looseObject({ configHash: z.string() });

async function readJsonOrUndefined(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * A stage folder's results when the stage finished for the same inputs: its profile.json is
 * valid and its manifest.json (written last) carries `configHash`. Anything else (a missing
 * or unreadable file, another hash) means the stage has to run.
 */
export async function finishedStage(
  dir: string,
  configHash: string,
): Promise<{ profile: Profile; manifest: Record<string, unknown> } | undefined> {
  const manifest = StageManifestSchema.safeParse(await readJsonOrUndefined(join(dir, "manifest.json")));
  if (!manifest.success || manifest.data.configHash !== configHash) return undefined;
  const profile = ProfileSchema.safeParse(await readJsonOrUndefined(join(dir, "profile.json")));
  return profile.success ? { profile: profile.data, manifest: manifest.data } : undefined;
}
