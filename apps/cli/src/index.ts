export { main, createProgram } from "./main.js";
// For profilekit.config.ts files: `import { defineConfig } from "profilekit"`. The engine itself is
// @profilekit/runner.
export { ConfigSchema, defineConfig, type Config, type ConfigInput } from "@profilekit/runner";
