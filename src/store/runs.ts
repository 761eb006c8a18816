/**
 * A run's state in Redis, through one Lua script per transition (lua/*-run.lua). This layer
 * knows keys and replies; what to run and when is the engine's business.
 */
import type { RedisClient } from "./connect.js";
import { ScriptReplyError } from "./errors.js";
import type { RunKeys, StoreKeys } from "./keys.js";
import { call } from "./scripts.js";

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type NodeStatus =
  | "pending"
  | "queued"
  | "running"
  | "retrying"
  | "succeeded"
  | "failed"
  | "skipped"
  | "cancelled";

export interface NewRun {
  id: string;
  fields: Record<string, string | number>;
  queues: string[];
  /** Flow nodes: id, queue, outgoing targets, incoming edge count. */
  nodes: { id: string; queue: string; out: string[]; incoming: number }[];
  roots: string[];
}

export interface Claimed {
  node: string;
  attempt: number;
  token: number;
}

export interface Completion {
  node: string;
  token: number;
  output?: unknown;
  /** Targets whose edges are taken: "all", or a list (empty: none). */
  taken: "all" | string[];
}

export interface RunRecord {
  id: string;
  fields: Record<string, string>;
  nodes: Record<
    string,
    { status: NodeStatus; attempt: number; start?: number; end?: number; error?: string }
  >;
}

const asList = (reply: unknown, what: string): (string | number)[] => {
  if (!Array.isArray(reply)) throw new ScriptReplyError(`${what} replied ${JSON.stringify(reply)}`);
  return reply as (string | number)[];
};

export class RunStore {
  constructor(
    readonly redis: RedisClient,
    readonly keys: StoreKeys,
  ) {}

  private async run(
    name: Parameters<typeof call>[1],
    id: string,
    queues: readonly string[],
    now: number,
    args: (string | number)[],
  ): Promise<unknown> {
    return call(this.redis, name, this.keys.run(id).scriptKeys(queues), [
      queues.join(","),
      now,
      ...args,
    ]);
  }

  /** Queues of a run, as recorded when it started (every script needs its ready lists). */
  async queuesOf(id: string): Promise<string[]> {
    const queues = await this.redis.hget(this.keys.run(id).meta, "queues");
    return queues ? queues.split(",") : [];
  }

  async start(run: NewRun, now: number): Promise<string[]> {
    const nodes = run.nodes.map((n) => [n.id, n.queue, n.out.join(","), n.incoming]);
    const reply = asList(
      await this.run("startRun", run.id, run.queues, now, [
        JSON.stringify(run.fields),
        JSON.stringify(nodes),
        run.roots.join(","),
      ]),
      "start-run",
    );
    if (reply[0] !== 1) throw new ScriptReplyError(`run ${run.id} exists already`);
    const touched = reply.slice(1).map(String);
    const pipeline = this.redis.pipeline();
    pipeline.zadd(this.keys.runIndex, now, run.id);
    if (typeof run.fields.workflow === "string")
      pipeline.zadd(this.keys.runsOfWorkflow(run.fields.workflow), now, run.id);
    pipeline.zadd(this.keys.activeRuns, now, run.id);
    await this.hint(run.id, touched, pipeline);
    return touched;
  }

  /** Tells workers that `id` has ready work on `queues` (added to `pipeline` when given, then sent). */
  async hint(
    id: string,
    queues: readonly string[],
    pipeline = this.redis.pipeline(),
  ): Promise<void> {
    for (const q of queues) pipeline.rpush(this.keys.hints(q), id);
    if (pipeline.length > 0) await pipeline.exec();
  }

  async claim(
    id: string,
    queues: readonly string[],
    queue: string,
    max: number,
    leaseMs: number,
    worker: string,
    now: number,
  ): Promise<{ left: number; claimed: Claimed[] }> {
    const reply = asList(
      await this.run("claimRun", id, queues, now, [queue, max, leaseMs, worker]),
      "claim-run",
    );
    const claimed: Claimed[] = [];
    for (let i = 1; i + 2 < reply.length + 1; i += 3)
      claimed.push({
        node: String(reply[i]),
        attempt: Number(reply[i + 1]),
        token: Number(reply[i + 2]),
      });
    return { left: Number(reply[0]), claimed };
  }

  /**
   * Marks nodes succeeded; with `claim`, also leases up to `claim.max` of the nodes this
   * releases to the same worker (saving it a round trip per wave of the run).
   */
  async complete(
    id: string,
    queues: readonly string[],
    done: readonly Completion[],
    now: number,
    claim: { max: number; leaseMs: number; worker: string; queues: readonly string[] } = {
      max: 0,
      leaseMs: 0,
      worker: "",
      queues: [],
    },
  ): Promise<{ stale: number; status: RunStatus; touched: string[]; claimed: Claimed[] }> {
    const args: (string | number)[] = [done.length];
    for (const d of done)
      args.push(
        d.node,
        d.token,
        d.output === undefined ? "" : JSON.stringify(d.output),
        d.taken === "all" ? "*" : d.taken.join(","),
      );
    args.push(claim.max, claim.leaseMs, claim.worker, claim.queues.join(","));
    const reply = asList(await this.run("completeRun", id, queues, now, args), "complete-run");
    const leftCount = Number(reply[2]);
    const touched = reply.slice(3, 3 + leftCount).map(String);
    const claimed: Claimed[] = [];
    for (let i = 3 + leftCount; i + 2 < reply.length; i += 3)
      claimed.push({
        node: String(reply[i]),
        attempt: Number(reply[i + 1]),
        token: Number(reply[i + 2]),
      });
    return { stale: Number(reply[0]), status: String(reply[1]) as RunStatus, touched, claimed };
  }

