// A Verdaccio registry on 127.0.0.1 for the release test (scripts/release.test.ts): no uplinks
// (it serves only what is published to it), its storage in a folder of the caller's, run in a
// child process that exits when its parent goes, so no registry is ever left running.
//
//   const registry = await startLocalRegistry(folder);   // { url, token, publishTarball, stop }
//
// `node scripts/local-registry.mjs --serve <folder>` is the child: it prints {"port": N} once
// listening and exits when its standard input closes.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Verdaccio's configuration: local storage and users, no uplinks, no web UI. */
function configuration(folder) {
  return {
    self_path: join(folder, "config.yaml"),
    storage: join(folder, "storage"),
    auth: { htpasswd: { file: join(folder, "htpasswd"), max_users: 1 } },
    uplinks: {},
    packages: {
      "**": { access: "$all", publish: "$authenticated", unpublish: "$authenticated" },
    },
    web: { enable: false },
    max_body_size: "256mb",
    log: { type: "stdout", format: "json", level: "error" },
  };
}

async function serve(folder) {
  const { runServer } = await import("verdaccio");
  const app = await runServer(configuration(folder));
  const server = app.listen(0, "127.0.0.1", () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  });
  // The parent holds our standard input: when it closes (the parent is done, or died), stop.
  process.stdin.on("close", () => process.exit(0));
  process.stdin.resume();
}

/**
 * Starts the registry, storing under `folder`, and signs one user in.
 * @param {string} folder an empty folder the registry may own
 * @returns {Promise<{ url: string, token: string, publishTarball: (file: string, manifest: object) => Promise<void>, stop: () => Promise<void> }>}
 */
export async function startLocalRegistry(folder) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve", folder], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const port = await new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error("the local registry did not start in 30 s")), 30_000);
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const line = text.split("\n").find((l) => l.startsWith('{"port"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).port);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the local registry exited (${code}) before it listened`));
    });
  });
  const stop = async () => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = `http://127.0.0.1:${port}/`;
    // npm's sign-up: PUT the user, get a token back.
    const response = await fetch(`${url}-/user/org.couchdb.user:release-test`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "release-test", password: "release-test-password" }),
    });
    if (!response.ok) throw new Error(`the local registry refused the sign-up: ${response.status}`);
    const { token } = await response.json();
    /** Publishes a tarball as it is (npm's publish request), for a package copied from elsewhere. */
    const publishTarball = async (file, manifest) => {
      const data = readFileSync(file);
      const base = manifest.name.replace(/^@[^/]+\//, "");
      const attachment = `${base}-${manifest.version}.tgz`;
      const body = {
        _id: manifest.name,
        name: manifest.name,
        "dist-tags": { latest: manifest.version },
        versions: {
          [manifest.version]: {
            ...manifest,
            _id: `${manifest.name}@${manifest.version}`,
            dist: {
              shasum: createHash("sha1").update(data).digest("hex"),
              integrity: `sha512-${createHash("sha512").update(data).digest("base64")}`,
              tarball: `${url}${manifest.name}/-/${attachment}`,
            },
          },
        },
        _attachments: {
          [attachment]: {
            content_type: "application/octet-stream",
            data: data.toString("base64"),
            length: data.length,
          },
        },
      };
      const put = await fetch(`${url}${manifest.name.replace("/", "%2f")}`, {
        method: "PUT",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      if (!put.ok)
        throw new Error(`publishing ${manifest.name}@${manifest.version}: ${put.status} ${await put.text()}`);
    };
    return { url, token, publishTarball, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (process.argv[2] === "--serve") await serve(process.argv[3]);
