export {
  type BuiltReport,
  buildReport,
  markdownPathFor,
  type ReportOptions,
  ReportOptionsSchema,
  type WrittenReport,
  writeReport,
} from "./build-report.js";
export { contentSecurityPolicy, renderHtmlReport } from "./html-report.js";
export { renderMarkdownReport } from "./markdown-report.js";
export { buildReportModel, type ReportModel, type ReportModelOptions } from "./report-model.js";
export { type ReadRunFoldersOptions, type ReportInput, readRunFolders } from "./input/run-folders.js";
