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
// Plain-text renderings of study results, as the CLI prints them
export { renderAlignment } from "./text/alignment-summary.js";
export { renderBatchReport, renderBatchRound } from "./text/batch-summary.js";
export { renderProfileTable } from "./text/profile-table.js";
export {
  formatDryRun,
  formatEstimate,
  formatExtraction,
  formatSkippedFactors,
  formatUsage,
} from "./text/usage-summary.js";
export {
  renderGenerationSummary,
  renderJudgeSummary,
  renderStudy,
  renderStudyFooter,
} from "./text/stage-summary.js";
export { renderValidation } from "./text/validation-table.js";
export {
  type ImprovementSummaryInput,
  renderImprovementFooter,
  renderImprovementSummary,
} from "./text/improvement-summary.js";
