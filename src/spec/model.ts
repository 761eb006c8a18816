/**
 * The native workflow spec (../shared/DESIGN.md section 2) as zod schemas. The schema checks
 * shapes and fills defaults; rules that need the whole graph live in validate/.
 */
import { z } from "zod";

export const NODE_KINDS = [
  "task",
  "decision",
  "exclusive",
  "parallel",
  "delay",
  "compensation",
  "subworkflow",
] as const;
export const HANDLERS = ["shell", "http", "module", "noop", "sleep", "fail"] as const;
export const PARAMETER_TYPES = [
  "string",
  "number",
  "integer",
  "boolean",
  "enum",
  "object",
  "array",
] as const;

/** Workflow names and node ids are at most this long: they end up in keys, tables and titles. */
export const MAX_NAME_LENGTH = 128;
/** Workflow names: lower case, digits, `_ . -`; they appear in keys, CLI args and `name@3`. */
export const WORKFLOW_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
/** Node ids: like names but without dots, so `nodes.<id>` stays a readable CEL path. */
export const NODE_ID = /^[a-z0-9][a-z0-9_-]*$/;
/** Parameter names are CEL identifiers: `params.<name>`. */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type NodeKind = (typeof NODE_KINDS)[number];
export type HandlerName = (typeof HANDLERS)[number];

const text = z.string();
const json = z.unknown();
const args = z.record(z.string(), json);

export const RetriesSchema = z.strictObject({
  max: z.number().int().min(0),
  backoff: z.enum(["fixed", "exponential"]).default("fixed"),
  initial: text.default("1s"),
  factor: z.number().min(1).default(2),
  maxDelay: text.optional(),
  jitter: z.boolean().default(false),
  /** Exit codes, HTTP statuses or error codes that fail at once, without retrying. */
  nonRetryable: z.array(z.union([z.number().int(), text])).default([]),
  /** Codes that abort the whole run: no retry, no further node, the saga's compensations run. */
  abortOn: z.array(z.union([z.number().int(), text])).default([]),
});

export const CacheSchema = z.strictObject({
  scope: z.enum(["global", "run"]).default("run"),
  ttl: text.optional(),
});

/**
 * Which failures, their retries spent, let the run go on besides `continueOnFailure` (any): a code
 * listed (exit code, HTTP status, error code), or a line of the task's stdout that matches (`re:`
 * for a regular expression). With `markSuccess` such a failure counts as a success.
 */
export const ContinueOnSchema = z.strictObject({
  codes: z.array(z.union([z.number().int(), text])).default([]),
  output: z.array(text).default([]),
  markSuccess: z.boolean().default(false),
});

export const MapSchema = z.strictObject({
  /** CEL expression yielding the list to fan out over; each job sees `item` and `index`. */
  over: text,
  concurrency: z.number().int().min(1).default(10),
});

const nodeBase = {
  id: text,
  name: text.optional(),
  description: text.optional(),
  queue: text.optional(),
  priority: z.number().int().default(0),
  /** Times an attempt may lose its worker (lease expired) before the node fails; default 2. */
  lostAttempts: z.number().int().min(1).optional(),
};

const handlerFields = {
  handler: z.enum(HANDLERS),
  with: args.default({}),
  timeout: text.optional(),
  /** Between SIGTERM and SIGKILL when a cancel or a timeout stops the handler; default 5s. */
  killGrace: text.optional(),
  retries: RetriesSchema.optional(),
};

export const TaskNodeSchema = z.strictObject({
  ...nodeBase,
  kind: z.literal("task"),
  ...handlerFields,
  compensation: text.optional(),
  output: text.optional(),
  cache: CacheSchema.optional(),
  map: MapSchema.optional(),
  /** At most this many attempts of the node run at once, across all runs of the workflow. */
  concurrency: z.number().int().min(1).optional(),
  continueOnFailure: z.boolean().default(false),
  continueOn: ContinueOnSchema.optional(),
});

export const DecisionNodeSchema = z.strictObject({
  ...nodeBase,
  kind: z.literal("decision"),
  condition: text,
});

export const ExclusiveNodeSchema = z.strictObject({ ...nodeBase, kind: z.literal("exclusive") });
export const ParallelNodeSchema = z.strictObject({ ...nodeBase, kind: z.literal("parallel") });

export const DelayNodeSchema = z.strictObject({
  ...nodeBase,
  kind: z.literal("delay"),
  duration: text.optional(),
  until: text.optional(),
  cron: text.optional(),
});

export const CompensationNodeSchema = z.strictObject({
  ...nodeBase,
  kind: z.literal("compensation"),
  ...handlerFields,
  compensates: text.optional(),
});

export const SubworkflowNodeSchema = z.strictObject({
  ...nodeBase,
  kind: z.literal("subworkflow"),
  workflow: text,
  params: args.default({}),
  timeout: text.optional(),
  output: text.optional(),
  continueOnFailure: z.boolean().default(false),
});

