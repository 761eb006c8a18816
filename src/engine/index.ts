/** The orchestrator: runs pinned to versions, Lua transitions, workers, handlers. */

export type { Clock } from "./clock.js";
export { Engine, type LoadedRun, ParamsError } from "./engine.js";
export { executeNode, type Outcome, TimeoutError } from "./execute.js";
export { HANDLERS, HandlerError } from "./handlers/index.js";
export { compilePlan, type ExecutionPlan, type PlanNode, retryDelayMs } from "./plan.js";
export {
  decideFailure,
  type FailureDecision,
} from "./retry-policy.js";
export { type Fired, type ScheduleRow, Scheduler } from "./scheduler.js";
export { ShutdownError, Worker, type WorkerEvent, type WorkerOptions } from "./worker.js";
