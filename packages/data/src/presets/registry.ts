import { InputError } from "../errors.js";
import { autoj } from "./autoj.js";
import { canonical } from "./canonical.js";
import { hhRlhf } from "./hh-rlhf.js";
import type { Preset, PresetInfo } from "./preset.js";
import { qaFeedback } from "./qa-feedback.js";
import { summNews } from "./summ-news.js";
import { summeval } from "./summeval.js";

const all: readonly Preset[] = [canonical, summNews, autoj, qaFeedback, hhRlhf, summeval];

/** Every preset, canonical first: what each reads and the task it maps to. */
export const presets: readonly PresetInfo[] = all.map(({ read: _read, ...info }) => Object.freeze(info));

/** The preset that reads files, by name; fails with `unknown_preset` listing the names. */
export function findPreset(name: string): Preset {
  const preset = all.find((candidate) => candidate.name === name);
  if (preset === undefined) {
    const names = all.map((candidate) => candidate.name).join(", ");
    throw new InputError("unknown_preset", `unknown preset "${name}"; the presets are ${names}`, {
      hint: "`profilekit presets` lists them with the datasets they read",
    });
  }
  return preset;
}

/** A preset's description by name; fails with `unknown_preset` listing the names. */
export function getPreset(name: string): PresetInfo {
  return presets[all.indexOf(findPreset(name))]!;
}
