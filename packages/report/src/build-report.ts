import { mkdir } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { writeFileAtomic } from "@profilekit/data";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { renderHtmlReport } from "./html-report.js";
import { renderMarkdownReport } from "./markdown-report.js";
import { buildReportModel, type ReportModel } from "./report-model.js";
import { readRunFolders } from "./input/run-folders.js";

/** What a report shows besides the folders' contents. */
export const ReportOptionsSchema = z.strictObject({
  /** The page's heading (default: "profilekit report: <task>"). */
  title: z.string().min(1).optional(),
  /** A line under the title: what the data are, a caveat, a commit. */
  caption: z.string().min(1).optional(),
  /** Concordant and discordant example pairs per factor and source in the drill-downs. */
  examplesPerKind: z.number().int().min(0).max(20).default(2),
  /** Folder paths are shown relative to this directory (writeReport: the report's own). */
  displayBase: z.string().min(1).optional(),
});
export type ReportOptions = z.input<typeof ReportOptionsSchema>;

/** A report in memory: report.html's and report.md's text, and the model they were made from. */
export interface BuiltReport {
  readonly html: string;
  readonly markdown: string;
  readonly model: ReportModel;
}

function parseOptions(options: unknown): z.output<typeof ReportOptionsSchema> {
  const parsed = ReportOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError("invalid_option", `report options: ${z.prettifyError(parsed.error)}`, {
      hint: "see ReportOptions in @profilekit/report",
    });
  }
  return parsed.data;
}

/**
 * Builds report.html and report.md from run folders (a `run` study, stage folders of analyze,
 * judge, generate or improve, align's folder), without a model call. The same folders and
 * options give the same bytes.
 */
export async function buildReport(
  folders: readonly string[],
  options: ReportOptions = {},
): Promise<BuiltReport> {
  const { displayBase, ...shown } = parseOptions(options);
  const input = await readRunFolders(folders, displayBase === undefined ? {} : { displayBase });
  const model = await buildReportModel(input, shown);
  return { html: renderHtmlReport(model), markdown: renderMarkdownReport(model), model };
}

/** Where writeReport put the two files. */
export interface WrittenReport {
  readonly html: string;
  readonly markdown: string;
}

/** report.md's path beside an HTML path: the same name with .md. */
export function markdownPathFor(htmlPath: string): string {
  const ext = extname(htmlPath);
  return ext === ".html" || ext === ".htm" ? `${htmlPath.slice(0, -ext.length)}.md` : `${htmlPath}.md`;
}

/**
 * Writes report.html at `out` and report.md beside it (each atomically), with folder paths shown
 * relative to the report's folder. This is what `profilekit report` and the end of `run` call.
 */
export async function writeReport(
  folders: readonly string[],
  options: Omit<ReportOptions, "displayBase"> & { out: string },
): Promise<WrittenReport> {
  const { out, ...rest } = options;
  const html = resolve(out);
  const report = await buildReport(folders, { ...rest, displayBase: dirname(html) });
  await mkdir(dirname(html), { recursive: true });
  const markdown = markdownPathFor(html);
  await writeFileAtomic(html, report.html);
  await writeFileAtomic(markdown, report.markdown);
  return { html, markdown };
}
