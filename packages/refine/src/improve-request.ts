import type { ProfileInput } from "@profilekit/runner";
import { ModelSpecSchema } from "@profilekit/runner";
import { ModelStageFields } from "@profilekit/runner/stage-kit";
import { ImproveMethodSchema } from "@profilekit/spec";
import { z } from "zod";

const isProfileInput = (value: unknown): value is ProfileInput =>
  typeof value === "object" && value !== null && "profile" in value && "file" in value;

/**
 * What `improve` is asked: a method, the generator (`model`), the human profile it aims at, and
 * the fields of every model stage (pairs, factors, extractor, scoring, cache, out, ...). Parsed
 * once, at the library's edge.
 */
export const ImproveRequestSchema = z
  .strictObject({
    ...ModelStageFields,
    method: ImproveMethodSchema,
    /**
     * The human profile: a profile.json or the run folder holding it (its groups.json beside it,
     * for the paired intervals), or a profile read already (with `groupCounts`).
     */
    human: z.union([
      z.string().min(1),
      z.custom<ProfileInput>(isProfileInput, { message: "human is a profile.json path or a ProfileInput" }),
    ]),
    /** Who critiques (feedback) or judges (self-data): the generator itself, or another model. */
    evaluator: z.union([z.literal("self"), ModelSpecSchema]).default("self"),
    /** K: responses per input, aimed at scores 1..K, before and after. */
    levels: z.int().min(2).max(20).default(5),
    /** Only the first `limit` distinct inputs. */
    limit: z.int().min(1).optional(),
    /** feedback: the most critique-and-revise rounds per response. */
    rounds: z.int().min(1).max(10).default(2),
    /** self-data: responses sampled per training input. */
    samples: z.int().min(2).max(20).default(4),
    /** self-data: the temperature the samples are drawn at. */
    temperature: z.number().min(0).max(2).default(1),
    /** self-data: the share of inputs held out of the data (for `after`). */
    heldOut: z.number().gt(0).lt(1).default(0.2),
    /** guided: how many of the human profile's strongest factors the guidance names. */
    guidanceFactors: z.int().min(1).max(20).default(3),
    /** after: the self-data run folder (its split.json and its baseline before/). */
    from: z.string().min(1).optional(),
    /** B of the paired bootstrap behind improvement.json's intervals. */
    replicates: z.int().min(0).max(1_000_000).default(2000),
  })
  .superRefine((request, context) => {
    if (request.method === "after" && request.from === undefined) {
      context.addIssue({
        code: "custom",
        path: ["from"],
        message: "method after measures a tuned model against a self-data run: give its folder",
      });
    }
    if (request.method !== "after" && request.from !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["from"],
        message: "only method after reads a self-data run",
      });
    }
  });
export type ImproveRequest = z.input<typeof ImproveRequestSchema>;
export type ParsedImproveRequest = z.output<typeof ImproveRequestSchema>;
