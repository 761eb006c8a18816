/**
 * Running one claimed node: gateways decide which edges are taken, tasks call their handler
 * with `${...}` resolved, `map` fans a task out over a list. The outcome goes back to Redis
 * through one transition; nothing here writes to Redis.
 */
import { CronExpressionParser } from "cron-parser";
import {
  type CelScope,
  type CelValues,
  closingBrace,
  evaluateExpression,
  mapStrings,
  parseDuration,
  templateText,
} from "../spec/index.js";
import { HANDLERS, HandlerError } from "./handlers/index.js";
import { shellCommand } from "./handlers/shell-command.js";
import type { ExecutionPlan, PlanNode, RetryPolicy } from "./plan.js";
import { cacheKey } from "./task-cache.js";

export type Outcome =
  | {
      ok: true;
      output: unknown;
      taken: "all" | string[];
      /** A delay node: wait in Redis until then (ms), holding no worker slot. */
      waitUntil?: number;
      /** The output came from the cache: the handler did not run. */
      cached?: true;
      /** A map node: `output` is its items, each then run as an item of its own. */
      map?: { count: number; limit: number };
    }
  | {
      ok: false;
      error: string;
      code?: number | string;
      /** What the process printed to stdout before it failed (shell tasks). */
      stdout?: string;
      retryable: boolean;
      /** The handler stops the whole run (`retries.abortOn`, a module's AbortRun). */
      abort?: true;
    };

export interface NodeContext {
  plan: ExecutionPlan;
  scope: CelScope;
  /** Reads outputs and statuses of finished nodes (only called when an expression needs them). */
  values(): Promise<CelValues>;
  attempt: number;
  idempotencyKey: string;
  signal: AbortSignal;
  log(text: string): void;
  /** Marks the node's result (an output cut at its cap). */
  note?(text: string): void;
  /** Keeps and serves task outputs (`cache:`); absent where nothing is kept. */
  cache?(
    request: { scope: "global" | "run"; key: string; ttlMs: number | undefined },
    compute: () => Promise<unknown>,
  ): Promise<{ value: unknown; hit: boolean }>;
  /** Runs a child workflow to its end (sub-workflow nodes); absent where children cannot run. */
  runChild?(
    ref: string,
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ChildResult>;
}

export type ChildResult =
  | { status: "succeeded"; outputs: Record<string, unknown>; id: string }
  | {
      status: "failed" | "cancelled" | "compensated" | "compensation_failed";
      reason: string;
      id: string;
    };

const SHELL_COMMAND_KEYS = new Set(["command", "script", "shell"]);

/** `${expr}` in a string: the raw value when the string is one expression, else text. */
function resolveString(text: string, evaluate: (expr: string) => unknown): unknown {
  const whole = /^\$\{([\s\S]*)\}$/.exec(text);
  if (whole && !text.startsWith("$${") && !whole[1]!.includes("${")) return evaluate(whole[1]!);
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.startsWith("${", i)) {
      const end = closingBrace(text, i + 2);
      const j = end < 0 ? text.length : end;
      const value = evaluate(text.slice(i + 2, j));
      out += templateText(value);
      i = j + 1;
      continue;
    }
    out += text[i];
    i++;
  }
  return out;
}

/** Resolves the `${...}` of one string (strings without one are left as they are). */
const substitution =
  (evaluate: (expr: string) => unknown) =>
  (text: string): unknown =>
    text.includes("${") ? resolveString(text, evaluate) : text;

function resolveValue(value: unknown, evaluate: (expr: string) => unknown): unknown {
  return mapStrings(value, substitution(evaluate));
}

function failure(cause: unknown, policy: RetryPolicy): Outcome {
  const code = cause instanceof HandlerError ? cause.code : undefined;
  const error = cause instanceof Error ? cause.message : String(cause);
  const listed = (codes: readonly (number | string)[]) =>
    code !== undefined && codes.some((c) => String(c) === String(code));
  const abort = (cause instanceof HandlerError && cause.abort) || listed(policy.abortOn);
  return {
    ok: false,
    error,
    ...(code !== undefined ? { code } : {}),
    ...(cause instanceof HandlerError && cause.stdout !== undefined
      ? { stdout: cause.stdout }
      : {}),
    retryable: !abort && !listed(policy.nonRetryable),
    ...(abort ? { abort: true as const } : {}),
  };
}

/** A handler with everything it is given, ready to call (and to name, for the cache). */
interface HandlerCall {
  handler: keyof typeof HANDLERS;
  args: Record<string, unknown>;
  values: string[];
  run(): Promise<unknown>;
}

