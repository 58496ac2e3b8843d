import type { ClusterLevel, Pair } from "@profilekit/spec";
import type { ReadContext } from "../read-context.js";

/** The task ids presets map to (see the task adapters). */
export type PresetTask = "summarization" | "instruction-following" | "document-qa";

/** What `profilekit presets` shows about a preset. */
export interface PresetInfo {
  readonly name: string;
  readonly title: string;
  /** The task of every pair it reads; undefined when the file says (canonical). */
  readonly task: PresetTask | undefined;
  readonly description: string;
  readonly license: string;
  /** The data files it reads inside the dataset directory. */
  readonly files: readonly string[];
  /**
   * The dataset's natural cluster level: the coarsest unit within which its pairs depend on
   * each other, which the bootstrap and the sign-flip test should resample (core's clusterKeyOf).
   */
  readonly clusterLevel: ClusterLevel;
  /** Why that level, in a sentence (the dataset's structure). */
  readonly clusterReason: string;
}

/** A preset: its description, and how it turns a file or directory into batches of pairs. */
export interface Preset extends PresetInfo {
  read(path: string, context: ReadContext): AsyncIterable<Pair[]>;
}
