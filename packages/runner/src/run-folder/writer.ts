import { readdir, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { type Profile, ProfileSchema } from "@profilekit/core";
import { type AtomicWriter, createAtomicWriter, writeFileAtomic, writeJsonl } from "@profilekit/data";
import type { Pair } from "@profilekit/spec";
import { writeToString } from "fast-csv";
import type { z } from "zod";
import { prepareOutputFolder } from "./output-folder.js";

/** Stable, pretty JSON with a trailing newline: the same data gives the same bytes. */
const toJsonFile = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

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
  "joint_coef",
  "joint_ci95_low",
  "joint_ci95_high",
  "length_controlled",
] as const;

/**
 * profile.csv: one row per factor, the same figures as profile.json, in its order, with the
 * attribution figures the terminal table prints beside tau (the joint-regression coefficient with
 * its interval, the length-controlled partial tau); empty where there is none.
 */
async function profileToCsv(profile: Profile): Promise<string> {
  const joint = new Map(profile.attribution?.jointRegression?.factors.map((f) => [f.factor, f]) ?? []);
  const controlled = new Map(profile.attribution?.lengthControlled?.map((f) => [f.factor, f]) ?? []);
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
    joint.get(f.factor)?.coefficient ?? null,
    joint.get(f.factor)?.ci95?.[0] ?? null,
    joint.get(f.factor)?.ci95?.[1] ?? null,
    controlled.get(f.factor)?.partialTauB ?? null,
  ]);
  return `${await writeToString([[...csvColumns], ...rows], { headers: false })}\n`;
}

/** A pair with its fields in the canonical order, absent ones left out: one line of pairs.jsonl. */
function canonicalPair(pair: Pair): Pair {
  return {
    id: pair.id,
    task: pair.task,
    ...(pair.source === undefined ? {} : { source: pair.source }),
    ...(pair.prompt === undefined ? {} : { prompt: pair.prompt }),
    a: pair.a,
    b: pair.b,
    label: pair.label,
    ...(pair.group === undefined ? {} : { group: pair.group }),
    ...(pair.meta === undefined ? {} : { meta: pair.meta }),
  };
}

/** A streamed line file of a run (manifestations.jsonl, labels.jsonl), published whole or not at all. */
export interface LineSink {
  write(lines: string | Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** The files a reader looks at first, listed first. */
const leadingFiles = ["profile.json", "profile.csv", "labels.jsonl", "manifestations.jsonl"];

const noSink: LineSink = { write: async () => {}, commit: async () => {}, abort: async () => {} };

/**
 * The one writer of run folders. Every file is written under a temporary name and renamed into
 * place whole; manifest.json goes last, so a folder whose manifest.json is present finished. A
 * writer without a folder (a library call without `out`) writes nothing, through the same calls.
 */
export class RunFolderWriter {
  readonly dir: string | undefined;
  readonly #created: boolean;
  readonly #written: string[] = [];

  private constructor(dir: string | undefined, created: boolean) {
    this.dir = dir;
    this.#created = created;
  }

  /**
   * Opens the folder `dir`, creating it when needed and checking that it takes files, before any
   * work is done (`invalid_output_folder` otherwise); undefined writes nothing.
   */
  static async open(dir: string | undefined): Promise<RunFolderWriter> {
    if (dir === undefined) return new RunFolderWriter(undefined, false);
    return new RunFolderWriter(dir, await prepareOutputFolder(dir));
  }

  /** The files written so far: the profile's, the labels', the manifestations', then the rest in the order written. */
  get files(): readonly string[] {
    const first = leadingFiles.filter((name) => this.#written.includes(name));
    return [...first, ...this.#written.filter((name) => !leadingFiles.includes(name))];
  }

  lines(name: string): LineSink {
    if (this.dir === undefined) return noSink;
    const writer: AtomicWriter = createAtomicWriter(join(this.dir, name));
    return {
      write: (lines) => writer.write(lines),
      commit: async () => {
        await writer.commit();
        this.#written.push(name);
      },
      abort: () => writer.abort(),
    };
  }

  /** profile.json (checked against `schema`, which may extend ProfileSchema with a setting's blocks) and profile.csv. */
  async profile<P extends Profile>(
    profile: P,
    schema: z.ZodType<P> = ProfileSchema as unknown as z.ZodType<P>,
  ): Promise<P> {
    const checked = schema.parse(profile);
    if (this.dir === undefined) return checked;
    await writeFileAtomic(join(this.dir, "profile.csv"), await profileToCsv(checked));
    await writeFileAtomic(join(this.dir, "profile.json"), toJsonFile(checked));
    this.#written.push("profile.json", "profile.csv");
    return checked;
  }

  /** A JSON Lines file of records, in order. */
  async records(name: string, rows: Iterable<unknown> | AsyncIterable<unknown>): Promise<void> {
    if (this.dir === undefined) return;
    await writeJsonl(join(this.dir, name), rows);
    this.#written.push(name);
  }

  /** pairs.jsonl: the pairs in the canonical format, in order. */
  async pairs(pairs: Iterable<Pair>): Promise<void> {
    await this.records(
      "pairs.jsonl",
      (function* () {
        for (const pair of pairs) yield canonicalPair(pair);
      })(),
    );
  }

  /**
   * A JSON file (no timestamps: the same run gives the same bytes): pretty, or on one line for
   * data that only programs read (groups.json's long arrays of counts).
   */
  async json(name: string, value: unknown, layout: "pretty" | "compact" = "pretty"): Promise<void> {
    if (this.dir === undefined) return;
    await writeFileAtomic(
      join(this.dir, name),
      layout === "pretty" ? toJsonFile(value) : `${JSON.stringify(value)}\n`,
    );
    this.#written.push(name);
  }

  /** A text file, as given (a config stanza for another tool, say). */
  async text(name: string, content: string): Promise<void> {
    if (this.dir === undefined) return;
    await writeFileAtomic(join(this.dir, name), content);
    this.#written.push(name);
  }

  /** After a failure: removes the folder again when this writer created it and it is still empty. */
  async abandon(): Promise<void> {
    if (this.dir === undefined || !this.#created) return;
    try {
      if ((await readdir(this.dir)).length === 0) await rmdir(this.dir);
    } catch {
      // Leaving an empty folder behind is harmless; the error that stopped the run matters more.
    }
  }
}
