import { type Label, ProfilekitError, type Sign } from "@profilekit/spec";
import { cyrb53 } from "./hash.js";

/** How a null sign (not measured) is stored in the Int8Array sign columns. */
export const NULL_SIGN = 2;

/** The 53-bit number a group key is kept as (cyrb53); two keys sharing one are one group. */
export function groupHash(groupKey: string): number {
  return cyrb53(groupKey);
}

/** Pairs in columns, one entry per pair, for {@link ProfileAccumulator.addColumns}. */
export interface PairColumns {
  /** 1 when a is preferred, -1 when b is, 0 for a tie. */
  readonly preferences: Int8Array;
  /** {@link groupHash} of each pair's group key. */
  readonly groupHashes: Float64Array;
  /** One column per factor, in the order of `factorIds`: -1, 0, 1, or `NULL_SIGN` where not measured. */
  readonly signs: readonly Int8Array[];
}

const INITIAL_CAPACITY = 1024;

/**
 * Collects pairs for a profile, one `add` per pair, in memory that grows with the pair count
 * only: per pair one Int8 preference, one Int32 group index and one Int8 sign per factor.
 * Group keys are hashed to 53-bit numbers (cyrb53) and never stored, so per-pair keys such as
 * `pair:<id>` cost a map entry, not a string; two keys sharing a hash (about 5e-5 for a
 * million groups) would be resampled as one group.
 */
export class ProfileAccumulator {
  readonly factorIds: readonly string[];
  #size = 0;
  #preferences: Int8Array;
  #groups: Int32Array;
  #signs: Int8Array[];
  readonly #groupIndex = new Map<number, number>();

  constructor(factorIds: readonly string[]) {
    const seen = new Set<string>();
    for (const id of factorIds) {
      if (seen.has(id)) {
        throw new ProfilekitError("duplicate_factor", `Factor "${id}" is listed twice.`, {
          hint: "List each factor once.",
          location: { factor: id },
        });
      }
      seen.add(id);
    }
    this.factorIds = [...factorIds];
    this.#preferences = new Int8Array(INITIAL_CAPACITY);
    this.#groups = new Int32Array(INITIAL_CAPACITY);
    this.#signs = factorIds.map(() => new Int8Array(INITIAL_CAPACITY));
  }

  /** Pairs added so far. */
  get size(): number {
    return this.#size;
  }

  /** Distinct group keys seen so far; group indices run from 0 in order of first appearance. */
  get groupCount(): number {
    return this.#groupIndex.size;
  }

