/**
 * A run's state in Redis, through one Lua script per transition (lua/*-run.lua). This layer
 * knows keys and replies; what to run and when is the engine's business.
 */
import { isMapPart, type NodeStatus, type RunStatus } from "../model/run-model.js";
import type { RedisClient } from "./connect.js";
import { ScriptReplyError } from "./errors.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { RunKeys, StoreKeys } from "./keys.js";
import {
  asList,
  type ClaimRequest,
  type ClaimResult,
  type CompleteRequest,
  type CompleteResult,
  type Completion,
  type NewRun,
  parseClaim,
  parseComplete,
  type RunInfo,
  type RunRecord,
  thrown,
} from "./run-replies.js";
import { call, type PipelineOp, type ScriptName, scriptOp, together } from "./scripts.js";

export type {
  Claimed,
  ClaimRequest,
  ClaimResult,
  CompleteRequest,
  CompleteResult,
  Completion,
  NewRun,
  RunInfo,
  RunRecord,
} from "./run-replies.js";

/** How failed attempt ends: retried, the run goes on, the run fails, or the handler aborts the run. */
export type FailureMode = "retry" | "continue" | "fail" | "abort";

/** A node's answer to a lease renewal (renew-run.lua's 1, 0, 2 and 3). */
export type Renewal = "renewed" | "lost" | "stopped" | "stopped now";
const RENEWALS: Renewal[] = ["lost", "renewed", "stopped", "stopped now"];

/** Runs whose priority a store remembers (a worker is busy with far fewer at once). */
const PRIORITIES_KEPT = 10_000;

/** How soon a sweep looks at an active run that has nothing due sooner (lost hints, dead workers). */
export const LOOK_AGAIN_MS = 5_000;

/** Attempts of a node that may be lost with their worker before it fails (lua/includes/run.lua). */
export const DEFAULT_LOST_ATTEMPTS = 2;

export class RunStore {
  private readonly redis: RedisClient;

  constructor(
    handle: StoreHandle,
    readonly keys: StoreKeys,
  ) {
    this.redis = clientOf(handle);
  }

  private readonly scriptKeyCache = new Map<string, string[]>();

  /** Runs' priorities (which lane of hints they go to), as last read or written. */
  private readonly priorities = new Map<string, number>();

  private notePriority(id: string, priority: number): number {
    if (this.priorities.size >= PRIORITIES_KEPT)
      this.priorities.delete(this.priorities.keys().next().value!);
    this.priorities.set(id, priority);
    return priority;
  }

  /** A run's priority (0 unless it was started with one). */
  async priorityOf(id: string): Promise<number> {
    const known = this.priorities.get(id);
    if (known !== undefined) return known;
    return this.notePriority(
      id,
      Number((await this.redis.hget(this.keys.run(id).meta, "priority")) ?? 0),
    );
  }

  /** Hint pushes grouped by list: each run to its queue's lane for its priority. */
  private async hintLists(
    hints: readonly { id: string; queue: string }[],
  ): Promise<Map<string, string[]>> {
    const ids = [...new Set(hints.map((h) => h.id))];
    const priority = new Map(
      await Promise.all(ids.map(async (id) => [id, await this.priorityOf(id)] as const)),
    );
    const lists = new Map<string, string[]>();
    for (const h of hints) {
      const key = this.keys.hints(h.queue, priority.get(h.id));
      lists.set(key, [...(lists.get(key) ?? []), h.id]);
    }
    return lists;
  }

  private scriptKeys(id: string, queues: readonly string[]): string[] {
    const key = `${id}|${queues.join(",")}`;
    let keys = this.scriptKeyCache.get(key);
    if (!keys) {
      if (this.scriptKeyCache.size >= 2_000) this.scriptKeyCache.clear();
      keys = this.keys.run(id).scriptKeys(queues);
      this.scriptKeyCache.set(key, keys);
    }
    return keys;
  }

  private run(
    name: ScriptName,
    id: string,
    queues: readonly string[],
    now: number,
    args: (string | number)[],
  ): Promise<unknown> {
    return call(this.redis, name, this.scriptKeys(id, queues), [queues.join(","), now, ...args]);
  }

  private op(
    name: ScriptName,
    id: string,
    queues: readonly string[],
    now: number,
    args: (string | number)[],
  ): PipelineOp {
    return scriptOp(name, this.scriptKeys(id, queues), [queues.join(","), now, ...args]);
  }

