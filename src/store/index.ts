/** weft's memory in Redis: connection (embedded or REDIS_URL), keys, scripts, registry, audit. */
export { type Actor, currentActor } from "./actor.js";
export { type AuditEntry, readAudit } from "./audit.js";
export {
  type Connection,
  type ConnectionState,
  type ConnectMode,
  connectStore,
  connectTo,
  maskUrl,
  type RedisClient,
  storeUrl,
} from "./connect.js";
export { type Draft, DraftStore } from "./drafts.js";
export { embeddedStatus, ensureEmbeddedRedis, stopEmbeddedRedis } from "./embedded.js";
export * from "./errors.js";
export { entryEvents, type RunEvent } from "./events.js";
export { embeddedPaths, weftHome } from "./home.js";
export { DEFAULT_PREFIX, type StoreKeys, storeKeys } from "./keys.js";
export { LayoutCache } from "./layout-cache.js";
export {
  AUDIT_MAX_LENGTH,
  type SavedVersion,
  type SaveResult,
  type StoredVersion,
  type VersionInfo,
  WorkflowRegistry,
  type WorkflowSummary,
} from "./registry.js";
export {
  type Claimed,
  type ClaimRequest,
  type ClaimResult,
  type CompleteRequest,
  type CompleteResult,
  type Completion,
  FINAL_NODE,
  FINAL_RUN,
  LOOK_AGAIN_MS,
  type NewRun,
  type NodeStatus,
  type RunInfo,
  type RunRecord,
  type RunStatus,
  RunStore,
} from "./runs.js";
