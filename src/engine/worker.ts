/**
 * A worker: takes hints of runs with ready work, claims nodes in batches under a lease, runs
 * them, and reports outcomes in batches. Any number of workers on any number of machines share
 * one Redis; a worker that dies loses its leases and its nodes run again elsewhere.
 */
import type { Completion, RedisClient } from "../store/index.js";
import type { Engine, LoadedRun } from "./engine.js";
import { type ChildResult, executeNode, type Outcome, TimeoutError } from "./execute.js";
import { sleepFor } from "./handlers/index.js";
import { NodeLog } from "./node-log.js";
import { retryDelayMs } from "./plan.js";

export interface WorkerEvent {
  run: string;
  node: string;
  attempt: number;
  status: "running" | "succeeded" | "failed" | "retrying" | "stale";
  error?: string;
  ms?: number;
}

/** Why a node's signal aborts when its worker stops: the node is handed back, not failed. */
export class ShutdownError extends Error {
  constructor() {
    super("the worker is shutting down");
  }
}

export interface WorkerOptions {
  queues?: string[];
  concurrency?: number;
  leaseMs?: number;
  id?: string;
  /** Drive this run only (`weft run --wait`): no hints, stop when it finishes. */
  onlyRun?: string;
  onEvent?: (e: WorkerEvent) => void;
  /** How often due retries and expired leases are looked for. */
  sweepMs?: number;
  random?: () => number;
}

export class Worker {
  private readonly queues: string[];
  private readonly concurrency: number;
  private readonly leaseMs: number;
  readonly id: string;
  private active = 0;
  private stopping = false;
  private wake: (() => void) | undefined;
  private readonly controllers = new Set<AbortController>();
  private readonly completions = new Map<string, Completion[]>();
  private flushing: Promise<void> | undefined;
  private lastSweep = 0;

