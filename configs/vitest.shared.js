// Shared Vitest settings for every profilekit package. A package's
// vitest.config.ts re-exports this, so all packages test the same way.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    // A package with no tests is a mistake, never a pass.
    passWithNoTests: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
