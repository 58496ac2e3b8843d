// Profiles the bundled hh-rlhf sample with the built-in rule factors and this package's
// `politeness`, loaded through `plugins`. From this folder: `npx profilekit run`.
import { defineConfig } from "profilekit";

export default defineConfig({
  task: "instruction-following",
  data: { path: "../../data/hh-rlhf-harmless-subset.jsonl.gz" },
  // The package by name, resolved from this folder's node_modules as Node would. A path works
  // too: "./" (this package folder, through its package.json exports) or "./dist/index.js".
  plugins: ["@profilekit-examples/factor-politeness"],
  factors: ["length", "readability", "formality", "politeness"],
  factorOptions: {
    politeness: {
      markers: ["please", "thank", "thanks", "sorry", "apologize", "excuse me", "would you", "could you"],
    },
  },
  settings: { human: true },
  scoring: { bootstrap: 1000, seed: 1 },
  out: "runs/politeness",
});