  /**
   * Adds one pair: its label, its group key (see `groupKeyOf`) and its signs in the order of
   * `factorIds`, null where the factor was not measured.
   */
  add(label: Label, groupKey: string, signs: readonly Sign[]): void {
    const preference = label === "a" ? 1 : label === "b" ? -1 : label === "tie" ? 0 : undefined;
    if (preference === undefined) {
      throw new ProfilekitError(
        "invalid_label",
        `Pair #${this.#size + 1} has label ${JSON.stringify(label)}.`,
        {
          hint: 'A label is "a", "b" or "tie".',
          location: { field: "label" },
        },
      );
    }
    this.#checkFactorCount(signs.length);
    for (let f = 0; f < signs.length; f++) {
      const sign = signs[f];
      if (sign !== null && sign !== 1 && sign !== 0 && sign !== -1) {
        throw new ProfilekitError(
          "invalid_sign",
          `Pair #${this.#size + 1} has sign ${JSON.stringify(sign)} for factor "${this.factorIds[f]}".`,
          { hint: "A sign is -1, 0, 1 or null.", location: { factor: this.factorIds[f] } },
        );
      }
    }
    if (this.#size === this.#preferences.length) this.#grow(this.#size + 1);
    const i = this.#size;
    for (let f = 0; f < signs.length; f++) this.#signs[f]![i] = signs[f] ?? NULL_SIGN;
    this.#preferences[i] = preference;
    this.#groups[i] = this.#groupOf(groupHash(groupKey));
    this.#size = i + 1;
  }

  /**
   * Adds a batch of pairs in columns: what `add` does for each, without a call per pair. Pairs
   * made in another thread arrive like this, as typed arrays.
   */
  addColumns(columns: PairColumns): void {
    const { preferences, groupHashes, signs } = columns;
    const count = preferences.length;
    this.#checkFactorCount(signs.length);
    if (groupHashes.length !== count || signs.some((column) => column.length !== count)) {
      throw new ProfilekitError(
        "invalid_columns",
        `A batch of ${count} preferences has ${groupHashes.length} group hashes and sign columns of ${signs.map((column) => column.length).join(", ")}.`,
        { hint: "Give every column one entry per pair." },
      );
    }
    for (let i = 0; i < count; i++) {
      const preference = preferences[i]!;
      if (preference < -1 || preference > 1) {
        throw new ProfilekitError(
          "invalid_label",
          `Pair #${this.#size + i + 1} has preference ${preference}.`,
          {
            hint: "A preference is 1 (a), -1 (b) or 0 (tie).",
            location: { field: "label" },
          },
        );
      }
    }
    signs.forEach((column, f) => {
      for (let i = 0; i < count; i++) {
        const sign = column[i]!;
        if (sign < -1 || sign > NULL_SIGN) {
          throw new ProfilekitError(
            "invalid_sign",
            `Pair #${this.#size + i + 1} has sign code ${sign} for factor "${this.factorIds[f]}".`,
            {
              hint: `A sign code is -1, 0, 1, or ${NULL_SIGN} for not measured.`,
              location: { factor: this.factorIds[f] },
            },
          );
        }
      }
    });
    if (this.#size + count > this.#preferences.length) this.#grow(this.#size + count);
    const at = this.#size;
    this.#preferences.set(preferences, at);
    signs.forEach((column, f) => {
      this.#signs[f]!.set(column, at);
    });
    for (let i = 0; i < count; i++) this.#groups[at + i] = this.#groupOf(groupHashes[i]!);
    this.#size = at + count;
  }

  /** p per pair (+1 a, -1 b, 0 tie); a view, valid until the next `add`. */
  preferences(): Int8Array {
    return this.#preferences.subarray(0, this.#size);
  }

  /** The group index of each pair; a view, valid until the next `add`. */
  groupIndices(): Int32Array {
    return this.#groups.subarray(0, this.#size);
  }

  /** The {@link groupHash} of every group, by group index (order of first appearance); a copy. */
  groupHashes(): Float64Array {
    return Float64Array.from(this.#groupIndex.keys());
  }

  /** One factor's sign per pair, `NULL_SIGN` where not measured; a view, valid until the next `add`. */
  signs(factor: number): Int8Array {
    const column = this.#signs[factor];
    if (column === undefined) throw new RangeError(`No factor at index ${factor}.`);
    return column.subarray(0, this.#size);
  }

  #checkFactorCount(count: number): void {
    if (count !== this.#signs.length) {
      throw new ProfilekitError(
        "invalid_signs",
        `Pair #${this.#size + 1} has ${count} signs for ${this.#signs.length} factors.`,
        { hint: `Give one sign per factor, in the order ${this.factorIds.join(", ")}.` },
      );
    }
  }

  /** The index of a group, given in order of first appearance. */
  #groupOf(hash: number): number {
    let group = this.#groupIndex.get(hash);
    if (group === undefined) {
      group = this.#groupIndex.size;
      this.#groupIndex.set(hash, group);
    }
    return group;
  }

  /** Doubles the capacity until it holds `needed` pairs. */
  #grow(needed: number): void {
    let capacity = this.#preferences.length * 2;
    while (capacity < needed) capacity *= 2;
    this.#preferences = grown(this.#preferences, new Int8Array(capacity));
    this.#groups = grown(this.#groups, new Int32Array(capacity));
    this.#signs = this.#signs.map((column) => grown(column, new Int8Array(capacity)));
  }
}

function grown<T extends Int8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