export const NodeSchema = z.discriminatedUnion("kind", [
  TaskNodeSchema,
  DecisionNodeSchema,
  ExclusiveNodeSchema,
  ParallelNodeSchema,
  DelayNodeSchema,
  CompensationNodeSchema,
  SubworkflowNodeSchema,
]);

export const EdgeSchema = z.strictObject({
  from: text,
  to: text,
  /** On a decision's edges: `true` or `false`. On an exclusive gateway's: a CEL expression. */
  condition: z.union([z.boolean(), text]).optional(),
  /** On an exclusive gateway: the edge taken when no condition holds. */
  default: z.boolean().default(false),
  label: text.optional(),
});

export const ParameterSchema = z.strictObject({
  type: z.enum(PARAMETER_TYPES).default("string"),
  required: z.boolean().default(false),
  default: json.optional(),
  description: text.optional(),
  enum: z.array(json).optional(),
});

export const DefaultsSchema = z.strictObject({
  timeout: text.optional(),
  killGrace: text.optional(),
  lostAttempts: z.number().int().min(1).optional(),
  retries: RetriesSchema.optional(),
  queue: text.optional(),
  priority: z.number().int().optional(),
  /** Environment given to every shell task (Dagu's DAG-level `env`). */
  env: z.record(z.string(), text).optional(),
});

export const LimitsSchema = z.strictObject({
  maxNodes: z.number().int().min(1).optional(),
  maxFanOut: z.number().int().min(1).optional(),
  maxRetries: z.number().int().min(0).optional(),
  maxTimeout: text.optional(),
  maxRunDuration: text.optional(),
  /** Runs of this workflow at once; more wait, queued, until one finishes. */
  maxConcurrentRuns: z.number().int().min(1).optional(),
  /** Bytes of a shell task's stdout kept (its output and log); the rest is dropped and noted. */
  maxStdout: z.number().int().min(1).optional(),
  /** Bytes of a shell task's stderr kept in its log. */
  maxStderr: z.number().int().min(1).optional(),
});

/** When runs start on their own (see schedule.ts): a cron string, a list, or a mapping. */
export const ScheduleSchema = z.union([
  text,
  z.array(text).min(1),
  z.strictObject({
    cron: z.union([text, z.array(text).min(1)]),
    timezone: text.optional(),
    /** Ticks missed while no scheduler ran: none fire, one run for them all, or one each. */
    missed: z.enum(["skip", "once", "all"]).default("once"),
    params: z.record(z.string(), json).default({}),
  }),
]);

export const WorkflowSchema = z.strictObject({
  name: text,
  description: text.optional(),
  schedule: ScheduleSchema.optional(),
  parameters: z.record(z.string(), ParameterSchema).default({}),
  defaults: DefaultsSchema.default({}),
  limits: LimitsSchema.default({}),
  metadata: z.record(z.string(), json).default({}),
  nodes: z.array(NodeSchema).default([]),
  edges: z.array(EdgeSchema).default([]),
});

export type Workflow = z.output<typeof WorkflowSchema>;
export type WorkflowInput = z.input<typeof WorkflowSchema>;
export type WorkflowNode = z.output<typeof NodeSchema>;
export type TaskNode = z.output<typeof TaskNodeSchema>;
export type CompensationNode = z.output<typeof CompensationNodeSchema>;
export type SubworkflowNode = z.output<typeof SubworkflowNodeSchema>;
export type Edge = z.output<typeof EdgeSchema>;
export type Parameter = z.output<typeof ParameterSchema>;
export type Retries = z.output<typeof RetriesSchema>;
export type Limits = z.output<typeof LimitsSchema>;

/** Keys each object accepts, for "did you mean" hints on unknown keys. */
export const KNOWN_KEYS = {
  workflow: Object.keys(WorkflowSchema.shape),
  edge: Object.keys(EdgeSchema.shape),
  parameter: Object.keys(ParameterSchema.shape),
  node: Object.fromEntries(
    NodeSchema.options.map((s) => [s.shape.kind.value, Object.keys(s.shape)]),
  ) as Record<NodeKind, string[]>,
} as const;

/** A node's `output: NAME` (Dagu's named output), when it has one. */
export const outputName = (node: WorkflowNode): string | undefined =>
  "output" in node && typeof node.output === "string" ? node.output : undefined;

/** The edge's id in findings and in the designer: `from->to`. */
export const edgeId = (edge: { from: string; to: string }): string => `${edge.from}->${edge.to}`;

/** The limits weft applies when a workflow sets none (../shared/DESIGN.md section 6). */
export const DEFAULT_LIMITS = {
  maxNodes: 500,
  maxFanOut: 100,
  maxRetries: 25,
  maxTimeout: "24h",
  maxRunDuration: "7d",
  maxStdout: 1024 * 1024,
  maxStderr: 1024 * 1024,
} as const;
