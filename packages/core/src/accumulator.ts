import { type Label, ProfilekitError, type Sign } from "@profilekit/spec";
import { cyrb53 } from "./hash.js";

/** How a null sign (not measured) is stored in the Int8Array sign columns. */
export const NULL_SIGN = 2;

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
    if (signs.length !== this.#signs.length) {
      throw new ProfilekitError(
        "invalid_signs",
        `Pair #${this.#size + 1} has ${signs.length} signs for ${this.#signs.length} factors.`,
        { hint: `Give one sign per factor, in the order ${this.factorIds.join(", ")}.` },
      );
    }
    if (this.#size === this.#preferences.length) this.#grow();
    const i = this.#size;
    for (let f = 0; f < signs.length; f++) {
      const sign = signs[f];
      if (sign !== null && sign !== 1 && sign !== 0 && sign !== -1) {
        throw new ProfilekitError(
          "invalid_sign",
          `Pair #${i + 1} has sign ${JSON.stringify(sign)} for factor "${this.factorIds[f]}".`,
          { hint: "A sign is -1, 0, 1 or null.", location: { factor: this.factorIds[f] } },
        );
      }
      this.#signs[f]![i] = sign === null ? NULL_SIGN : sign;
    }
    const hash = cyrb53(groupKey);
    let group = this.#groupIndex.get(hash);
    if (group === undefined) {
      group = this.#groupIndex.size;
      this.#groupIndex.set(hash, group);
    }
    this.#preferences[i] = preference;
    this.#groups[i] = group;
    this.#size = i + 1;
  }

  /** p per pair (+1 a, -1 b, 0 tie); a view, valid until the next `add`. */
  preferences(): Int8Array {
    return this.#preferences.subarray(0, this.#size);
  }

  /** The group index of each pair; a view, valid until the next `add`. */
  groupIndices(): Int32Array {
    return this.#groups.subarray(0, this.#size);
  }

  /** One factor's sign per pair, `NULL_SIGN` where not measured; a view, valid until the next `add`. */
  signs(factor: number): Int8Array {
    const column = this.#signs[factor];
    if (column === undefined) throw new RangeError(`No factor at index ${factor}.`);
    return column.subarray(0, this.#size);
  }

  #grow(): void {
    const capacity = this.#preferences.length * 2;
    this.#preferences = grown(this.#preferences, new Int8Array(capacity));
    this.#groups = grown(this.#groups, new Int32Array(capacity));
    this.#signs = this.#signs.map((column) => grown(column, new Int8Array(capacity)));
  }
}

function grown<T extends Int8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