  /** Queues of a run, as recorded when it started (every script needs its ready lists). */
  async queuesOf(id: string): Promise<string[]> {
    const [queues, priority] = await this.redis.hmget(this.keys.run(id).meta, "queues", "priority");
    if (queues) this.notePriority(id, Number(priority ?? 0));
    return queues ? queues.split(",") : [];
  }

  /**
   * Writes a new run, indexes it and hints its first ready nodes. On a single Redis that is one
   * round trip (the pipeline runs in order, so no worker sees the hint before the run); on a
   * cluster the index and hints follow the script. Returns the queues given ready nodes.
   */
  async start(run: NewRun, now: number): Promise<string[]> {
    const [touched] = await this.startMany([run], now);
    return touched!;
  }

  /**
   * Writes many new runs as `start` does, in one round trip: a script per run, then one index
   * and one hint command for them all. Fails if any run id exists already.
   */
  async startMany(runs: readonly NewRun[], now: number): Promise<string[][]> {
    if (runs.length === 0) return [];
    const scripts = runs.map((run) =>
      this.op("startRun", run.id, run.queues, now, [
        JSON.stringify(run.fields),
        this.shapeOf(run).nodesJson,
        run.roots.join(","),
        this.shapeOf(run).compensationsJson,
        run.held ? "1" : "0",
        run.nodes.some((n) => (n.priority ?? 0) !== 0) ? "1" : "0",
      ]),
    );
    const ids = runs.map((r) => r.id);
    const byWorkflow = new Map<string, string[]>();
    const hintLists = new Map<string, string[]>();
    for (const run of runs) {
      if (typeof run.fields.workflow === "string")
        byWorkflow.set(run.fields.workflow, [
          ...(byWorkflow.get(run.fields.workflow) ?? []),
          run.id,
        ]);
      const priority = this.notePriority(run.id, Number(run.fields.priority ?? 0));
      for (const q of this.shapeOf(run).rootQueues) {
        const key = this.keys.hints(q, priority);
        hintLists.set(key, [...(hintLists.get(key) ?? []), run.id]);
      }
    }
    const scored = (score: number, members: readonly string[]) =>
      members.flatMap((id) => [score, id]);
    // NX: a run id given twice (a race for a child run) keeps its first place in the indexes.
    const bookkeeping: PipelineOp[] = [
      (p) => p.zadd(this.keys.runIndex, "NX", ...scored(now, ids)),
      (p) => p.zadd(this.keys.activeRuns, "NX", ...scored(now + LOOK_AGAIN_MS, ids)),
      ...[...byWorkflow].map(
        ([workflow, members]): PipelineOp =>
          (p) =>
            p.zadd(this.keys.runsOfWorkflow(workflow), "NX", ...scored(now, members)),
      ),
      ...[...hintLists].map(
        ([key, members]): PipelineOp =>
          (p) =>
            p.rpush(key, ...members),
      ),
    ];
    const replies = this.redis.isCluster
      ? [...(await together(this.redis, scripts)), ...(await together(this.redis, bookkeeping))]
      : await together(this.redis, [...scripts, ...bookkeeping]);
    const touched = runs.map((run, i) => {
      const reply = asList(thrown(replies[i]), "start-run");
      if (reply[0] !== 1) throw new ScriptReplyError(`run ${run.id} exists already`);
      return reply.slice(1).map(String);
    });
    for (const r of replies.slice(runs.length)) thrown(r);
    return touched;
  }

  private readonly shapes = new WeakMap<
    NewRun["nodes"],
    { nodesJson: string; compensationsJson: string; rootQueues: string[] }
  >();

