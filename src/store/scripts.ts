/**
 * The Lua scripts in lua/, loaded once per client with ioredis `defineCommand`; their replies
 * are turned into values or typed errors here and nowhere else.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChainableCommander } from "ioredis";
import type { RedisClient } from "./connect.js";
import { ConflictError, ScriptReplyError } from "./errors.js";
import { runModelPrelude } from "./run-prelude.js";

/** lua/ stays in src/ (tsc does not copy it); both src/store and dist/store sit two levels down. */
const LUA_DIR = join(
  resolve(dirname(fileURLToPath(import.meta.url)), "../.."),
  "src",
  "store",
  "lua",
);

const SCRIPTS = {
  saveWorkflows: { file: "save-workflows.lua", keys: undefined },
  deleteWorkflow: { file: "delete-workflow-3.lua", keys: 3 },
  startRun: { file: "start-run.lua", keys: undefined },
  claimRun: { file: "claim-run.lua", keys: undefined },
  completeRun: { file: "complete-run.lua", keys: undefined },
  failRun: { file: "fail-run.lua", keys: undefined },
  promoteRun: { file: "promote-run.lua", keys: undefined },
  renewRun: { file: "renew-run.lua", keys: undefined },
  cancelRun: { file: "cancel-run.lua", keys: undefined },
  retryRun: { file: "retry-run.lua", keys: undefined },
  releaseRun: { file: "release-run.lua", keys: undefined },
  admitRun: { file: "admit-run.lua", keys: undefined },
  gateRuns: { file: "gate-runs.lua", keys: 2 },
  gateNodes: { file: "gate-nodes.lua", keys: 2 },
  parkRun: { file: "park-run.lua", keys: undefined },
  unparkRun: { file: "unpark-run.lua", keys: undefined },
} as const;

/**
 * Run scripts share the run model's generated tables and lua/includes/run.lua, prepended here so
 * each stays one self-contained script.
 */
const RUN_SCRIPTS = new Set([
  "start-run.lua",
  "claim-run.lua",
  "complete-run.lua",
  "fail-run.lua",
  "promote-run.lua",
  "renew-run.lua",
  "cancel-run.lua",
  "retry-run.lua",
  "release-run.lua",
  "admit-run.lua",
  "park-run.lua",
  "unpark-run.lua",
]);

/** Scripts that write the audit, with includes/audit.lua in front. */
const AUDIT_SCRIPTS = new Set(["save-workflows.lua", "delete-workflow-3.lua"]);

export type ScriptName = keyof typeof SCRIPTS;
type Caller = (...args: (string | number)[]) => Promise<unknown>;

const loaded = new WeakSet<RedisClient>();

/** The text of one script as Redis runs it (run scripts with their prelude and includes). */
export function scriptSource(file: string): string {
  const own = readFileSync(join(LUA_DIR, file), "utf8");
  if (AUDIT_SCRIPTS.has(file))
    return `${readFileSync(join(LUA_DIR, "includes", "audit.lua"), "utf8")}\n${own}`;
  return RUN_SCRIPTS.has(file)
    ? `${runModelPrelude()}${readFileSync(join(LUA_DIR, "includes", "run.lua"), "utf8")}\n${own}`
    : own;
}

/** Where the scripts live, for tests that read them. */
export const LUA_SOURCES = LUA_DIR;

function ensureScripts(redis: RedisClient) {
  if (loaded.has(redis)) return;
  for (const [name, { file, keys }] of Object.entries(SCRIPTS)) {
    const lua = scriptSource(file);
    redis.defineCommand(name, keys === undefined ? { lua } : { lua, numberOfKeys: keys });
  }
  loaded.add(redis);
}

export function call(
  redis: RedisClient,
  name: ScriptName,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  ensureScripts(redis);
  const fn = (redis as unknown as Record<string, Caller>)[name]!.bind(redis);
  return SCRIPTS[name].keys === undefined
    ? fn(keys.length, ...keys, ...args)
    : fn(...keys, ...args);
}

