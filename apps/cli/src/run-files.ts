import { join } from "node:path";
import { type Profile, ProfileSchema } from "@profilekit/core";
import { writeFileAtomic } from "@profilekit/data";
import { writeToString } from "fast-csv";
import type { z } from "zod";

/** Stable, pretty JSON with a trailing newline: the same data gives the same bytes. */
export const toJsonFile = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const csvColumns = [
  "factor",
  "tau",
  "ci95_low",
  "ci95_high",
  "concordant",
  "discordant",
  "factorTies",
  "preferenceTies",
  "missing",
  "pValue",
] as const;

/** profile.csv: one row per factor, the same figures as profile.json, in its order. */
export async function profileToCsv(profile: Profile): Promise<string> {
  const rows = profile.factors.map((f) => [
    f.factor,
    f.tau,
    f.ci95?.[0] ?? null,
    f.ci95?.[1] ?? null,
    f.concordant,
    f.discordant,
    f.factorTies,
    f.preferenceTies,
    f.missing,
    f.pValue,
  ]);
  return `${await writeToString([[...csvColumns], ...rows], { headers: false })}\n`;
}

/**
 * Writes profile.json (validated against its schema first) and profile.csv.
 * `schema` may extend ProfileSchema with a setting's own figures (judge's
 * `agreement`, generate's `generation`); they are kept in profile.json.
 */
export async function writeProfileFiles(
  outDir: string,
  profile: Profile,
  schema: z.ZodType<Profile> = ProfileSchema,
): Promise<string[]> {
  const checked = schema.parse(profile);
  await writeFileAtomic(join(outDir, "profile.csv"), await profileToCsv(checked));
  await writeFileAtomic(join(outDir, "profile.json"), toJsonFile(checked));
  return ["profile.json", "profile.csv"];
}
