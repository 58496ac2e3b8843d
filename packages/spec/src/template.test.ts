import { describe, expect, it } from "vitest";
import { isProfilekitError } from "./errors.js";
import { renderPromptTemplate, renderTemplate, templatePlaceholders } from "./template.js";

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return isProfilekitError(error) ? error.code : "not a ProfilekitError";
  }
  return undefined;
};

describe("templatePlaceholders", () => {
  it("lists each name once, in order, allowing spaces inside the braces", () => {
    expect(templatePlaceholders("{{b}} {{ a }} {{b}} {single} {{not-a-name}} {{}}")).toEqual(["b", "a"]);
  });
});

describe("renderTemplate", () => {
  it("fills every placeholder, numbers included", () => {
    expect(renderTemplate("Score {{level}} of {{ levels }}: {{level}}!", { level: 2, levels: 5 })).toBe(
      "Score 2 of 5: 2!",
    );
  });

  it("keeps text that is not a placeholder as is", () => {
    expect(renderTemplate("{x} {{ 1 }} {{a-b}} }}{{", {})).toBe("{x} {{ 1 }} {{a-b}} }}{{");
  });

  it("never expands a placeholder inside an inserted value", () => {
    expect(renderTemplate("A: {{a}} B: {{b}}", { a: "{{b}}", b: "two" })).toBe("A: {{b}} B: two");
  });

  it("fails on a placeholder without a value, naming it", () => {
    expect(codeOf(() => renderTemplate("{{source}} {{a}}", { a: "x" }))).toBe("template_missing_variable");
    expect(() => renderTemplate("{{source}} {{a}}", { a: "x", source: undefined })).toThrow(/\{\{source\}\}/);
  });

  it("fails on a value without a placeholder, so a misspelt name never passes", () => {
    expect(codeOf(() => renderTemplate("{{source}}", { source: "s", sourse: "t" }))).toBe(
      "template_unknown_variable",
    );
    expect(() => renderTemplate("{{source}}", { source: "s", sourse: "t" })).toThrow(/\{\{sourse\}\}/);
  });

  it("treats an undefined value as not given", () => {
    expect(renderTemplate("{{a}}", { a: "x", source: undefined })).toBe("x");
  });

  it("accepts an empty string as a value", () => {
    expect(renderTemplate("[{{a}}]", { a: "" })).toBe("[]");
  });
});

describe("renderPromptTemplate", () => {
  const prompt = { id: "judge", version: "judge@1", system: "You judge {{task}}.", user: "{{a}} vs {{b}}" };

  it("renders system and user with one set of values", () => {
    expect(renderPromptTemplate(prompt, { task: "summaries", a: "x", b: "y" })).toEqual({
      system: "You judge summaries.",
      user: "x vs y",
    });
  });

  it("needs every placeholder of either text and refuses values neither uses", () => {
    expect(codeOf(() => renderPromptTemplate(prompt, { a: "x", b: "y" }))).toBe("template_missing_variable");
    expect(codeOf(() => renderPromptTemplate(prompt, { task: "t", a: "x", b: "y", c: "z" }))).toBe(
      "template_unknown_variable",
    );
    expect(() => renderPromptTemplate(prompt, { a: "x", b: "y" })).toThrow(/prompt "judge@1"/);
  });

  it("does not join a placeholder across system and user", () => {
    const split = { id: "s", version: "s@1", system: "ends with {{", user: "x}}" };
    expect(renderPromptTemplate(split, {})).toEqual({ system: "ends with {{", user: "x}}" });
  });

  it("leaves system undefined when the template has none", () => {
    expect(
      renderPromptTemplate({ id: "u", version: "u@1", user: "{{a}}" }, { a: "1" }).system,
    ).toBeUndefined();
  });
});
