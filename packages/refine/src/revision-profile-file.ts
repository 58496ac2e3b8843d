import { ProfileSchema } from "@profilekit/core";
import { RevisionSummarySchema } from "@profilekit/spec";
import type { z } from "zod";

/** revision-profile.json: the profile of every (final, first draft) pair labelled "final preferred", and `revision`. */
export const RevisionProfileSchema = ProfileSchema.extend({ revision: RevisionSummarySchema });
export type RevisionProfile = z.infer<typeof RevisionProfileSchema>;
