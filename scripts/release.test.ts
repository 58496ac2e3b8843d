import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspacePackages } from "./layers.mjs";
import { startLocalRegistry } from "./local-registry.mjs";

// The release, against a real registry: Verdaccio on 127.0.0.1 with no uplinks. On a temporary
// clone, `changeset version`, the build of `npm run release`, and every public package published
// with provenance off. Then, as a new user: `npm init -y`, `npm install profilekit` from that
// registry, `analyze`, `init` and `run`; and a factor package made by the scaffold outside the
// repository, published and loaded by name through a config's `plugins` (docs/publishing.md).
//
// The registry holds only what is published to it: profilekit's packages, and the third-party
// packages they depend on, at the versions of package-lock.json, copied from the installed tree
// (npm's cache gives their tarballs). So `npm install profilekit` takes nothing from anywhere else,
// and a dependency a package forgot to declare fails the install. The scaffolded factor's own
// tools (TypeScript, Vitest) come from the npm registry, as a third party's would, through npm's
// cache when it has them. It needs the repository built (`npm test` builds first).

const repo = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "profilekit-release-"));
const clone = join(work, "clone");
const app = join(work, "app");
const factor = join(work, "factor-question-marks");
const factorName = "@acme/profilekit-factor-question-marks";
let registry: Awaited<ReturnType<typeof startLocalRegistry>> | undefined;

/** The environment of a command run as a user would: none of the npm or Vitest settings of this run. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|FORCE_COLOR|NODE_OPTIONS)/i.test(key)),
);
function sh(command: string, args: readonly string[], cwd: string, userconfig?: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: "pipe",
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...cleanEnv,
        NO_COLOR: "1",
        npm_config_update_notifier: "false",
        npm_config_audit: "false",
        npm_config_fund: "false",
        ...(userconfig ? { npm_config_userconfig: userconfig } : {}),
      },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

/** Every third-party package the public packages need at run time, as package-lock.json installs them. */
function runtimeClosure(): { name: string; version: string; dir: string }[] {
  const lock = readJson(join(repo, "package-lock.json")).packages as Record<string, any>;
  const find = (name: string, from: string): string | undefined => {
    for (let dir = from; ; ) {
      const key = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (lock[key]) return lock[key].link ? lock[key].resolved : key;
      if (!dir) return undefined;
      const cut = dir.lastIndexOf("/node_modules/");
      dir = cut < 0 ? "" : dir.slice(0, cut);
    }
  };
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const entry = lock[key];
    const peers = Object.keys(entry.peerDependencies ?? {}).filter(
      (name) => !entry.peerDependenciesMeta?.[name]?.optional,
    );
    for (const name of [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...peers,
    ]) {
      const found = find(name, key);
      if (found) walk(found);
    }
  };
  for (const { dir, manifest } of workspacePackages(repo)) if (!manifest.private) walk(relative(repo, dir));
  return [...seen]
    .filter((key) => key.includes("node_modules/"))
    .map((key) => ({
      name: key.slice(key.lastIndexOf("node_modules/") + 13),
      version: lock[key].version,
      dir: key,
    }));
}

/** The first `count` pairs of the bundled hh-rlhf sample (instruction-following), as JSON Lines. */
function sample(count: number): string {
  const lines = gunzipSync(readFileSync(join(repo, "data", "hh-rlhf-harmless-subset.jsonl.gz")))
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  return `${lines.slice(0, count).join("\n")}\n`;
}

