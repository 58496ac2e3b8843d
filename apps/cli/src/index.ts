export { main, createProgram } from "./main.js";
// For profilekit.config.ts files: `import { defineConfig } from "profilekit"`. The engine itself is
// @profilekit/runner.
// refine's versions hold the improvement setting, which `profilekit run` registers.
export { ConfigSchema, defineConfig, type ConfigInput } from "@profilekit/refine";
export type { Config } from "@profilekit/runner";
