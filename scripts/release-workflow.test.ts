import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// The release workflow cannot run here (it needs GitHub and npm credentials), so its file is read
// as GitHub would read it and held to what docs/publishing.md says it does.

const repo = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), "utf8");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { push?: { branches?: string[] } };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = parse(read(".github/workflows/release.yml"), { strict: true, uniqueKeys: true }) as Workflow;
const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
const job = workflow.jobs.release!;
const action = job.steps.find((step) => step.uses?.startsWith("changesets/action@"))!;

/** The package.json script that `npm run <name>` in a workflow command runs. */
const npmScript = (command: unknown) => {
  const name = /^npm run ([\w:-]+)$/.exec(String(command))?.[1];
  expect(name, `${command} is an npm script`).toBeDefined();
  expect(scripts, `package.json has the script of "${command}"`).toHaveProperty(name!);
  return scripts[name!]!;
};

describe(".github/workflows/release.yml", () => {
  it("runs on pushes to main, one release at a time, with no permission it does not need", () => {
    expect(workflow.on.push?.branches).toEqual(["main"]);
    expect(workflow.permissions).toEqual({});
    expect(Object.keys(workflow.jobs)).toEqual(["release"]);
    expect(job["runs-on"]).toBe("ubuntu-latest");
    expect(job.permissions).toEqual({ contents: "write", "pull-requests": "write", "id-token": "write" });
  });

  it("checks out the whole history, sets up the Node of .nvmrc, installs from the lockfile, then runs changesets", () => {
    expect(job.steps.map((step) => step.uses?.replace(/@.*/, "") ?? step.run)).toEqual([
      "actions/checkout",
      "actions/setup-node",
      "npm ci --no-audit --no-fund",
      "changesets/action",
    ]);
    for (const step of job.steps.filter((s) => s.uses)) expect(step.uses).toMatch(/@v\d+$/);
    expect(job.steps[0]!.with).toMatchObject({ "fetch-depth": 0 });
    expect(job.steps[1]!.with).toMatchObject({ "node-version-file": ".nvmrc" });
  });

  it("uses a Node whose npm publishes with provenance, and that the packages support", () => {
    const major = Number(read(".nvmrc").trim());
    // npm provenance needs npm 9.5 (Node 18.16 and later ship it); the packages need Node 22.12.
    expect(major).toBeGreaterThanOrEqual(24);
    const engines = JSON.parse(read("package.json")).engines.node as string;
    expect(Number(/>=(\d+)/.exec(engines)?.[1])).toBeLessThanOrEqual(major);
  });

  it("publishes with provenance, through npm run release, which builds and runs changeset publish", () => {
    const secret = (name: string) => `\${{ secrets.${name} }}`;
    expect(action.env).toMatchObject({
      NPM_CONFIG_PROVENANCE: "true",
      GITHUB_TOKEN: secret("GITHUB_TOKEN"),
      NPM_TOKEN: secret("NPM_TOKEN"),
    });
    const release = npmScript(action.with?.publish);
    expect(release).toMatch(/turbo run build\b.*&& changeset publish'?$/);
  });

  it("versions through npm run version-packages, which applies the changesets and updates the lockfile", () => {
    const version = npmScript(action.with?.version);
    expect(version).toMatch(/^changeset version && npm install --package-lock-only\b/);
  });
});
