import { z } from "zod";

/**
 * m in PROFILE's notation: +1 when response `a` shows more of the factor than
 * `b`, -1 when less, 0 when equal, null when it could not be measured.
 */
export const SignSchema = z.union([z.literal(-1), z.literal(0), z.literal(1)]).nullable();
export type Sign = z.infer<typeof SignSchema>;

/** One factor measured on one pair. */
export const ManifestationSchema = z.object({
  pairId: z.string().min(1),
  factor: z.string().min(1),
  valueA: z.number().nullable().optional().describe("The factor's value on response a."),
  valueB: z.number().nullable().optional().describe("The factor's value on response b."),
  sign: SignSchema,
  error: z.string().optional().describe("Why the sign is null, when it is."),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type Manifestation = z.infer<typeof ManifestationSchema>;

/** The sign of a difference, with NaN and non-finite values treated as not measured. */
export function signOfDifference(valueA: number, valueB: number): Sign {
  const difference = valueA - valueB;
  if (Number.isNaN(difference)) return null;
  return difference > 0 ? 1 : difference < 0 ? -1 : 0;
}