  /** A run's nodes as start-run takes them, and its roots' queues: once per nodes array. */
  private shapeOf(run: NewRun): {
    nodesJson: string;
    compensationsJson: string;
    rootQueues: string[];
  } {
    let shape = this.shapes.get(run.nodes);
    if (!shape) {
      const nodes = run.nodes.map((n) => {
        const lost = n.lostAttempts ?? DEFAULT_LOST_ATTEMPTS;
        const entry: (string | number)[] = [n.id, n.queue, n.out.join(","), n.incoming];
        const priority = n.priority ?? 0;
        if (lost !== DEFAULT_LOST_ATTEMPTS || n.continueOnFailure || n.compensation || priority)
          entry.push(lost, n.continueOnFailure ? 1 : 0);
        if (n.compensation || priority) entry.push(n.compensation ?? "");
        if (priority) entry.push(priority);
        return entry;
      });
      const queueOf = new Map(run.nodes.map((n) => [n.id, n.queue]));
      shape = {
        nodesJson: JSON.stringify(nodes),
        compensationsJson: JSON.stringify(
          (run.compensations ?? []).map((c) => [
            c.id,
            c.queue,
            c.lostAttempts ?? DEFAULT_LOST_ATTEMPTS,
          ]),
        ),
        rootQueues: [...new Set(run.roots.map((r) => queueOf.get(r) ?? ""))].filter(Boolean),
      };
      this.shapes.set(run.nodes, shape);
    }
    return shape;
  }

  /** Tells workers that `id` has ready work on `queues` (added to `pipeline` when given, then sent). */
  async hint(
    id: string,
    queues: readonly string[],
    pipeline = this.redis.pipeline(),
  ): Promise<void> {
    const priority = queues.length > 0 ? await this.priorityOf(id) : 0;
    for (const q of queues) pipeline.rpush(this.keys.hints(q, priority), id);
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
  ): Promise<ClaimResult> {
    const { claimed } = await this.exchange([], [{ id, queues, queue, max }], leaseMs, worker, now);
    return thrown(claimed[0]) as ClaimResult;
  }

  /**
   * Marks nodes succeeded; with `claim`, also leases up to `claim.max` ready nodes of the run to
   * the same worker (saving it a round trip per wave of the run).
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
  ): Promise<CompleteResult> {
    const { completed } = await this.exchange(
      [{ id, queues, done, claim: { max: claim.max, queues: claim.queues } }],
      [],
      claim.leaseMs,
      claim.worker,
      now,
    );
    return thrown(completed[0]) as CompleteResult;
  }

  /**
   * One round trip for a worker: these completions (each script also leasing up to its `claim.max`
   * of the run's ready nodes) and these claims, one script per run. Every run involved is looked
   * at by a sweep when the new leases end, in case this worker dies. A script that failed gives
   * its Error in place of a result.
   */
  async exchange(
    completes: readonly CompleteRequest[],
    claims: readonly ClaimRequest[],
    leaseMs: number,
    worker: string,
    now: number,
    /** Runs that finished: taken off the sweep's index in the same round trip. */
    finished: readonly string[] = [],
  ): Promise<{ completed: (CompleteResult | Error)[]; claimed: (ClaimResult | Error)[] }> {
    const ops: PipelineOp[] = [];
    for (const r of completes) {
      const args: (string | number)[] = [r.done.length];
      for (const d of r.done)
        args.push(
          d.node,
          d.token,
          d.output === undefined ? "" : JSON.stringify(d.output),
          d.waitUntil !== undefined
            ? `@${d.waitUntil}`
            : d.taken === "all"
              ? "*"
              : d.taken.join(","),
          d.cached ? "cached" : d.map ? `map:${d.map.count}:${d.map.limit}` : "",
        );
      args.push(r.claim?.max ?? 0, leaseMs, worker, (r.claim?.queues ?? []).join(","));
      ops.push(this.op("completeRun", r.id, r.queues, now, args));
    }
    for (const r of claims)
      ops.push(
        this.op("claimRun", r.id, r.queues, now, [
          r.queue,
          r.max,
          leaseMs,
          worker,
          r.withInfo ? "1" : "0",
        ]),
      );
    // XX LT: only brings forward the look at a run still active (a finished one is not put back).
    const deadline = now + leaseMs;
    const ids = [...new Set([...completes.map((r) => r.id), ...claims.map((r) => r.id)])];
    if (ids.length > 0)
      ops.push((p) =>
        p.zadd(this.keys.activeRuns, "XX", "LT", ...ids.flatMap((id) => [deadline, id])),
      );
    // A delay node's wait ends before its lease would: the sweep looks at the run then.
    const waits = completes.flatMap((r) =>
      r.done.flatMap((d) => (d.waitUntil === undefined ? [] : [d.waitUntil, r.id])),
    );
    if (waits.length > 0) ops.push((p) => p.zadd(this.keys.activeRuns, "XX", "LT", ...waits));
    if (finished.length > 0) ops.push((p) => p.zrem(this.keys.activeRuns, ...finished));
    const replies = await together(this.redis, ops);
    return {
      completed: completes.map((_, i) => parseComplete(replies[i])),
      claimed: claims.map((r, i) => {
        const claimed = parseClaim(replies[completes.length + i]);
        if (!(claimed instanceof Error) && claimed.info)
          this.notePriority(r.id, claimed.info.priority);
        return claimed;
      }),
    };
  }