function prepareHandler(
  p: PlanNode,
  ctx: NodeContext,
  values: CelValues | undefined,
  extra?: { item: unknown; index: number },
): HandlerCall {
  const node = p.node;
  if (node.kind !== "task" && node.kind !== "compensation")
    throw new Error(`${node.kind} is not a task`);
  const scope = extra ? { ...ctx.scope, mapped: true } : ctx.scope;
  const evaluate = (expr: string) =>
    evaluateExpression(expr, scope, { ...values!, ...(extra ?? {}) });
  const substitute = substitution(evaluate);
  const args: Record<string, unknown> = {};
  let shellValues: string[] = [];
  for (const [key, value] of Object.entries(node.with))
    if (node.handler !== "shell" || !SHELL_COMMAND_KEYS.has(key))
      args[key] = mapStrings(value, substitute);
  if (node.handler === "shell") {
    // The workflow's environment (`defaults.env`, Dagu's DAG-level `env`) under the task's own.
    const shared = ctx.plan.workflow.defaults.env;
    if (shared)
      args.env = {
        ...(mapStrings(shared, substitute) as Record<string, string>),
        ...((args.env as Record<string, string> | undefined) ?? {}),
      };
    // The command is resolved as a whole: values stay data (see handlers/shell-command.ts).
    const command = shellCommand(node.with, evaluate, substitute);
    args.argv = command.argv;
    shellValues = command.values;
  }
  const handler = node.handler;
  return {
    handler,
    args,
    values: shellValues,
    run: () =>
      HANDLERS[handler]({
        args,
        signal: ctx.signal,
        idempotencyKey: ctx.idempotencyKey,
        log: ctx.log,
        templates: { values: shellValues },
        killGraceMs: p.killGraceMs,
        caps: p.outputCaps,
        ...(ctx.note ? { note: ctx.note } : {}),
      }),
  };
}

const runHandler = (...a: Parameters<typeof prepareHandler>): Promise<unknown> =>
  prepareHandler(...a).run();

const predecessors = new WeakMap<ExecutionPlan, Map<string, string[]>>();

/** The nodes with an edge into `id` (worked out once per plan). */
function inputsOf(plan: ExecutionPlan, id: string): string[] {
  let byNode = predecessors.get(plan);
  if (!byNode) {
    byNode = new Map();
    for (const n of plan.nodes.values())
      for (const e of n.out) byNode.set(e.to, [...(byNode.get(e.to) ?? []), n.id]);
    predecessors.set(plan, byNode);
  }
  return byNode.get(id) ?? [];
}

/** A task with `cache:`: its kept output, or its handler's (kept for the next). */
async function cachedHandler(
  p: PlanNode,
  ctx: NodeContext,
  values: CelValues,
  cache: NonNullable<NodeContext["cache"]>,
): Promise<Outcome> {
  const node = p.node;
  if (node.kind !== "task" || !node.cache) throw new Error(`${p.id} has no cache`);
  const call = prepareHandler(p, ctx, values);
  const nodes = (values.nodes ?? {}) as Record<string, { output?: unknown }>;
  const inputs = Object.fromEntries(
    inputsOf(ctx.plan, p.id).map((id) => [id, nodes[id]?.output ?? null]),
  );
  const key = cacheKey({ handler: call.handler, with: call.args, values: call.values, inputs });
  const ttl = node.cache.ttl === undefined ? undefined : parseDuration(node.cache.ttl);
  const { value, hit } = await cache({ scope: node.cache.scope, key, ttlMs: ttl }, call.run);
  return { ok: true, output: value, taken: "all", ...(hit ? { cached: true as const } : {}) };
}

const valuesNeeded = new WeakMap<PlanNode, boolean>();

/** Whether a node reads earlier outputs or params (worked out once per plan node). */
function needsValues(p: PlanNode, plan: ExecutionPlan): boolean {
  let needed = valuesNeeded.get(p);
  if (needed === undefined) {
    const sharedEnv =
      p.node.kind === "task" || p.node.kind === "compensation"
        ? p.node.handler === "shell" &&
          JSON.stringify(plan.workflow.defaults.env ?? {}).includes("${")
        : false;
    needed =
      sharedEnv ||
      JSON.stringify(p.node).includes("${") ||
      p.node.kind === "decision" ||
      p.node.kind === "exclusive" ||
      (p.node.kind === "task" && (p.node.map !== undefined || p.node.cache !== undefined));
    valuesNeeded.set(p, needed);
  }
  return needed;
}