  constructor(
    private readonly engine: Engine,
    /** A connection of its own for blocking pops (BLMPOP holds it while it waits). */
    private readonly blocking: RedisClient,
    private readonly options: WorkerOptions = {},
  ) {
    this.queues = options.queues ?? ["default"];
    this.concurrency = options.concurrency ?? 8;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.id = options.id ?? `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  }

  private get redis(): RedisClient {
    return this.engine.options.redis;
  }

  private stopDeadline = Number.POSITIVE_INFINITY;
  private stopped: Promise<void> | undefined;

  /** Stop taking work; running nodes get `graceMs` to finish, the rest are handed back. */
  stop(graceMs = 30_000): Promise<void> {
    this.stopDeadline = Math.min(this.stopDeadline, Date.now() + graceMs);
    this.stopped ??= this.shutDown();
    this.wake?.();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // A second stop() with a shorter grace (a second Ctrl-C) shortens this wait.
    while (this.active > 0 && Date.now() < this.stopDeadline)
      await new Promise((r) => setTimeout(r, 20));
    const deadline = this.stopDeadline;
    // What has not finished by now is handed back and runs again on another worker.
    for (const c of this.controllers) c.abort(new ShutdownError());
    while (this.active > 0 && Date.now() < deadline + 5_000)
      await new Promise((r) => setTimeout(r, 20));
    await this.flushing;
    if (!this.options.onlyRun)
      await this.redis.zrem(this.engine.keys.workers, `${this.id}|${this.queues.join(",")}`);
  }

  private async slotFree(): Promise<void> {
    while (this.active >= this.concurrency && !this.stopping)
      await new Promise<void>((r) => (this.wake = r));
  }

  private release() {
    this.active--;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Works until `stop()`, or until the one run it drives has finished. */
  async run(): Promise<void> {
    while (!this.stopping) {
      await this.slotFree();
      if (this.stopping) break;
      if (this.options.onlyRun) {
        const more = await this.driveOne(this.options.onlyRun);
        if (!more) break;
        continue;
      }
      if (Date.now() - this.lastSweep > (this.options.sweepMs ?? 250)) {
        await this.sweep();
        await this.heartbeat();
      }
      // Completions may have claimed nodes while this loop awaited the sweep: BLMPOP refuses COUNT 0.
      const free = this.concurrency - this.active;
      if (free <= 0) continue;
      const hintKeys = this.queues.map((q) => this.engine.keys.hints(q));
      const popped = (await this.blocking.call(
        "BLMPOP",
        "0.2",
        hintKeys.length,
        ...hintKeys,
        "LEFT",
        "COUNT",
        free,
      )) as [string, string[]] | null;
      if (!popped) continue;
      const queue = this.queues[hintKeys.indexOf(popped[0])]!;
      for (const runId of new Set(popped[1])) {
        const room = this.concurrency - this.active;
        if (room <= 0) await this.redis.rpush(popped[0], runId);
        else await this.claimFrom(runId, queue, room);
      }
    }
    await this.flushing;
    await this.stopped;
  }

  /** One step of driving a single run; false once the run has finished. */
  private async driveOne(runId: string): Promise<boolean> {
    const run = await this.engine.load(runId);
    const promoted = await this.engine.runs.promote(runId, run.queues, this.engine.now());
    if (promoted.status !== "queued" && promoted.status !== "running" && this.active === 0)
      return false;
    let claimed = 0;
    for (const queue of run.queues)
      claimed += await this.claimFrom(runId, queue, this.concurrency - this.active, run);
    if (claimed === 0) {
      const waitMs =
        promoted.nextDue > 0
          ? Math.min(200, Math.max(5, promoted.nextDue - this.engine.now()))
          : 10;
      await new Promise<void>((r) => {
        const timer = setTimeout(r, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
    return true;
  }

  private async claimFrom(
    runId: string,
    queue: string,
    max: number,
    known?: LoadedRun,
  ): Promise<number> {
    if (max <= 0) return 0;
    const run = known ?? (await this.engine.load(runId));
    const now = this.engine.now();
    const { left, claimed } = await this.engine.runs.claim(
      runId,
      run.queues,
      queue,
      max,
      this.leaseMs,
      this.id,
      now,
    );
    // Look at the run again when these leases end, in case this worker dies before then.
    if (claimed.length > 0 && !this.options.onlyRun)
      await this.redis.zadd(this.engine.keys.activeRuns, "LT", now + this.leaseMs, runId);
    if (left > 0 && !this.options.onlyRun)
      await this.redis.rpush(this.engine.keys.hints(queue), runId);
    for (const c of claimed) this.startNode(run, c.node, c.attempt, c.token);
    return claimed.length;
  }

  private startNode(run: LoadedRun, nodeId: string, attempt: number, token: number) {
    this.active++;
    const planNode = run.plan.nodes.get(nodeId)!;
    const controller = new AbortController();
    this.controllers.add(controller);
    const started = Date.now();
    this.options.onEvent?.({ run: run.id, node: nodeId, attempt, status: "running" });
    const timeout = setTimeout(
      () => controller.abort(new TimeoutError(planNode.timeoutMs)),
      planNode.timeoutMs,
    );
    const renew = setInterval(
      async () => {
        try {
          const answer = await this.engine.runs.renew(
            run.id,
            run.queues,
            nodeId,
            token,
            this.leaseMs,
            this.engine.now(),
          );
          if (answer === -1) controller.abort(new Error("the run was stopped"));
          if (answer === 0) controller.abort(new Error("the lease was lost to another worker"));
        } catch {
          // Redis unreachable for a moment: the lease may lapse, and the node then runs elsewhere.
        }
      },
      // Renewing also tells a running node that its run was stopped: twice a second at most.
      Math.max(50, Math.min(500, Math.floor(this.leaseMs / 3))),
    );
    const log = new NodeLog(this.redis, this.engine.keys.run(run.id).log(nodeId));
    const outcome = executeNode(planNode, {
      plan: run.plan,
      scope: run.scope,
      attempt,
      idempotencyKey: `${run.id}:${nodeId}:${attempt}`,
      signal: controller.signal,
      log: (text) => log.write(text),
      runChild: (ref, params, signal) => this.runChild(run, nodeId, attempt, ref, params, signal),
      values: async () => {
        const [outputs, states, attempts] = await Promise.all([
          this.engine.runs.outputs(run.id),
          this.redis.hgetall(this.engine.keys.run(run.id).state),
          this.redis.hgetall(this.engine.keys.run(run.id).attempt),
        ]);
        const nodes: Record<string, { output?: unknown; status?: string; attempts?: number }> = {};
        for (const id of run.scope.nodeIds)
          nodes[id] = {
            output: outputs[id],
            status: states[id],
            attempts: Number(attempts[id] ?? 0),
          };
        const version = run.version;
        return {
          params: run.params,
          nodes,
          run: {
            id: run.id,
            workflow: version.name,
            version: version.version,
            attempt: run.attempt,
          },
        };
      },
    });
    void outcome
      .then(async (result) => {
        clearTimeout(timeout);
        clearInterval(renew);
        await log.close();
        if (controller.signal.reason instanceof ShutdownError) {
          await this.engine.runs.release(run.id, run.queues, nodeId, token, this.engine.now());
          return;
        }
        await this.report(run, nodeId, attempt, token, result, Date.now() - started);
      })
      .catch(() => {
        // Reporting failed (Redis gone): the lease lapses and the node runs again elsewhere.
      })
      .finally(() => {
        this.controllers.delete(controller);
        this.release();
      });
  }

  private async report(
    run: LoadedRun,
    node: string,
    attempt: number,
    token: number,
    result: Outcome,
    ms: number,
  ) {
    if (result.ok) {
      const batch = this.completions.get(run.id) ?? [];
      batch.push({ node, token, output: result.output, taken: result.taken });
      this.completions.set(run.id, batch);
      this.options.onEvent?.({ run: run.id, node, attempt, status: "succeeded", ms });
      await this.flush();
      return;
    }
    const p = run.plan.nodes.get(node)!;
    const retry = result.retryable && attempt <= p.retries.max;
    const mode = retry ? "retry" : p.continueOnFailure ? "continue" : "fail";
    const due =
      this.engine.now() +
      (retry ? retryDelayMs(p.retries, attempt, (this.options.random ?? Math.random)()) : 0);
    const error = result.code === undefined ? result.error : `${result.error} [${result.code}]`;
    const answer = await this.engine.runs.fail(
      run.id,
      run.queues,
      node,
      token,
      error,
      mode,
      due,
      this.engine.now(),
    );
    this.options.onEvent?.({
      run: run.id,
      node,
      attempt,
      status: answer.stale ? "stale" : retry ? "retrying" : "failed",
      error,
      ms,
    });
    // LT: an earlier look (another node's lease) stays.
    if (retry) await this.redis.zadd(this.engine.keys.activeRuns, "LT", due, run.id);
    await this.hint(run.id, answer.touched);
  }

  /**
   * Completions reported in the same turn of the event loop go to Redis in one script per run,
   * and each script hands this worker the nodes it releases, up to the slots these free.
   */
  private flush(): Promise<void> {
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const batches = [...this.completions];
      this.completions.clear();
      this.flushing = undefined;
      const finishing = batches.reduce((n, [, done]) => n + done.length, 0);
      let budget = this.stopping ? 0 : Math.max(0, this.concurrency - this.active + finishing);
      await Promise.all(
        batches.map(async ([runId, done]) => {
          const run = await this.engine.load(runId);
          const take = budget;
          budget = 0;
          const now = this.engine.now();
          const result = await this.engine.runs.complete(runId, run.queues, done, now, {
            max: take,
            leaseMs: this.leaseMs,
            worker: this.id,
            queues: this.options.onlyRun ? run.queues : this.queues,
          });
          budget += take - result.claimed.length;
          if (result.stale > 0)
            for (const d of done)
              this.options.onEvent?.({ run: runId, node: d.node, attempt: 0, status: "stale" });
          if (result.claimed.length > 0 && !this.options.onlyRun)
            await this.redis.zadd(this.engine.keys.activeRuns, "LT", now + this.leaseMs, runId);
          for (const c of result.claimed) this.startNode(run, c.node, c.attempt, c.token);
          await this.hint(runId, result.touched);
          if (result.status !== "running" && result.status !== "queued") {
            await this.redis.zrem(this.engine.keys.activeRuns, runId);
            this.wake?.();
          }
        }),
      );
    });
    return this.flushing;
  }

  private async hint(runId: string, queues: string[]) {
    if (this.options.onlyRun) {
      this.wake?.();
      return;
    }
    await this.engine.runs.hint(runId, queues);
  }

  /**
   * A sub-workflow node's child run: one per attempt (its id says whose it is, so a redelivered
   * attempt finds the child it started). It runs on the workers serving its queues, or here when
   * this worker drives a single run; cancelling the parent cancels it.
   */
  private async runChild(
    parent: LoadedRun,
    node: string,
    attempt: number,
    ref: string,
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ChildResult> {
    const id = `${parent.id}.${node}.${attempt}`;
    if (!(await this.redis.exists(this.engine.keys.run(id).meta))) {
      try {
        await this.engine.startRun(ref, params, { id, parent: `${parent.id}:${node}` });
      } catch (cause) {
        if (!(await this.redis.exists(this.engine.keys.run(id).meta))) throw cause;
      }
    }
    const onAbort = () =>
      void this.engine.cancelRun(id, `parent run ${parent.id} stopped`).catch(() => undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      if (this.options.onlyRun) {
        await new Worker(this.engine, this.blocking, {
          ...this.options,
          onlyRun: id,
          onEvent: this.options.onEvent,
        }).run();
      }
      for (;;) {
        const record = await this.engine.status(id);
        const status = record.fields.status;
        if (status === "succeeded")
          return { status, outputs: await this.engine.runs.outputs(id), id };
        if (status === "failed" || status === "cancelled")
          return { status, reason: record.fields.reason ?? "", id };
        if (signal.aborted) throw signal.reason;
        await sleepFor(100, signal);
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** Tells `weft run --wait` that someone serves these queues. */
  private async heartbeat() {
    await this.redis.zadd(
      this.engine.keys.workers,
      Date.now(),
      `${this.id}|${this.queues.join(",")}`,
    );
  }

  /** Due retries and expired leases of active runs go back to their ready lists. */
  private async sweep() {
    this.lastSweep = Date.now();
    const now = this.engine.now();
    const due = await this.redis.zrangebyscore(
      this.engine.keys.activeRuns,
      "-inf",
      now,
      "LIMIT",
      0,
      100,
    );
    for (const runId of due) {
      const queues = await this.engine.runs.queuesOf(runId);
      const result = await this.engine.runs.promote(runId, queues, now);
      if (result.status !== "queued" && result.status !== "running") {
        await this.redis.zrem(this.engine.keys.activeRuns, runId);
        continue;
      }
      await this.redis.zadd(
        this.engine.keys.activeRuns,
        result.nextDue > 0 ? result.nextDue : now + 5_000,
        runId,
      );
      await this.hint(runId, result.touched);
    }
  }
}
