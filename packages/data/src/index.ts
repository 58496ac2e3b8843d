export { InputError, inputErrorCodes, type InputErrorCode } from "./errors.js";
export {
  readPairs,
  PairReader,
  ReadPairsOptionsSchema,
  type ChunkedReading,
  type ReadPairsOptions,
} from "./read-pairs.js";
export { fileStart, type LinePosition, slicesOf } from "./line-chunks.js";
export { formatSkipReport, type SkipReport, type SkippedRecord } from "./skip-report.js";
export { FormatSchema, formatFromName, type Format } from "./records.js";
export {
  ColumnMappingSchema,
  mappingTargets,
  parseColumnMapping,
  type ColumnMapping,
  type MappingTarget,
} from "./column-mapping.js";
export { LabelMappingSchema, parseLabelMapping, type LabelMapping } from "./label-mapping.js";
export { getPreset, presets } from "./presets/registry.js";
export type { PresetInfo, PresetTask } from "./presets/preset.js";
export { createAtomicWriter, writeFileAtomic, type AtomicWriter } from "./atomic-write.js";
export { writeJsonl } from "./jsonl-writer.js";
export { readValidationItems } from "./validation-items.js";
