/** weft's memory in Redis: connection (embedded or REDIS_URL), keys, scripts, registry, audit. */

export {
  FINAL_NODE,
  FINAL_RUN,
  isActiveRun,
  type NodeStatus,
  type RunStatus,
} from "../model/run-model.js";
export {
  type Action,
  type AppliedRoles,
  applyRoles,
  isRole,
  mayDo,
  ROLES,
  type Role,
  refusal,
  roleRules,
  urlAs,
  whoAmI,
} from "./acl.js";
export { type Actor, currentActor } from "./actor.js";
export {
  AUDIT_MAX_LENGTH,
  type AuditAction,
  type AuditEntry,
  appendAudits,
  auditTarget,
  readAudit,
} from "./audit.js";
export {
  type Connection,
  type ConnectionState,
  type ConnectMode,
  connectStore,
  connectTo,
  maskUrl,
  type RedisClient,
  storeUrl,
  storeUser,
} from "./connect.js";
export { type DeadLetter, DeadLetters } from "./dead-letters.js";
export { type Draft, DraftStore } from "./drafts.js";
export { embeddedStatus, ensureEmbeddedRedis, stopEmbeddedRedis } from "./embedded.js";
export * from "./errors.js";
export { entryEvents, type RunEvent } from "./events.js";
export type { StoreHandle } from "./handle.js";
export { embeddedPaths, weftHome } from "./home.js";
export { DEFAULT_PREFIX, type StoreKeys, storeKeys } from "./keys.js";
export { LayoutCache } from "./layout-cache.js";
export {
  type SavedVersion,
  type SaveResult,
  type StoredVersion,
  type VersionInfo,
  WorkflowRegistry,
  type WorkflowSummary,
} from "./registry.js";
export { type Follower, type FollowHandlers, RunEvents } from "./run-events.js";
export { runIndexPage, serverInfo } from "./run-index.js";
export {
  type Claimed,
  type ClaimRequest,
  type ClaimResult,
  type CompleteRequest,
  type CompleteResult,
  type Completion,
  type FailureMode,
  LOOK_AGAIN_MS,
  type NewRun,
  type Renewal,
  type RunInfo,
  type RunRecord,
  RunStore,
} from "./runs.js";
export { ScheduleStore } from "./schedules.js";
export { SweepIndex } from "./sweep-index.js";
export { type CacheScope, TaskCacheStore } from "./task-cache.js";
export { WorkerRegistry } from "./workers.js";