/** The most items one map node may spread. */
export const MAX_MAP_ITEMS = 100_000;

/**
 * Runs a node; with `item`, one item of a map node (its handler with `item` and `index`). A map
 * node itself only works out its items: they run as items of their own, on any worker.
 */
export async function executeNode(
  p: PlanNode,
  ctx: NodeContext,
  item?: { item: unknown; index: number },
): Promise<Outcome> {
  const node = p.node;
  try {
    const values = needsValues(p, ctx.plan) ? await ctx.values() : undefined;
    if (item) return { ok: true, output: await runHandler(p, ctx, values, item), taken: "all" };
    switch (node.kind) {
      case "decision": {
        const result = evaluateExpression(node.condition, ctx.scope, values!);
        if (typeof result !== "boolean")
          return {
            ok: false,
            error: `condition gave ${JSON.stringify(result)}, not true or false`,
            retryable: false,
          };
        return {
          ok: true,
          output: result,
          taken: p.out.filter((e) => e.branch === result).map((e) => e.to),
        };
      }
      case "exclusive": {
        for (const edge of p.out) {
          if (
            edge.condition !== undefined &&
            evaluateExpression(edge.condition, ctx.scope, values!) === true
          )
            return { ok: true, output: edge.to, taken: [edge.to] };
        }
        const fallback = p.out.find((e) => e.isDefault);
        return { ok: true, output: fallback?.to ?? null, taken: fallback ? [fallback.to] : [] };
      }
      case "parallel":
        return { ok: true, output: null, taken: "all" };
      case "delay": {
        const until =
          node.duration !== undefined
            ? Date.now() + (parseDuration(node.duration) ?? 0)
            : node.cron !== undefined
              ? CronExpressionParser.parse(node.cron).next().getTime()
              : Date.parse(
                  String(
                    resolveValue(node.until, (e) => evaluateExpression(e, ctx.scope, values!)),
                  ),
                );
        if (Number.isNaN(until))
          return {
            ok: false,
            error: `until gave ${JSON.stringify(node.until)}, not a time`,
            retryable: false,
          };
        // The wait is kept in Redis (the run's delayed set), not in this worker's slot.
        return until > Date.now()
          ? { ok: true, output: null, taken: "all", waitUntil: until }
          : { ok: true, output: null, taken: "all" };
      }
      case "subworkflow": {
        if (!ctx.runChild)
          return {
            ok: false,
            error: "sub-workflow nodes cannot run here",
            code: "unsupported",
            retryable: false,
          };
        const params = resolveValue(node.params, (expr) =>
          evaluateExpression(expr, ctx.scope, values!),
        ) as Record<string, unknown>;
        const child = await ctx.runChild(node.workflow, params, ctx.signal);
        ctx.log(`child run ${child.id}: ${child.status}\n`);
        if (child.status === "succeeded") return { ok: true, output: child.outputs, taken: "all" };
        return {
          ok: false,
          error: `child run ${child.id} ${child.status}: ${child.reason}`,
          code: `child_${child.status}`,
          retryable: child.status === "failed",
        };
      }
      case "compensation":
      case "task": {
        if (node.kind === "task" && node.map) {
          const items = evaluateExpression(node.map.over, ctx.scope, values!);
          if (!Array.isArray(items))
            return {
              ok: false,
              error: `map.over gave ${JSON.stringify(items)?.slice(0, 60)}, not a list`,
              retryable: false,
            };
          if (items.length > MAX_MAP_ITEMS)
            return {
              ok: false,
              error: `map.over gave ${items.length} items; a map spreads at most ${MAX_MAP_ITEMS}`,
              retryable: false,
            };
          return {
            ok: true,
            output: items,
            taken: "all",
            map: { count: items.length, limit: node.map.concurrency },
          };
        }
        if (node.kind === "task" && node.cache && ctx.cache)
          return await cachedHandler(p, ctx, values!, ctx.cache);
        return { ok: true, output: await runHandler(p, ctx, values), taken: "all" };
      }
    }
  } catch (cause) {
    if (ctx.signal.aborted) {
      const reason = ctx.signal.reason;
      return {
        ok: false,
        error: reason instanceof Error ? reason.message : String(reason),
        code: "aborted",
        retryable: reason instanceof TimeoutError,
      };
    }
    return failure(cause, p.retries);
  }
}

/** The reason a node's signal aborts when its time is up (retryable, unlike a cancel). */
export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}
