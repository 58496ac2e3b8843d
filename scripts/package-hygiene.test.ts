import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { workspacePackages } from "./layers.mjs";
import { tarballProblems } from "./package-hygiene.mjs";

const repo = fileURLToPath(new URL("..", import.meta.url));
const rootLicense = readFileSync(join(repo, "LICENSE"), "utf8");
const manifest = { name: "@profilekit/x", license: "Apache-2.0" };
const good = ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"];

describe("tarballProblems", () => {
  it("accepts package.json, README.md, LICENSE, dist/ and the files of bin", () => {
    expect(tarballProblems({ manifest, files: good, license: rootLicense, rootLicense })).toEqual([]);
    const cli = { ...manifest, bin: { x: "./bin/x.js" } };
    expect(
      tarballProblems({ manifest: cli, files: [...good, "bin/x.js"], license: rootLicense, rootLicense }),
    ).toEqual([]);
  });

  it("names every file a consumer does not need, and a missing or different license", () => {
    const files = [
      ...good.filter((file) => file !== "README.md"),
      "src/index.ts",
      "bin/x.js",
      "dist/index.test.js",
      "dist/index.js.map",
      "dist/tsconfig.build.tsbuildinfo",
    ];
    expect(
      tarballProblems({ manifest: { ...manifest, license: "MIT" }, files, license: "MIT", rootLicense }),
    ).toEqual([
      "README.md is missing from the tarball",
      "LICENSE differs from the root's LICENSE: copy the root's",
      'package.json says "license": "MIT", not "Apache-2.0"',
      "src/index.ts is shipped, but a consumer needs only dist/, README.md and LICENSE",
      "bin/x.js is shipped, but a consumer needs only dist/, README.md and LICENSE",
      "dist/index.test.js is a test; delete dist/ and build again",
      "dist/index.js.map is a source map (pointing at src/, which is not shipped); delete dist/ and build again",
      "dist/tsconfig.build.tsbuildinfo is TypeScript build info; delete dist/ and build again",
    ]);
    expect(
      tarballProblems({ manifest, files: ["package.json", "README.md"], license: undefined, rootLicense }),
    ).toEqual([
      "LICENSE is missing from the tarball",
      "has no LICENSE file: copy the root's (cp LICENSE <package folder>/)",
      "has no dist/: build it first",
    ]);
  });
});

// What `npm pack --dry-run` would ship, for every public workspace package (found, never listed):
// the same rules on the real file lists, without building (dist/ may be absent here).
describe("every public workspace package", () => {
  const packages = workspacePackages(repo).filter(({ manifest }) => !manifest.private);

  it("is found from the root's workspaces, the CLI and spec among them", () => {
    const names = packages.map(({ manifest }) => manifest.name);
    expect(names).toEqual(expect.arrayContaining(["profilekit", "@profilekit/spec", "@profilekit/runner"]));
    expect(names.some((name) => name.startsWith("@profilekit-examples/"))).toBe(false);
  });

  it("carries the root's LICENSE and packs nothing but package.json, README.md, LICENSE, dist/ and bin", () => {
    const packs = JSON.parse(
      execFileSync(
        "npm",
        ["pack", "--dry-run", "--json", "--ignore-scripts", ...packages.flatMap(({ dir }) => ["-w", dir])],
        { cwd: repo, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      ),
    ) as { name: string; files: { path: string }[] }[];
    expect(packs.map((pack) => pack.name).sort()).toEqual(
      packages.map(({ manifest }) => manifest.name).sort(),
    );
    for (const { dir, manifest: packageManifest } of packages) {
      const pack = packs.find((p) => p.name === packageManifest.name)!;
      const files = pack.files.map((file) => file.path);
      const license = readFileSync(join(dir, "LICENSE"), "utf8");
      const problems = tarballProblems({ manifest: packageManifest, files, license, rootLicense }).filter(
        (problem: string) => problem !== "has no dist/: build it first",
      );
      expect(problems, packageManifest.name).toEqual([]);
    }
  });
});
