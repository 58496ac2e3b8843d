import { defineResponseFactor } from "@profilekit/spec";
import { z } from "zod";
import { countMarkers, defaultMarkers, words } from "./markers.js";

export const PolitenessOptionsSchema = z.strictObject({
  /** The markers counted, each one or more words ("would you"); matched on lowercased words. */
  markers: z
    .array(z.string().trim().min(1, "a marker needs at least one word"))
    .min(1)
    .default([...defaultMarkers]),
});
export type PolitenessOptions = z.infer<typeof PolitenessOptionsSchema>;

/** Politeness markers per 100 words: more = more polite wording. */
export const politenessFactor = defineResponseFactor({
  id: "politeness",
  title: "Politeness markers per 100 words",
  definition:
    "More = more politeness markers (please, thank, sorry, excuse me, would you, could you, ...) per 100 " +
    "words of the response. Not measured when the response has no words.",
  reference:
    "Simplified from the politeness strategies of Danescu-Niculescu-Mizil et al. 2013, " +
    '"A computational approach to politeness with application to social factors" (ACL 2013).',
  options: PolitenessOptionsSchema,
  prepare: (_pair, options) => options.markers.map(words),
  measure: (text, { prepared: markers }) => {
    const tokens = words(text);
    if (tokens.length === 0) return null;
    return (100 * countMarkers(tokens, markers)) / tokens.length;
  },
});

export default politenessFactor;
