/**
 * Lets a child process run this package from its TypeScript source (Node's
 * type stripping), so the tests need no build: NodeNext imports name `.js`
 * files, which are resolved to the `.ts` beside them.
 */
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const local = specifier.startsWith(".") || specifier.startsWith("file:");
      if (local && specifier.endsWith(".js")) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});
