/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the page, hence the DOM types.
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "./build-report.js";

// Opens a generated report in Debian's Chromium (never a downloaded browser), with every request
// but the report itself blocked, and checks that it needs nothing else, runs nothing, and shows
// everything. .ci/run installs chromium when it is absent; on a machine without it the test is
// reported as skipped, and under CI its absence is a failure.

/** Debian's chromium; PROFILEKIT_CHROMIUM points elsewhere (another build of Chromium). */
const executablePath = process.env.PROFILEKIT_CHROMIUM ?? "/usr/bin/chromium";
const hasChromium = existsSync(executablePath);
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
const fixtures = fileURLToPath(new URL("../test/fixtures/", import.meta.url));
/** The test's output folder: the screenshots are kept there (a CI artefact). */
const outputDir = fileURLToPath(new URL("../test-output/browser/", import.meta.url));

/** Payloads planted in the copied run folders' model ids, factor ids and folder name. */
const modelPayload = `openai:gpt-4o-mini<script>window.__pwned = 'model'</script>`;
const factorPayload = `formality-alignment"><svg onload="window.__pwned = 'factor'">`;
const folderPayload = `study <img src=x onerror="window.__pwned = 'folder'">`;

async function replaceInFiles(dir: string, from: string, to: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await replaceInFiles(path, from, to);
    else await writeFile(path, (await readFile(path, "utf8")).replaceAll(from, to));
  }
}

if (!hasChromium) {
  const reason = `${executablePath} is absent: the browser test is skipped (install Debian's chromium: apt-get install -y chromium)`;
  console.warn(reason);
  if (inCi) {
    it("Chromium is installed in CI", () => {
      expect.fail(`${reason}; .ci/run installs it`);
    });
  }
}

describe.skipIf(!hasChromium)("report.html in headless Chromium, network blocked", () => {
  let work: string;
  let context: BrowserContext;
  let page: Page;
  let reportUrl: string;
  const requests: string[] = [];
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "profilekit-report-browser-"));
    const project = join(work, "project");
    await cp(join(fixtures, "project"), project, { recursive: true });
    await cp(join(fixtures, "improve"), join(work, "improve"), { recursive: true });
    // JSON-escaped, as the strings sit inside JSON strings in the files.
    await replaceInFiles(work, "openai:gpt-4o-mini", JSON.stringify(modelPayload).slice(1, -1));
    await replaceInFiles(work, "formality-alignment", JSON.stringify(factorPayload).slice(1, -1));
    await cp(join(project, "study"), join(project, folderPayload), { recursive: true });
    const written = await writeReport([join(project, folderPayload), join(work, "improve")], {
      out: join(work, "site", "report.html"),
      title: `Report fixture <script>window.__pwned = 'title'</script> (fake model)`,
    });
    reportUrl = pathToFileURL(written.html).href;
    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
    });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url === reportUrl) return route.continue();
      blocked.push(url);
      return route.abort("blockedbyclient");
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(reportUrl, { waitUntil: "load" });
  });

  afterAll(async () => {
    await context?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("loads nothing but itself, logs no error, and runs none of the payloads", async () => {
    expect(requests).toEqual([reportUrl]);
    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: string }).__pwned,
      scripts: document.querySelectorAll("script").length,
      handlers: [...document.querySelectorAll("*")].flatMap((element) =>
        element.getAttributeNames().filter((name) => name.startsWith("on")),
      ),
      text: document.body.textContent ?? "",
      title: document.title,
    }));
    expect(state.pwned).toBeUndefined();
    expect(state.scripts).toBe(0);
    expect(state.handlers).toEqual([]);
    for (const payload of [
      modelPayload,
      factorPayload,
      folderPayload,
      "<script>window.__pwned = 'script'</script>",
    ])
      expect(state.text).toContain(payload);
    expect(state.title).toContain("<script>window.__pwned = 'title'</script>");
  });

  it("renders every chart as an SVG of non-zero size", async () => {
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll("figure .chart svg[role=img]")].map((svg) => {
        const box = svg.getBoundingClientRect();
        return { label: svg.getAttribute("aria-label"), width: box.width, height: box.height };
      }),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(11);
    for (const size of sizes) {
      expect(size.width, size.label ?? "").toBeGreaterThan(100);
      expect(size.height, size.label ?? "").toBeGreaterThan(50);
    }
  });

  it("opens a factor's drill-down and shows its example pairs", async () => {
    const factor = page.locator("details.factor").first();
    const example = factor.locator(".example").first();
    expect(await example.isVisible()).toBe(false);
    await factor.locator("summary").first().click();
    expect(await factor.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
    expect(await example.isVisible()).toBe(true);
    expect((await example.boundingBox())!.height).toBeGreaterThan(20);
  });

  it("fits a 1280 px screen and a phone without scrolling sideways; screenshots are kept", async () => {
    await mkdir(outputDir, { recursive: true });
    for (const [name, viewport] of [
      ["report-1280.png", { width: 1280, height: 900 }],
      ["report-phone.png", { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.evaluate(() => window.scrollTo(0, 0));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, name).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(outputDir, name), fullPage: name === "report-1280.png" });
    }
    expect(requests).toEqual([reportUrl]);
  });

  it("prints without the contents list", async () => {
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("nav.toc").isVisible()).toBe(false);
    await page.emulateMedia({ media: "screen" });
  });
});