  async fail(
    id: string,
    queues: readonly string[],
    node: string,
    token: number,
    error: string,
    mode: "retry" | "continue" | "fail",
    dueMs: number,
    now: number,
  ): Promise<{ stale: boolean; status: RunStatus; touched: string[] }> {
    const reply = asList(
      await this.run("failRun", id, queues, now, [node, token, error, mode, dueMs]),
      "fail-run",
    );
    if (reply[0] === 0) return { stale: true, status: "running", touched: [] };
    return {
      stale: false,
      status: String(reply[1]) as RunStatus,
      touched: reply.slice(2).map(String),
    };
  }

  async promote(
    id: string,
    queues: readonly string[],
    now: number,
  ): Promise<{ nextDue: number; status: string; touched: string[] }> {
    const reply = asList(await this.run("promoteRun", id, queues, now, []), "promote-run");
    return {
      nextDue: Number(reply[0]),
      status: String(reply[1]),
      touched: reply.slice(2).map(String),
    };
  }

  /** Gives a node back (the worker stops): it is queued again at once. Returns the queues to hint. */
  async release(
    id: string,
    queues: readonly string[],
    node: string,
    token: number,
    now: number,
  ): Promise<string[]> {
    const reply = asList(
      await this.run("releaseRun", id, queues, now, [node, token]),
      "release-run",
    );
    if (reply[0] !== 1) return [];
    const touched = reply.slice(1).map(String);
    await this.hint(id, touched);
    return touched;
  }

  /** 1 renewed, 0 the attempt is no longer this worker's, -1 the run stopped. */
  async renew(
    id: string,
    queues: readonly string[],
    node: string,
    token: number,
    leaseMs: number,
    now: number,
  ): Promise<number> {
    return Number(await this.run("renewRun", id, queues, now, [node, token, leaseMs]));
  }

  async cancel(
    id: string,
    queues: readonly string[],
    who: string,
    reason: string,
    now: number,
  ): Promise<string> {
    return String(await this.run("cancelRun", id, queues, now, [who, reason]));
  }

  /** Starts a new attempt; `reset` nodes start over. Undefined when the run has not finished. */
  async retry(
    id: string,
    queues: readonly string[],
    who: string,
    reset: { node: string; pending: number; taken: number; root: boolean }[],
    now: number,
  ): Promise<{ attempt: number; touched: string[] } | { running: string }> {
    const payload = JSON.stringify(reset.map((r) => [r.node, r.pending, r.taken, r.root]));
    const reply = asList(await this.run("retryRun", id, queues, now, [who, payload]), "retry-run");
    if (reply[0] === 0) return { running: String(reply[1]) };
    const touched = reply.slice(1).map(String);
    const pipeline = this.redis.pipeline();
    pipeline.zadd(this.keys.activeRuns, now, id);
    await this.hint(id, touched, pipeline);
    return { attempt: Number(reply[0]), touched };
  }

  async read(id: string): Promise<RunRecord | undefined> {
    const k: RunKeys = this.keys.run(id);
    const [fields, state, attempt, times, errors] = await Promise.all([
      this.redis.hgetall(k.meta),
      this.redis.hgetall(k.state),
      this.redis.hgetall(k.attempt),
      this.redis.hgetall(k.times),
      this.redis.hgetall(k.errors),
    ]);
    if (!fields.status) return undefined;
    const nodes: RunRecord["nodes"] = {};
    for (const [node, status] of Object.entries(state)) {
      const start = times[`${node}:start`];
      const end = times[`${node}:end`];
      nodes[node] = {
        status: status as NodeStatus,
        attempt: Number(attempt[node] ?? 0),
        ...(start ? { start: Number(start) } : {}),
        ...(end ? { end: Number(end) } : {}),
        ...(errors[node] ? { error: errors[node] } : {}),
      };
    }
    return { id, fields, nodes };
  }

  async outputs(id: string, nodes?: readonly string[]): Promise<Record<string, unknown>> {
    const k = this.keys.run(id);
    const raw =
      nodes === undefined
        ? await this.redis.hgetall(k.outputs)
        : Object.fromEntries(
            nodes.length === 0
              ? []
              : (await this.redis.hmget(k.outputs, ...nodes)).map((v, i) => [nodes[i]!, v]),
          );
    const out: Record<string, unknown> = {};
    for (const [node, value] of Object.entries(raw))
      if (typeof value === "string") out[node] = JSON.parse(value);
    return out;
  }
}