  /**
   * What workers need told after transitions, in one round trip: runs with ready work on a queue
   * (hints), runs to look at by a given time (a retry due), runs that finished (no longer looked at).
   */
  async schedule(notes: {
    hints?: readonly { id: string; queue: string }[];
    lookAt?: readonly { id: string; when: number }[];
    finished?: readonly string[];
  }): Promise<void> {
    const ops: PipelineOp[] = [];
    for (const [key, ids] of await this.hintLists(notes.hints ?? []))
      ops.push((p) => p.rpush(key, ...ids));
    const lookAt = notes.lookAt ?? [];
    if (lookAt.length > 0)
      ops.push((p) =>
        p.zadd(this.keys.activeRuns, "XX", "LT", ...lookAt.flatMap((l) => [l.when, l.id])),
      );
    const finished = notes.finished ?? [];
    if (finished.length > 0) ops.push((p) => p.zrem(this.keys.activeRuns, ...finished));
    for (const reply of await together(this.redis, ops)) thrown(reply);
  }

  async fail(
    id: string,
    queues: readonly string[],
    node: string,
    token: number,
    error: string,
    mode: FailureMode,
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
  ): Promise<{
    nextDue: number;
    status: string;
    touched: string[];
    /** Nodes failed for good here (their worker lost too often), with the error. */
    dead: { node: string; error: string }[];
  }> {
    const reply = asList(await this.run("promoteRun", id, queues, now, []), "promote-run");
    const flat = (reply[2] as unknown as string[] | undefined) ?? [];
    const dead: { node: string; error: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      dead.push({ node: String(flat[i]), error: String(flat[i + 1]) });
    return {
      nextDue: Number(reply[0]),
      status: String(reply[1]),
      touched: reply.slice(3).map(String),
      dead,
    };
  }

  /**
   * A workflow's gate (`limits.maxConcurrentRuns`): lines up `add`, gives back the places of
   * `finished`, and returns the runs admitted now (each to be let go with `admit`).
   */
  async gate(
    workflow: string,
    limit: number,
    now: number,
    add: string | undefined,
    finished: readonly string[] = [],
  ): Promise<string[]> {
    const k = this.keys.runGate(workflow);
    const reply = await call(
      this.redis,
      "gateRuns",
      [k.running, k.waiting],
      [limit, now, add ?? "", ...finished],
    );
    return asList(reply, "gate-runs").map(String);
  }

  /** The runs a workflow's gate has admitted (they hold its places). */
  gateRunning(workflow: string): Promise<string[]> {
    return this.redis.zrange(this.keys.runGate(workflow).running, 0, -1);
  }

  /**
   * Lets a held run go: its first nodes are queued and hinted. "admitted", "not held" (let go
   * already), or "gone" (no longer queued: its place is to be given back).
   */
  async admit(
    id: string,
    queues: readonly string[],
    now: number,
  ): Promise<"admitted" | "not held" | "gone"> {
    const reply = asList(await this.run("admitRun", id, queues, now, []), "admit-run");
    if (reply[0] === 0) return "not held";
    if (reply[0] === -1) return "gone";
    await this.hint(id, reply.slice(1).map(String));
    return "admitted";
  }

  /**
   * A node's gate (its `concurrency` across the runs of its workflow). `asker` ("run|record")
   * asks for a place, or with `renew` pushes out the one it holds; `finished` give theirs back.
   * Returns whether the asker holds a place, and the members admitted now (each to be let go
   * with `unpark`).
   */
  async nodeGate(
    workflow: string,
    node: string,
    limit: number,
    holdMs: number,
    asker: { member: string; renew?: boolean } | undefined,
    finished: readonly string[] = [],
  ): Promise<{ holds: boolean; admitted: string[] }> {
    const k = this.keys.nodeGate(workflow, node);
    const reply = asList(
      await call(
        this.redis,
        "gateNodes",
        [k.running, k.waiting],
        [
          limit,
          holdMs,
          asker === undefined ? "" : `${asker.renew ? "+" : ""}${asker.member}`,
          ...finished,
        ],
      ),
      "gate-nodes",
    );
    return { holds: reply[0] === 1, admitted: reply.slice(1).map(String) };
  }

  /**
   * A claimed node with no place under its concurrency waits, queued off its ready list, until
   * `unpark` (or, if that never comes, `lookAgain`: it then asks again). "parked", "placed" (it
   * was given a place meanwhile: run it) or "stale" (the attempt is no longer this worker's).
   */
  async park(
    id: string,
    queues: readonly string[],
    node: string,
    token: number,
    now: number,
    lookAgain: number,
  ): Promise<"parked" | "placed" | "stale"> {
    const reply = await this.run("parkRun", id, queues, now, [node, token, lookAgain]);
    return reply === 1 ? "parked" : reply === 2 ? "placed" : "stale";
  }

  /**
   * A parked node given a place is queued and hinted ("queued"); "running" when its worker had
   * not parked it yet (its park then runs it); "gone" when it waits no more (its place is to be
   * given back).
   */
  async unpark(
    id: string,
    queues: readonly string[],
    node: string,
    now: number,
  ): Promise<"queued" | "running" | "gone"> {
    const reply = asList(await this.run("unparkRun", id, queues, now, [node]), "unpark-run");
    if (reply[0] === 2) return "running";
    if (reply[0] !== 1) return "gone";
    await this.hint(id, reply.slice(1).map(String));
    return "queued";
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

  /**
   * Pushes out the leases of nodes a worker still runs: per node "renewed", "lost" (the attempt
   * is no longer this worker's) or "stopped"/"stopped now" (withdrawn while the run undoes its
   * saga); alone "stopped" when the run was cancelled or failed, "stopped now" when it was
   * cancelled with no kill grace (`weft cancel --now`).
   */
  async renew(
    id: string,
    nodes: readonly { node: string; token: number }[],
    leaseMs: number,
    now: number,
  ): Promise<Renewal[] | "stopped" | "stopped now"> {
    const reply = await this.run("renewRun", id, [], now, [
      leaseMs,
      ...nodes.flatMap((n) => [n.node, n.token]),
    ]);
    if (reply === -1) return "stopped";
    if (reply === -2) return "stopped now";
    return asList(reply, "renew-run").map((v) => RENEWALS[Number(v)] ?? "lost");
  }

  /**
   * `stopNow`: running handlers are killed at once instead of getting their kill grace;
   * `compensate`: what succeeded is undone (the saga's compensations run).
   */
  async cancel(
    id: string,
    queues: readonly string[],
    who: string,
    reason: string,
    now: number,
    options: { stopNow?: boolean; compensate?: boolean } = {},
  ): Promise<string> {
    return String(
      await this.run("cancelRun", id, queues, now, [
        who,
        reason,
        options.stopNow ? "now" : "",
        options.compensate ? "1" : "0",
      ]),
    );
  }

  /** Starts a new attempt; `reset` nodes start over. Undefined when the run has not finished. */
  async retry(
    id: string,
    queues: readonly string[],
    who: string,
    reset: { node: string; pending: number; taken: number; root: boolean }[],
    now: number,
    /** The workflow's compensation nodes: the records of an undone saga are dropped. */
    compensations: readonly string[] = [],
  ): Promise<{ attempt: number; touched: string[] } | { running: string }> {
    const payload = JSON.stringify(reset.map((r) => [r.node, r.pending, r.taken, r.root]));
    const reply = asList(
      await this.run("retryRun", id, queues, now, [who, payload, compensations.join(",")]),
      "retry-run",
    );
    if (reply[0] === 0) return { running: String(reply[1]) };
    const touched = reply.slice(1).map(String);
    const pipeline = this.redis.pipeline();
    pipeline.zadd(this.keys.activeRuns, now + LOOK_AGAIN_MS, id);
    await this.hint(id, touched, pipeline);
    return { attempt: Number(reply[0]), touched };
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.run(id).meta)) === 1;
  }

