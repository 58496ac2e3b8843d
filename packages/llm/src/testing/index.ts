export {
  startMockServer,
  type MockFault,
  type MockHandler,
  type MockRejection,
  type MockReply,
  type MockRequest,
  type MockServer,
  type MockServerOptions,
  type MockServerStats,
} from "./mock-server.js";
export { createFakeModel, FAKE_PERCENTAGE_ITEMS, type FakeModelOptions } from "./fake-model.js";
export { createSchemaRandomModel, type SchemaRandomModelOptions } from "./schema-random-model.js";
export type { PromptCacheOptions } from "./mock-prompt-cache.js";
export type { MockBatchItem, MockBatchOptions, MockBatchOutcome, MockBatchStats } from "./mock-batches.js";
