/**
 * Dagu's keys in both dialects. Older files spell keys in camelCase (`retryPolicy`), current
 * ones in snake_case (`retry_policy`); every key is read through `toSnake` and looked up here.
 */

export const toSnake = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();

/** Old spellings that are not a plain case change. */
const ALIASES: Record<string, string> = {
  dir: "working_dir",
  precondition: "preconditions",
  failed: "failure",
};

export const canonicalKey = (key: string): string => {
  const snake = toSnake(key);
  return ALIASES[snake] ?? snake;
};

/** Top-level keys weft carries out. */
export const DAG_KEYS = new Set([
  "name",
  "description",
  "type",
  "params",
  "env",
  "steps",
  "schedule",
  "preconditions",
  "tags",
  "labels",
  "group",
  "timeout_sec",
  "working_dir",
  "shell",
]);

/** Step keys weft carries out. */
export const STEP_KEYS = new Set([
  "name",
  "id",
  "description",
  "command",
  "script",
  "run",
  "call",
  "params",
  "depends",
  "output",
  "retry_policy",
  "continue_on",
  "preconditions",
  "working_dir",
  "env",
  "shell",
  "timeout_sec",
  "stdout",
  "stderr",
]);

export const RETRY_KEYS = new Set([
  "limit",
  "interval_sec",
  "backoff",
  "max_interval_sec",
  "exit_code",
]);
export const CONTINUE_KEYS = new Set([
  "failure",
  "failed",
  "skipped",
  "exit_code",
  "output",
  "mark_success",
]);
export const PRECONDITION_KEYS = new Set(["condition", "expected", "command", "eval", "negate"]);

/**
 * Dagu fields weft knows but does not carry out: each is reported by name and kept under
 * `metadata.dagu`, so exporting the workflow loses nothing.
 */
export const UNSUPPORTED_DAG_KEYS: Record<string, string> = {
  skip_if_successful: "scheduling",
  catchup_window: "scheduling",
  overlap_policy: "scheduling",
  restart_wait_sec: "scheduling",
  delay_sec: "scheduling",
  webhook: "triggers",
  forward_headers: "triggers",
  queue: "Dagu's run queues",
  max_active_runs: "concurrency limits",
  max_active_steps: "concurrency limits",
  worker_selector: "worker selection",
  resources: "resource limits",
  smtp: "mail",
  mail_on: "mail",
  error_mail: "mail",
  info_mail: "mail",
  wait_mail: "mail",
  handler_on: "lifecycle handlers",
  container: "containers",
  registry_auths: "container registries",
  ssh: "remote execution",
  kubernetes: "remote execution",
  s3: "executor defaults",
  redis: "executor defaults",
  llm: "LLM steps",
  harness: "executor defaults",
  harnesses: "executor defaults",
  hist_retention_days: "history retention",
  hist_retention_runs: "history retention",
  log_dir: "log files",
  log_output: "log files",
  output_buffering: "log files",
  artifacts: "artifacts",
  artifact_dir: "artifacts",
  enable_artifact: "artifacts",
  max_output_size: "output capture",
  max_clean_up_time_sec: "process control",
  otel: "tracing",
  run_config: "the Dagu UI",
  secrets: "secret providers",
  tools: "tool packages",
  dotenv: ".env files",
  consts: "constants",
  defaults: "step defaults",
  step_types: "custom step types",
  actions: "custom actions",
  shell_args: "shell arguments",
  retry_policy: "whole-DAG retries",
};

export const UNSUPPORTED_STEP_KEYS: Record<string, string> = {
  log_output: "log files",
  shell_packages: "nix-shell packages",
  shell_args: "shell arguments",
  repeat_policy: "repeating steps",
  mail_on_error: "mail",
  signal_on_stop: "process control",
  parallel: "parallel sub-DAG items",
  worker_selector: "worker selection",
  output_schema: "structured outputs",
  outputs: "structured outputs",
  executor: "executors",
  type: "executors",
  config: "executors",
  action: "actions",
  with: "actions",
  container: "containers",
  llm: "LLM steps",
  messages: "LLM steps",
  agent: "agent steps",
  approval: "approval gates",
  value: "router steps",
  routes: "router steps",
  exec: "executors",
};

/** Step keys that name something Dagu runs and weft cannot: such a step fails loudly when run. */
export const EXECUTOR_KEYS = [
  "executor",
  "type",
  "action",
  "container",
  "llm",
  "agent",
  "approval",
  "routes",
  "exec",
];

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every spelling a user could have meant, for "did you mean" on unknown keys. */
export const spellings = (keys: Iterable<string>): string[] =>
  [...keys].flatMap((k) => [k, camel(k)]);