  /** What a worker needs to load a run, with its current attempt; undefined when there is no such run. */
  async info(id: string): Promise<(RunInfo & { attempt: number }) | undefined> {
    const fields = await this.redis.hmget(
      this.keys.run(id).meta,
      "workflow",
      "version",
      "params",
      "queues",
      "attempt",
      "priority",
    );
    if (!fields[0]) return undefined;
    return {
      workflow: fields[0],
      version: Number(fields[1]),
      params: fields[2] ?? "{}",
      queues: (fields[3] ?? "").split(",").filter(Boolean),
      attempt: Number(fields[4] ?? 1),
      priority: this.notePriority(id, Number(fields[5] ?? 0)),
    };
  }

  /** The last error a node failed with, if any. */
  async nodeError(id: string, node: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.run(id).errors, node)) ?? undefined;
  }

  /** A run's status alone (undefined when the run is gone). */
  async status(id: string): Promise<RunStatus | undefined> {
    const status = await this.redis.hget(this.keys.run(id).meta, "status");
    return (status ?? undefined) as RunStatus | undefined;
  }

  async read(id: string): Promise<RunRecord | undefined> {
    const k: RunKeys = this.keys.run(id);
    const [fields, nodes, errors, notes, cached] = await Promise.all([
      this.redis.hgetall(k.meta),
      this.nodes(id),
      this.redis.hgetall(k.errors),
      this.redis.hgetall(k.notes),
      this.redis.hgetall(k.cached),
    ]);
    for (const node of Object.keys(cached)) {
      const n = nodes[node];
      if (n?.status === "succeeded") n.cached = true;
    }
    if (!fields.status) return undefined;
    for (const [node, error] of Object.entries(errors)) {
      const n = nodes[node];
      if (n) n.error = error;
    }
    for (const [node, note] of Object.entries(notes)) {
      const n = nodes[node];
      if (n) n.note = note;
    }
    // Queued nodes may be waiting for a place under their concurrency (park-run.lua).
    const queued = Object.keys(nodes).filter((node) => nodes[node]!.status === "queued");
    if (queued.length > 0) {
      const flags = await this.redis.hmget(k.holders, ...queued.map((node) => `limit:${node}`));
      queued.forEach((node, i) => {
        if (flags[i] === "parked") nodes[node]!.waitingFor = "limit";
      });
    }
    return { id, fields, nodes };
  }

  /** What was cut from a node's output, if anything. */
  async nodeNote(id: string, node: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.run(id).notes, node)) ?? undefined;
  }

  /** The items a map node spread (empty once they are gone: the map finished or stopped). */
  async mapItems(id: string, node: string): Promise<unknown[]> {
    const raw = await this.redis.hget(this.keys.run(id).outputs, `${node}#items`);
    return raw ? (JSON.parse(raw) as unknown[]) : [];
  }

  /** Marks a node's output as served from the cache, or clears the mark. */
  async markCached(id: string, node: string, cached: boolean): Promise<void> {
    const key = this.keys.run(id).cached;
    if (cached) await this.redis.hset(key, node, "1");
    else await this.redis.hdel(key, node);
  }

  /** Records what to know of a node's result (or clears it when `note` is undefined). */
  async noteNode(id: string, node: string, note: string | undefined): Promise<void> {
    const key = this.keys.run(id).notes;
    if (note === undefined) await this.redis.hdel(key, node);
    else await this.redis.hset(key, node, note);
  }

  /** Every node's status, attempt and times (only those of `only`, when given). */
  async nodes(id: string, only?: readonly string[]): Promise<RunRecord["nodes"]> {
    const key = this.keys.run(id).nodes;
    const raw: Record<string, string | null> =
      only === undefined
        ? await this.redis.hgetall(key)
        : only.length === 0
          ? {}
          : Object.fromEntries((await this.redis.hmget(key, ...only)).map((v, i) => [only[i]!, v]));
    const nodes: RunRecord["nodes"] = {};
    for (const [node, record] of Object.entries(raw)) {
      if (record === null) continue;
      const [status, attempt, , , , start, end] = record.split(",");
      nodes[node] = {
        status: status as NodeStatus,
        attempt: Number(attempt ?? 0),
        ...(start && start !== "0" ? { start: Number(start) } : {}),
        ...(end && end !== "0" ? { end: Number(end) } : {}),
      };
    }
    return nodes;
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
    // "<node>#..." fields are a map's working state (see lua/includes/run.lua), not outputs.
    for (const [node, value] of Object.entries(raw))
      if (typeof value === "string" && !isMapPart(node)) out[node] = JSON.parse(value);
    return out;
  }
}
