import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createBuiltinRegistry } from "@profilekit/runner";
import { type FactorPrompt, type PromptTemplate, templatePlaceholders } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { workspacePackages } from "./layers.mjs";

// This repository's own documentation of its prompts: every built-in model factor's prompt is
// quoted word for word in its package README and in docs/factors.md, and every task prompt's
// README line lists exactly the template's placeholders. (These checks are about this
// repository's docs, so they live here and not in the published spec package.)

const repo = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(path, "utf8");
const packageDirs = new Map(workspacePackages(repo).map(({ dir, manifest }) => [manifest.name, dir]));
const readmeOf = (name: string) => read(join(packageDirs.get(name)!, "README.md"));
const registry = createBuiltinRegistry();
const factorsDoc = read(join(repo, "docs", "factors.md"));

/** Where a factor's prompt must be quoted, and what of it. */
function factorPromptProblems(prompt: FactorPrompt, documents: { readme: string; docs: string }): string[] {
  const problems: string[] = [];
  const check = (name: string, text: string, heading: string) => {
    if (!text.includes(heading)) problems.push(`${name} has no "${heading}"`);
    if (!text.includes(prompt.instructions))
      problems.push(`${name} does not quote the ${prompt.version} instructions word for word`);
    if (prompt.checklist !== undefined && !text.includes(prompt.checklist))
      problems.push(`${name} does not quote the ${prompt.version} checklist word for word`);
    for (const verdict of prompt.facts?.label?.verdicts ?? []) {
      if (!text.includes(`"${verdict}"`)) problems.push(`${name} does not name the verdict "${verdict}"`);
    }
  };
  check("README", documents.readme, `## Prompt \`${prompt.version}\``);
  check("docs/factors.md", documents.docs, `Prompt \`${prompt.version}\`:`);
  return problems;
}

/** A README line naming each prompt's version must list exactly its template's placeholders. */
function taskPromptProblems(prompts: readonly PromptTemplate[], readme: string): string[] {
  const lines = readme.split("\n");
  return prompts.flatMap((prompt) => {
    const row = lines.find((line) => line.includes(`\`${prompt.version}\``));
    if (row === undefined) return [`README has no line naming \`${prompt.version}\``];
    const documented = Array.from(row.matchAll(/\{\{(\w+)\}\}/g), (match) => match[1]).sort();
    const used = [...templatePlaceholders(prompt.system ?? ""), ...templatePlaceholders(prompt.user)].sort();
    return documented.join(",") === used.join(",")
      ? []
      : [
          `README lists ${prompt.version}'s placeholders as {${documented.join(", ")}}, the template uses {${used.join(", ")}}`,
        ];
  });
}

const modelFactors = registry.factors().filter((factor) => factor.prompt !== undefined);

describe("the prompts are documented as they are", () => {
  it("there are model factors and tasks to check", () => {
    expect(modelFactors.length).toBeGreaterThanOrEqual(8);
    expect(registry.tasks().length).toBeGreaterThanOrEqual(3);
  });

  it.each(modelFactors.map((factor) => [factor.id, factor] as const))(
    "%s: its prompt word for word in its README and in docs/factors.md",
    (id, factor) => {
      const documents = { readme: readmeOf(`@profilekit/factor-${id}`), docs: factorsDoc };
      expect(factorPromptProblems(factor.prompt!, documents)).toEqual([]);
    },
  );

  it.each(registry.tasks().map((task) => [task.id, task] as const))(
    "task %s: each prompt's version and placeholders in its README",
    (id, task) => {
      const prompts = Object.values(task.prompts).filter((prompt) => prompt !== undefined);
      expect(prompts.length).toBeGreaterThan(0);
      expect(taskPromptProblems(prompts, readmeOf(`@profilekit/task-${id}`))).toEqual([]);
    },
  );

  it("the task check finds a placeholder the README leaves out, and a prompt it does not name", () => {
    const judge = { version: "t-judge@1", user: "{{a}} or {{b}}, given {{source}}" } as PromptTemplate;
    expect(taskPromptProblems([judge], "| `t-judge@1` | {{a}}, {{b}} |")).toEqual([
      "README lists t-judge@1's placeholders as {a, b}, the template uses {a, b, source}",
    ]);
    expect(taskPromptProblems([judge], "nothing here")).toEqual(["README has no line naming `t-judge@1`"]);
  });
});

describe("the factor prompt check", () => {
  const prompt = { version: "tone@1", instructions: "Rate the tone from 1 to 5.", output: "rating" } as const;
  const readme = "# tone\n\n## Prompt `tone@1`\n\nRate the tone from 1 to 5.\n";
  const docs = "Prompt `tone@1`:\n\n> Rate the tone from 1 to 5.\n";

  it("accepts a prompt quoted under its version in both files", () => {
    expect(factorPromptProblems(prompt, { readme, docs })).toEqual([]);
  });

  it("reports a missing heading and stale instructions in each file", () => {
    const problems = factorPromptProblems(
      { ...prompt, version: "tone@2", instructions: "Rate the tone from 1 to 7." },
      { readme, docs },
    );
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toMatch(/README has no "## Prompt `tone@2`"/);
    expect(problems.join("\n")).toMatch(/docs\/factors\.md does not quote/);
  });

  it("reports a checklist or a verdict missing from either file", () => {
    const ledger: FactorPrompt = {
      version: "tone@1",
      instructions: "Rate the tone from 1 to 5.",
      output: "count",
      facts: { label: { verdicts: ["warm", "cold"], counted: ["cold"] } },
    };
    const listed = factorPromptProblems(ledger, { readme, docs: `${docs}\n"warm", "cold"` });
    expect(listed).toEqual([
      'README does not name the verdict "warm"',
      'README does not name the verdict "cold"',
    ]);
    const checklist: FactorPrompt = { ...prompt, output: "percentage", checklist: "List the key points." };
    expect(factorPromptProblems(checklist, { readme, docs: `${docs}List the key points.` })).toEqual([
      "README does not quote the tone@1 checklist word for word",
    ]);
  });
});