/** Adds one command to a pipeline. */
export type PipelineOp = (pipeline: ChainableCommander) => void;

/** A script call as a pipeline op. */
export function scriptOp(name: ScriptName, keys: string[], args: (string | number)[]): PipelineOp {
  return (pipeline) => {
    const fn = (pipeline as unknown as Record<string, Caller>)[name]!.bind(pipeline);
    void (SCRIPTS[name].keys === undefined
      ? fn(keys.length, ...keys, ...args)
      : fn(...keys, ...args));
  };
}

/**
 * Sends commands together: one pipeline (one write, one round trip) on a single Redis; on a
 * cluster, where a pipeline must stay on one node, each goes on its own, all at once. Replies
 * come back in order, an Error in place of a command that failed. Order of execution is only
 * guaranteed on a single Redis.
 */
export async function together(redis: RedisClient, ops: PipelineOp[]): Promise<unknown[]> {
  if (ops.length === 0) return [];
  ensureScripts(redis);
  const replies = redis.isCluster
    ? await Promise.all(
        ops.map(async (op) => {
          const pipeline = redis.pipeline();
          op(pipeline);
          return ((await pipeline.exec()) ?? [])[0];
        }),
      )
    : await (() => {
        const pipeline = redis.pipeline();
        for (const op of ops) op(pipeline);
        return pipeline.exec();
      })();
  return ops.map((_, i) => {
    const [error, value] = replies?.[i] ?? [new Error("no reply"), undefined];
    return error ?? value;
  });
}

export interface SaveItem {
  name: string;
  canonical: string;
  hash: string;
  /** undefined: no check; 0: must be new; n: must still be the current version. */
  parent: number | undefined;
  nodes: number;
  /** JSON of the author's order of nodes, edges and parameters: kept, never hashed. */
  presentation: string;
  keys: { meta: string; versions: string; info: string; hashes: string };
}

export interface SaveContext {
  index: string;
  audit: string;
  now: number;
  author: string;
  host: string;
  message: string;
  /** See includes/audit.lua: a max length, `hash:<role>` or `none`. */
  auditSpec: string;
  action: "save" | "import";
}

export async function saveWorkflowsScript(
  redis: RedisClient,
  ctx: SaveContext,
  items: SaveItem[],
): Promise<{ version: number; created: boolean }[]> {
  const keys = [
    ctx.index,
    ctx.audit,
    ...items.flatMap((i) => [i.keys.meta, i.keys.versions, i.keys.info, i.keys.hashes]),
  ];
  const args = [
    ctx.now,
    ctx.author,
    ctx.host,
    ctx.message,
    ctx.auditSpec,
    ctx.action,
    ...items.flatMap((i) => [
      i.name,
      i.canonical,
      i.hash,
      i.parent === undefined ? "" : String(i.parent),
      i.nodes,
      i.presentation,
    ]),
  ];
  const reply = (await call(redis, "saveWorkflows", keys, args)) as (number | string)[];
  if (reply[0] === -1) {
    const index = Number(reply[1]);
    throw new ConflictError(
      String(reply[2]),
      items[index]?.parent ?? 0,
      Number(reply[3]),
      String(reply[4]),
      String(reply[5] ?? ""),
    );
  }
  if (reply[0] !== 1 || reply.length !== 1 + 2 * items.length)
    throw new ScriptReplyError(`save-workflows replied ${JSON.stringify(reply)}`);
  return items.map((_, i) => ({
    version: Number(reply[1 + 2 * i]),
    created: reply[2 + 2 * i] === "created",
  }));
}

export async function deleteWorkflowScript(
  redis: RedisClient,
  keys: [string, string, string],
  args: { now: number; who: string; host: string; auditSpec: string; name: string },
): Promise<number> {
  const reply = await call(redis, "deleteWorkflow", keys, [
    args.now,
    args.who,
    args.host,
    args.auditSpec,
    args.name,
  ]);
  if (typeof reply !== "number")
    throw new ScriptReplyError(`delete-workflow replied ${JSON.stringify(reply)}`);
  return reply;
}
