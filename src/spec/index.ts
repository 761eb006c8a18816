/**
 * The workflow spec: schema, YAML in and out with positions, Dagu shorthand, canonical form and
 * content hash, CEL, and the validator. Pure: no I/O.
 */
export {
  canonicalJson,
  canonicalJsonWith,
  canonicalStringify,
  contentHash,
  normaliseWorkflow,
  sha256,
  stableStringify,
} from "./canonical.js";
export {
  type CelScope,
  type CelValues,
  type CheckResult,
  checkExpression,
  evaluateExpression,
  isOutputVariable,
  workflowScope,
} from "./cel.js";
export { diffWorkflows, formatDiff, isEmptyDiff, type WorkflowDiff } from "./diff.js";
export { parseDuration } from "./duration.js";
export { decodeUtf8 } from "./encoding.js";
export { escapeControl } from "./escape.js";
export type { Finding, Severity } from "./findings.js";
export { hasErrors, sortFindings, toFinding } from "./findings.js";
export { HANDLER_ARGS } from "./handlers.js";
export {
  compileLinePattern,
  type LinePattern,
  linePatternProblems,
  someLineMatches,
} from "./line-patterns.js";
export {
  type CheckedWorkflow,
  checkWorkflows,
  fileStem,
  type LoadedWorkflow,
  type LoadOptions,
  type LoadResult,
  loadWorkflowBytes,
  loadWorkflowText,
} from "./load.js";
export * from "./model.js";
export {
  checkParams,
  type ParamCheck,
  type ParamProblem,
  parseParamAssignments,
} from "./params.js";
export { type ParamsFileResult, parseParamsText } from "./params-file.js";
export { isReservedName, RESERVED_NAMES } from "./reserved.js";
export {
  dueTimes,
  isTimeZone,
  type MissedPolicy,
  nextDue,
  type ScheduleEntry,
  scheduleEntries,
  scheduleProblem,
} from "./schedule.js";
export {
  isPosixShell,
  isTemplated,
  planShell,
  type ShellPlan,
} from "./shell-invocation.js";
export {
  renderShellScript,
  type ScriptPart,
  type ShellContext,
  scanShellScript,
  shellArgName,
} from "./shell-script.js";
export { splitWords, wordsOf } from "./shell-words.js";
export { binaryUnits } from "./sizes.js";
export { containsComments, READ_LIMITS } from "./source.js";
export {
  closingBrace,
  mapStrings,
  scanTemplate,
  templatedStrings,
  templateText,
} from "./templates.js";
export { parseWorkflowRef, type ValidateContext, validateWorkflow } from "./validate/index.js";
export { toNativeYaml } from "./write.js";