beforeAll(async () => {
  registry = await startLocalRegistry(join(work, "registry"));
  const host = registry.url.replace(/^http:/, "");
  const auth = `${host}:_authToken=${registry.token}\n`;
  // The user's npm settings for the app: everything from the local registry.
  writeFileSync(join(work, "app.npmrc"), `registry=${registry.url}\n${auth}`);
  // The factor's author: profilekit and their own scope from it, their tools from the npm registry.
  writeFileSync(
    join(work, "factor.npmrc"),
    `@profilekit:registry=${registry.url}\n@acme:registry=${registry.url}\n${auth}`,
  );

  // 1. The release, on a clean clone: version, build (as `npm run release` does), publish.
  sh("git", ["clone", "--quiet", "--no-hardlinks", repo, clone], work);
  symlinkSync(join(repo, "node_modules"), join(clone, "node_modules"), "dir");
  sh(process.execPath, ["node_modules/@changesets/cli/bin.js", "version"], clone);
  sh(process.execPath, ["node_modules/turbo/bin/turbo", "run", "build", "--output-logs=errors-only"], clone);
  const publics = workspacePackages(clone).filter(({ manifest }) => !manifest.private);
  sh(
    "npm",
    ["publish", "--provenance=false", ...publics.flatMap(({ dir }) => ["-w", relative(clone, dir)])],
    clone,
    join(work, "app.npmrc"),
  );

  // 2. The third-party packages they depend on, copied in as published (tarballs from npm's cache).
  const seed = join(work, "seed");
  mkdirSync(seed);
  const closure = runtimeClosure();
  const packs = JSON.parse(
    sh(
      "npm",
      [
        "pack",
        "--json",
        "--prefer-offline",
        "--pack-destination",
        seed,
        ...closure.map((p) => `${p.name}@${p.version}`),
      ],
      seed,
    ),
  ) as { name: string; version: string; filename: string }[];
  for (const pack of packs) {
    const installed = closure.find((p) => p.name === pack.name && p.version === pack.version)!;
    await registry.publishTarball(
      join(seed, pack.filename),
      readJson(join(repo, installed.dir, "package.json")),
    );
  }
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("a release to a local registry", { timeout: 300_000 }, () => {
  it("versions every public package with changeset version, and publishes them all", () => {
    const publics = workspacePackages(clone).filter(({ manifest }) => !manifest.private);
    for (const { manifest } of publics) {
      const published = JSON.parse(
        sh("npm", ["view", `${manifest.name}@${manifest.version}`, "--json"], work, join(work, "app.npmrc")),
      );
      expect(published.version, manifest.name).toBe(manifest.version);
    }
    // changeset version consumed the changesets and wrote changelogs.
    expect(sh("git", ["status", "--porcelain", ".changeset"], clone)).toMatch(/^ D \.changeset\/.+\.md$/m);
    expect(readFileSync(join(clone, "apps/cli/CHANGELOG.md"), "utf8")).toMatch(/^# profilekit\n/);
  });

  it("installs profilekit into an `npm init -y` project and analyzes a sample as the repository's CLI does", () => {
    mkdirSync(app);
    const npmrc = join(work, "app.npmrc");
    sh("npm", ["init", "-y"], app, npmrc);
    expect(readJson(join(app, "package.json")).type).toBe("commonjs");
    sh("npm", ["install", "profilekit"], app, npmrc);
    const version = readJson(join(clone, "apps/cli/package.json")).version;
    expect(readJson(join(app, "node_modules/profilekit/package.json")).version).toBe(version);
    writeFileSync(join(app, "pairs.jsonl"), sample(300));
    sh("npx", ["profilekit", "analyze", "pairs.jsonl", "--out", "runs/analyze"], app, npmrc);
    sh(
      process.execPath,
      [
        join(repo, "apps/cli/bin/profilekit.js"),
        "analyze",
        "pairs.jsonl",
        "--out",
        join(work, "repo-analyze"),
      ],
      app,
    );
    expect(readFileSync(join(app, "runs/analyze/profile.json"), "utf8")).toBe(
      readFileSync(join(work, "repo-analyze/profile.json"), "utf8"),
    );
  });

  it("runs the config that init writes there", () => {
    const npmrc = join(work, "app.npmrc");
    sh("npx", ["profilekit", "init", "--task", "instruction-following"], app, npmrc);
    expect(readFileSync(join(app, "profilekit.config.ts"), "utf8")).toContain('path: "./pairs.jsonl"');
    sh("npx", ["profilekit", "run"], app, npmrc);
    const profile = readJson(join(app, "runs/instruction-following/human/profile.json"));
    const pairs = sample(300)
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(profile.pairs).toBe(pairs.filter((pair) => pair.label !== "tie").length);
    expect(profile.factors.map((f: { factor: string }) => f.factor)).toContain("length");
  });

  it("publishes a factor package scaffolded outside the repository, and loads it by name", () => {
    const npmrc = join(work, "factor.npmrc");
    // The scaffold of the released checkout, so the factor depends on the spec version just published.
    sh(
      process.execPath,
      [join(clone, "scripts/new-factor.mjs"), "question-marks", "--out", factor, "--name", factorName],
      work,
    );
    sh("npm", ["install", "--prefer-offline"], factor, npmrc);
    // prepublishOnly builds and runs the package's tests (the scaffold's, with spec's checks).
    const published = sh("npm", ["publish", "--provenance=false"], factor, npmrc);
    expect(published).toMatch(/Tests\s+\d+ passed/);

    const appNpmrc = join(work, "app.npmrc");
    sh("npm", ["install", factorName], app, appNpmrc);
    writeFileSync(
      join(app, "plugin.config.ts"),
      `import type { ConfigInput } from "profilekit";

export default {
  task: "instruction-following",
  data: { path: "./pairs.jsonl" },
  plugins: ["${factorName}"],
  factors: ["length", "question-marks"],
  scoring: { bootstrap: 100, permutations: 0 },
  out: "runs/plugin",
} satisfies ConfigInput;
`,
    );
    sh("npx", ["profilekit", "run", "--config", "plugin.config.ts"], app, appNpmrc);
    const profile = readJson(join(app, "runs/plugin/human/profile.json"));
    const manifest = readJson(join(app, "runs/plugin/manifest.json"));
    expect(manifest.plugins).toEqual([
      expect.objectContaining({ spec: factorName, factors: ["question-marks"] }),
    ]);
    // The scaffold's factor counts question marks: count them here, independently, pair by pair.
    const marks = (text: string) => text.split("?").length - 1;
    let concordant = 0;
    let discordant = 0;
    let factorTies = 0;
    for (const line of sample(300).trim().split("\n")) {
      const pair = JSON.parse(line);
      if (pair.label === "tie") continue;
      const m = Math.sign(marks(pair.a) - marks(pair.b)) * (pair.label === "a" ? 1 : -1);
      if (m > 0) concordant++;
      else if (m < 0) discordant++;
      else factorTies++;
    }
    expect(concordant + discordant).toBeGreaterThan(50);
    expect(profile.factors.find((f: { factor: string }) => f.factor === "question-marks")).toMatchObject({
      concordant,
      discordant,
      factorTies,
    });
  });
});
