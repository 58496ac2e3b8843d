import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Profile, ProfileSchema } from "@profilekit/core";
import { z } from "zod";

const ManifestSchema = z.looseObject({});

async function readJsonOrUndefined(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** A stage folder's valid profile.json and manifest.json; undefined when either is missing or invalid. */
export async function readStageFolder(
  dir: string,
): Promise<{ profile: Profile; manifest: Record<string, unknown> } | undefined> {
  const manifest = ManifestSchema.safeParse(await readJsonOrUndefined(join(dir, "manifest.json")));
  if (!manifest.success) return undefined;
  const profile = ProfileSchema.safeParse(await readJsonOrUndefined(join(dir, "profile.json")));
  return profile.success ? { profile: profile.data, manifest: manifest.data } : undefined;
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
  const stage = await readStageFolder(dir);
  return stage?.manifest.configHash === configHash ? stage : undefined;
}
