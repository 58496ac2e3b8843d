import {
  defineResponseFactor,
  type FactorPlugin,
  ProfilekitError,
  type TaskAdapterInput,
} from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { PluginRegistry } from "./registry.js";

const factor = (id: string): FactorPlugin =>
  defineResponseFactor({ id, title: id, definition: `More ${id}.`, measure: (text) => text.length });

const task: TaskAdapterInput = {
  specificationVersion: 1,
  id: "summarization",
  title: "Summarization",
  description: "Summarise a source document.",
  factors: ["length", "novelty"],
  prompts: {},
};

function thrown(fn: () => unknown): ProfilekitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProfilekitError) return error;
    throw error;
  }
  throw new Error("expected a ProfilekitError");
}

describe("PluginRegistry", () => {
  const registry = new PluginRegistry()
    .registerFactor(factor("length"))
    .registerFactor(factor("novelty"))
    .registerFactor(factor("readability"))
    .registerTask(task);

  it("finds what was registered, in registration order", () => {
    expect(registry.factor("novelty").id).toBe("novelty");
    expect(registry.factors().map((f) => f.id)).toEqual(["length", "novelty", "readability"]);
    expect(registry.task("summarization").presets).toEqual([]); // defaults applied
    expect(registry.tasks().map((t) => t.id)).toEqual(["summarization"]);
    expect(registry.resolveFactors(["readability", "length"]).map((f) => f.id)).toEqual([
      "readability",
      "length",
    ]);
  });

  it("names the registered ids and the closest one for an unknown factor", () => {
    const error = thrown(() => registry.factor("lenght"));
    expect(error.code).toBe("unknown_factor");
    expect(error.message).toContain("Registered factors: length, novelty, readability.");
    expect(error.message).toContain('Did you mean "length"?');
    expect(error.location).toEqual({ factor: "lenght" });
  });

  it("suggests nothing when no id is close", () => {
    const error = thrown(() => registry.factor("hallucination"));
    expect(error.code).toBe("unknown_factor");
    expect(error.message).not.toContain("Did you mean");
  });

  it("reports every unknown id of a list at once", () => {
    const error = thrown(() => registry.resolveFactors(["length", "novelti", "fluency"]));
    expect(error.code).toBe("unknown_factor");
    expect(error.message).toContain('Unknown factors "novelti", "fluency".');
    expect(error.message).toContain('"novelty" for "novelti"');
  });

  it("refuses a factor listed twice", () => {
    expect(thrown(() => registry.resolveFactors(["length", "length"])).code).toBe("duplicate_factor");
  });

  it("names the registered tasks for an unknown task", () => {
    const error = thrown(() => registry.task("summarisation"));
    expect(error.code).toBe("unknown_task");
    expect(error.message).toContain("Registered tasks: summarization.");
    expect(error.message).toContain('Did you mean "summarization"?');
    expect(thrown(() => new PluginRegistry().task("x")).message).toContain("No tasks are registered.");
  });

  it("refuses duplicates", () => {
    expect(thrown(() => registry.registerFactor(factor("length"))).code).toBe("duplicate_factor");
    expect(thrown(() => registry.registerTask(task)).code).toBe("duplicate_task");
  });

  it("refuses a plugin written for another specification version, saying which", () => {
    const future = { ...factor("future"), specificationVersion: 2 } as unknown as FactorPlugin;
    const error = thrown(() => new PluginRegistry().registerFactor(future));
    expect(error.code).toBe("unsupported_specification_version");
    expect(error.message).toContain('factor "future" was written for specification version 2');
    expect(error.message).toContain("this runner hosts version 1");
    const oldTask = { ...task, specificationVersion: 0 } as unknown as TaskAdapterInput;
    expect(thrown(() => new PluginRegistry().registerTask(oldTask)).code).toBe(
      "unsupported_specification_version",
    );
  });

  it("refuses invalid metadata and a plugin without extract", () => {
    const badId = { ...factor("x"), id: "Not Kebab" } as FactorPlugin;
    const error = thrown(() => new PluginRegistry().registerFactor(badId));
    expect(error.code).toBe("invalid_factor");
    expect(error.message).toContain("kebab-case");
    const noExtract = { ...factor("y"), extract: undefined } as unknown as FactorPlugin;
    expect(thrown(() => new PluginRegistry().registerFactor(noExtract)).message).toContain("extract");
    const noFactors = { ...task, factors: [] };
    expect(thrown(() => new PluginRegistry().registerTask(noFactors)).code).toBe("invalid_task");
  });
});
