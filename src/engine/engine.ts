/**
 * Starting, reading and cancelling runs. A run is pinned to one version's content hash; its
 * plan is compiled from that version and cached by hash, so later saves never change it.
 */
import { monotonicFactory } from "ulid";
import { RUN_PRIORITY } from "../model/run-model.js";
import { type CelScope, checkParams, type Workflow, workflowScope } from "../spec/index.js";
import {
  type Actor,
  type AuditAction,
  appendAudits,
  DeadLetters,
  FINAL_RUN,
  type NewRun,
  NotFoundError,
  RunEvents,
  type RunInfo,
  type RunRecord,
  RunStore,
  type StoredVersion,
  StoreError,
  type StoreHandle,
  type StoreKeys,
  SweepIndex,
  TaskCacheStore,
  WorkerRegistry,
  WorkflowRegistry,
} from "../store/index.js";
import { compilePlan, type ExecutionPlan } from "./plan.js";
import { TaskCache } from "./task-cache.js";

export interface EngineOptions {
  /** The store's connection: the engine hands it to store functions, never sends commands on it. */
  redis: StoreHandle;
  keys: StoreKeys;
  actor: Actor;
  now?: () => number;
  /** The registry to read versions from (shared with the caller's), else one of its own. */
  registry?: WorkflowRegistry;
}

export interface LoadedRun {
  id: string;
  version: StoredVersion;
  plan: ExecutionPlan;
  scope: CelScope;
  params: Record<string, unknown>;
  queues: string[];
  /** The run's attempt when loaded; a claim tells the current one (a retry makes a new one). */
  attempt: number;
}

export class ParamsError extends StoreError {
  constructor(
    readonly problems: { name: string; message: string; hint?: string }[],
    ref: string,
  ) {
    super(
      `${ref}: ${problems.map((p) => `${p.name}: ${p.message}${p.hint ? ` (${p.hint})` : ""}`).join("; ")}`,
    );
  }
}

const nextId = monotonicFactory();

/** What started a run: recorded in its `trigger` field. */
export type Trigger = "cli" | "tui" | "schedule" | "parent" | "retry";

interface LaunchOptions {
  id?: string;
  parent?: string;
  trigger?: Trigger;
  /** A scheduled run: the due time it was started for (ms). */
  scheduledFor?: number;
  /** Workers looking for work take runs of higher priority first (RUN_PRIORITY's range). */
  priority?: number;
}

type StartShape = Pick<NewRun, "queues" | "nodes" | "compensations">;
const shapes = new WeakMap<ExecutionPlan, StartShape>();

/** What every run of a plan starts with, worked out once per plan (the same arrays each time). */
function startShape(plan: ExecutionPlan): StartShape {
  let shape = shapes.get(plan);
  if (!shape) {
    const flow = plan.flow.map((nodeId) => plan.nodes.get(nodeId)!);
    const compensations = plan.compensations.map((nodeId) => plan.nodes.get(nodeId)!);
    shape = {
      queues: [...new Set([...flow, ...compensations].map((n) => n.queue))],
      nodes: flow.map((n) => ({
        id: n.id,
        queue: n.queue,
        out: n.out.map((e) => e.to),
        incoming: n.incoming,
        lostAttempts: n.lostAttempts,
        continueOnFailure: n.continueOnFailure,
        ...(n.node.kind === "task" && n.node.compensation
          ? { compensation: n.node.compensation }
          : {}),
        ...(n.priority !== 0 ? { priority: n.priority } : {}),
      })),
      compensations: compensations.map((n) => ({
        id: n.id,
        queue: n.queue,
        lostAttempts: n.lostAttempts,
      })),
    };
    shapes.set(plan, shape);
  }
  return shape;
}
const LOADED_RUNS = 2_000;

/**
 * `options`, `runs`, `registry`, `keys`, `events`, `workers` and `sweepIndex` are for the engine's
 * own modules (worker, sweep, leases): the app and the CLI call the engine's methods or the store.
 */
export class Engine {
  readonly runs: RunStore;
  readonly registry: WorkflowRegistry;
  readonly events: RunEvents;
  readonly workers: WorkerRegistry;
  readonly sweepIndex: SweepIndex;
  readonly taskCache: TaskCache;
  readonly deadLetters: DeadLetters;
  readonly now: () => number;
  private readonly plans = new Map<string, { plan: ExecutionPlan; version: StoredVersion }>();
  private readonly loaded = new Map<string, LoadedRun>();

  constructor(readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.runs = new RunStore(options.redis, options.keys);
    this.registry =
      options.registry ??
      new WorkflowRegistry(options.redis, options.keys, options.actor, this.now);
    this.events = new RunEvents(options.redis, options.keys);
    this.workers = new WorkerRegistry(options.redis, options.keys);
    this.sweepIndex = new SweepIndex(options.redis, options.keys);
    this.deadLetters = new DeadLetters(options.redis, options.keys);
    this.taskCache = new TaskCache(
      new TaskCacheStore(options.redis, options.keys),
      `${options.actor.host}/${process.pid}/${nextId()}`,
    );
  }

  /** A saved version (`name`, `name@version`), with its workflow. */
  version(ref: string): Promise<StoredVersion> {
    return this.registry.get(ref);
  }

  get keys(): StoreKeys {
    return this.options.keys;
  }

  /** Checks params against the version's schema (every problem at once) and queues the run. */
  async startRun(
    ref: string,
    params: Record<string, unknown>,
    options: LaunchOptions = {},
  ): Promise<string> {
    const instance = await this.registry.instantiate(ref, params);
    if (!instance.ok)
      throw new ParamsError(
        instance.problems,
        `${instance.version.name}@${instance.version.version}`,
      );
    const [id] = await this.launch(instance.version, [instance.params], options);
    return id!;
  }

  /**
   * Starts one run per params object on the same version, in one round trip once the version is
   * read (a backfill, a batch of jobs). Every problem of every params object is reported, and
   * then no run starts. Returns the run ids in order.
   */
  async startRuns(ref: string, paramsList: readonly Record<string, unknown>[]): Promise<string[]> {
    const version = await this.registry.get(ref);
    const checked = paramsList.map((p) => checkParams(version.workflow.parameters, p));
    const problems = checked.flatMap((c, i) =>
      c.ok
        ? []
        : c.problems.map((p) =>
            paramsList.length > 1 ? { ...p, name: `#${i + 1} ${p.name}` } : p,
          ),
    );
    if (problems.length > 0) throw new ParamsError(problems, `${version.name}@${version.version}`);
    return this.launch(
      version,
      checked.map((c) => (c.ok ? c.params : {})),
    );
  }

  /** Writes and queues runs of a checked version, one per params object. */
  private async launch(
    version: StoredVersion,
    paramsList: readonly Record<string, unknown>[],
    options: LaunchOptions = {},
  ): Promise<string[]> {
    const plan = this.planFor(version);
    const priority = options.priority ?? 0;
    if (!Number.isInteger(priority) || priority < RUN_PRIORITY.min || priority > RUN_PRIORITY.max)
      throw new StoreError(
        `a run's priority is a whole number from ${RUN_PRIORITY.min} to ${RUN_PRIORITY.max}, not ${priority}`,
      );
    if (plan.roots.length === 0)
      throw new StoreError(
        `${version.name}@${version.version} has no nodes: there is nothing to run (add nodes, then save it again)`,
      );
    const { queues, nodes, compensations } = startShape(plan);
    const limit = version.workflow.limits.maxConcurrentRuns;
    const now = this.now();
    const runs: NewRun[] = paramsList.map((params) => {
      const id = options.id ?? nextId(now);
      return {
        id,
        queues,
        roots: plan.roots,
        nodes,
        compensations,
        ...(limit !== undefined ? { held: true } : {}),
        fields: {
          id,
          workflow: version.name,
          version: version.version,
          hash: version.hash,
          params: JSON.stringify(params),
          who: this.options.actor.user,
          host: this.options.actor.host,
          attempt: 1,
          trigger: options.trigger ?? (options.parent ? "parent" : "cli"),
          ...(options.parent ? { parent: options.parent } : {}),
          ...(options.scheduledFor !== undefined ? { scheduledFor: options.scheduledFor } : {}),
          ...(priority !== 0 ? { priority } : {}),
        },
      };
    });
    await this.runs.startMany(runs, now);
    // Over its workflow's limit a run waits, held, until a run of it finishes.
    if (limit !== undefined)
      for (const r of runs) await this.letGo(version.name, limit, r.id, [], queues);
    await this.audit(
      ...runs.map((r) => ({
        who: this.options.actor.user,
        host: this.options.actor.host,
        time: String(now),
        action: "run",
        run: r.id,
        workflow: version.name,
        version: version.version,
        ...(options.parent ? { message: `child of ${options.parent}` } : {}),
        ...(options.trigger === "schedule" ? { message: "started by its schedule" } : {}),
      })),
    );
    return runs.map((r) => r.id);
  }

  private planFor(version: StoredVersion): ExecutionPlan {
    let cached = this.plans.get(version.hash);
    if (!cached) {
      cached = { plan: compilePlan(version.workflow), version };
      this.plans.set(version.hash, cached);
    }
    return cached.plan;
  }

  /** Everything a worker needs to run a node of `id`, loaded once per run. */
  async load(id: string): Promise<LoadedRun> {
    const hit = this.loaded.get(id);
    if (hit) return hit;
    const info = await this.runs.info(id);
    if (!info) throw new NotFoundError(`no run \`${id}\``);
    return this.loadFrom(id, info);
  }

  /** A run loaded before, if this process still has it. */
  loadedRun(id: string): LoadedRun | undefined {
    return this.loaded.get(id);
  }

  /** A run from fields read elsewhere (a claim reads them with the nodes it takes). */
  async loadFrom(id: string, info: RunInfo & { attempt?: number }): Promise<LoadedRun> {
    const hit = this.loaded.get(id);
    if (hit) return hit;
    const version = await this.registry.get(`${info.workflow}@${info.version}`);
    const plan = this.planFor(version);
    const workflow: Workflow = version.workflow;
    const run: LoadedRun = {
      id,
      version,
      plan,
      scope: workflowScope(workflow),
      params: JSON.parse(info.params),
      queues: info.queues,
      attempt: info.attempt ?? 1,
    };
    // The oldest goes first: the runs a worker is busy with stay.
    if (this.loaded.size >= LOADED_RUNS) this.loaded.delete(this.loaded.keys().next().value!);
    this.loaded.set(id, run);
    return run;
  }

  /**
   * A new attempt of a finished run on the same pinned version. By default the nodes that did
   * not succeed run again and the others keep their outputs; `from` also reruns that node and
   * everything after it; `fromScratch` reruns every node.
   */
  async retryRun(
    id: string,
    options: { from?: string; fromScratch?: boolean } = {},
  ): Promise<{ attempt: number; rerun: string[] }> {
    this.forget(id);
    const run = await this.load(id);
    const record = await this.status(id);
    const plan = run.plan;
    if (options.from !== undefined && !plan.nodes.has(options.from)) {
      throw new StoreError(
        `run ${id} has no node \`${options.from}\` (nodes: ${plan.flow.join(", ")})`,
      );
    }
    const reset = new Set<string>();
    for (const node of plan.flow) {
      const status = record.nodes[node]?.status;
      if (options.fromScratch || (status !== "succeeded" && status !== "skipped")) reset.add(node);
    }
    if (options.from !== undefined) {
      const stack = [options.from];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (reset.has(node) && node !== options.from) continue;
        reset.add(node);
        for (const edge of plan.nodes.get(node)!.out) stack.push(edge.to);
      }
    }
    if (reset.size === 0)
      throw new StoreError(
        `run ${id} succeeded: there is nothing to retry (use --from NODE or --from-scratch to run nodes again)`,
      );
    const outputs = await this.runs.outputs(id);
    const incoming = new Map<string, { from: string; taken: boolean }[]>();
    for (const source of plan.flow) {
      const p = plan.nodes.get(source)!;
      const status = record.nodes[source]?.status;
      for (const edge of p.out) {
        // Was this edge taken last time? Gateways stored their choice as their output.
        const taken =
          status === "failed" ||
          (status === "succeeded" &&
            (p.node.kind === "decision"
              ? edge.branch === outputs[source]
              : p.node.kind === "exclusive"
                ? outputs[source] === edge.to
                : true));
        incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), { from: source, taken }]);
      }
    }
    const nodes = [...reset].map((node) => {
      const edges = incoming.get(node) ?? [];
      return {
        node,
        pending: edges.filter((e) => reset.has(e.from)).length,
        taken: edges.filter((e) => !reset.has(e.from) && e.taken).length,
        root: edges.length === 0,
      };
    });
    const result = await this.runs.retry(
      id,
      run.queues,
      this.options.actor.user,
      nodes,
      this.now(),
      plan.compensations,
    );
    if ("running" in result)
      throw new StoreError(
        `run ${id} is ${result.running}: wait for it to finish, or cancel it, before retrying`,
      );
    const mode = options.fromScratch
      ? "from scratch"
      : options.from !== undefined
        ? `from ${options.from}`
        : "failed and unfinished nodes";
    const entry = {
      who: this.options.actor.user,
      host: this.options.actor.host,
      time: String(this.now()),
      action: "retry",
      run: id,
      workflow: run.version.name,
      version: run.version.version,
      message: `attempt ${result.attempt}: ${mode}`,
    };
    await this.audit(entry);
    // What runs again is no longer dead: its letters go.
    await this.deadLetters.remove(id);
    this.forget(id);
    return { attempt: result.attempt, rerun: [...reset] };
  }

  /** Lines `add` up at a workflow's gate, gives back `finished` places, and lets go who may. */
  private async letGo(
    workflow: string,
    limit: number,
    add: string | undefined,
    finished: readonly string[],
    queues?: readonly string[],
  ): Promise<void> {
    await throughGate(
      (done, first) => this.runs.gate(workflow, limit, this.now(), first ? add : undefined, done),
      async (id) =>
        (await this.runs.admit(id, queues ?? (await this.runs.queuesOf(id)), this.now())) !==
        "gone",
      finished,
    );
  }

  /**
   * A node's gate (its `concurrency` across the workflow's runs): `asker` ("run|record") asks for
   * a place (or with `renew` keeps it), `finished` give theirs back, and whoever was admitted is
   * let go (queued again). A place not renewed for `holdMs` lapses. Returns whether the asker
   * holds a place.
   */
  async nodeGate(
    workflow: string,
    node: string,
    limit: number,
    holdMs: number,
    asker: { member: string; renew?: boolean } | undefined,
    finished: readonly string[] = [],
  ): Promise<boolean> {
    let holds = false;
    await throughGate(
      async (done, first) => {
        const answer = await this.runs.nodeGate(
          workflow,
          node,
          limit,
          holdMs,
          first ? asker : undefined,
          done,
        );
        if (first) holds = answer.holds;
        return answer.admitted;
      },
      async (member) => {
        const at = member.indexOf("|");
        const run = member.slice(0, at);
        const queues = await this.runs.queuesOf(run);
        return (await this.runs.unpark(run, queues, member.slice(at + 1), this.now())) !== "gone";
      },
      finished,
    );
    return holds;
  }

  /**
   * Runs that finished give their places back at their workflows' gates (limits.maxConcurrentRuns),
   * and the runs waiting there go. Any process that sees a run finish calls this; twice is harmless.
   */
  async runsEnded(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const run = this.loaded.get(id) ?? (await this.load(id).catch(() => undefined));
      const limit = run?.version.workflow.limits.maxConcurrentRuns;
      if (run && limit !== undefined) await this.letGo(run.version.name, limit, undefined, [id]);
    }
  }

  /**
   * A held run's gate is looked at again (the sweep does, every few seconds): places held by runs
   * that finished without giving them back (their process died) are freed, so nobody waits for ever.
   */
  async checkGate(id: string): Promise<void> {
    const run = await this.load(id).catch(() => undefined);
    const limit = run?.version.workflow.limits.maxConcurrentRuns;
    if (!run || limit === undefined) return;
    const holding = await this.runs.gateRunning(run.version.name);
    const ended: string[] = [];
    for (const other of holding) {
      const status = await this.runs.status(other);
      if (status === undefined || FINAL_RUN.has(status)) ended.push(other);
    }
    await this.letGo(run.version.name, limit, undefined, ended);
  }

  /** Nodes of a run that failed for good go to the dead-letter list, with their last error. */
  async deadLettered(id: string, failed: readonly { node: string; error: string }[]) {
    if (failed.length === 0) return;
    const [info, nodes] = await Promise.all([this.runs.info(id), this.runs.nodes(id)]);
    const at = this.now();
    await this.deadLetters.add(
      failed.map((f) => ({
        run: id,
        node: f.node,
        workflow: info?.workflow ?? "",
        version: info?.version ?? 0,
        error: f.error,
        attempts: nodes[f.node]?.attempt ?? 0,
        at,
      })),
    );
  }

  /**
   * Drops dead letters (the runs stay as they are): these nodes' of one run, all of the run's
   * when `nodes` is undefined, or every letter with "all". The audit says who dropped what.
   */
  async purgeDeadLetters(which: { run: string; nodes?: string[] } | "all"): Promise<number> {
    const n =
      which === "all"
        ? await this.deadLetters.purge()
        : await this.deadLetters.remove(which.run, which.nodes);
    if (n > 0)
      await this.audit({
        who: this.options.actor.user,
        host: this.options.actor.host,
        time: String(this.now()),
        action: "dlq-purge",
        ...(which === "all" ? {} : { run: which.run }),
        message:
          which === "all" || which.nodes === undefined
            ? `${n} dead letter${n === 1 ? "" : "s"}`
            : `node${which.nodes.length === 1 ? "" : "s"} ${which.nodes.join(", ")}`,
      });
    return n;
  }

  /** Operators' actions on runs, in the audit stream beside the registry's entries. */
  private async audit(...entries: AuditAction[]): Promise<void> {
    await appendAudits(this.options.redis, this.keys, entries, this.options.actor.aclUser);
  }

  /** Queues some worker has served in the last few seconds. */
  async servedQueues(withinMs = 5_000): Promise<Set<string>> {
    return this.workers.servedSince(this.now() - withinMs);
  }

  forget(id: string): void {
    this.loaded.delete(id);
  }

  async status(id: string): Promise<RunRecord> {
    const record = await this.runs.read(id);
    if (!record) throw new NotFoundError(`no run \`${id}\`; \`weft runs\` lists them`);
    return record;
  }

  /** What was cut from a node's output at its cap, if anything. */
  nodeNote(id: string, node: string): Promise<string | undefined> {
    return this.runs.nodeNote(id, node);
  }

  /**
   * Cancels a queued or running run; cancelling it again is harmless, a finished one is an error.
   * Running handlers get SIGTERM and their kill grace, or SIGKILL at once with `now`. With
   * `compensate` the compensations of the tasks that succeeded run (the run ends `compensated`);
   * a run undoing its saga stops undoing (it ends `compensation_failed`).
   */
  async cancelRun(
    id: string,
    reason = "",
    options: { now?: boolean; compensate?: boolean } = {},
  ): Promise<"cancelled" | "undoing" | "stopped undoing" | "already"> {
    const info = await this.runs.info(id);
    const result = await this.runs.cancel(
      id,
      info?.queues ?? [],
      this.options.actor.user,
      reason,
      this.now(),
      { stopNow: options.now === true, compensate: options.compensate === true },
    );
    if (result === "") throw new NotFoundError(`no run \`${id}\``);
    const entry = {
      who: this.options.actor.user,
      host: this.options.actor.host,
      time: String(this.now()),
      action: "cancel",
      run: id,
      ...(info ? { workflow: info.workflow, version: info.version } : {}),
      message: options.compensate ? `compensate${reason ? `: ${reason}` : ""}` : reason,
    };
    if (result === "ok" || result === "undoing" || result === "stopped undoing") {
      // The saga's first compensation is queued: workers hear of it now, not at the next sweep.
      if (result === "undoing" && info) await this.runs.hint(id, info.queues);
      else await this.runsEnded([id]);
      await this.audit(entry);
      return result === "ok" ? "cancelled" : result;
    }
    if (result === "cancelled") return "already";
    throw new StoreError(`run ${id} already finished (${result}); there is nothing to cancel`);
  }
}

/**
 * Lets go whoever a gate admits; one that no longer waits (cancelled meanwhile) gives its place
 * straight back, so the place goes to the next.
 */
async function throughGate(
  gate: (finished: readonly string[], first: boolean) => Promise<string[]>,
  letGo: (member: string) => Promise<boolean>,
  finished: readonly string[],
): Promise<void> {
  let done = [...finished];
  for (let round = 0; round < 100; round++) {
    const admitted = await gate(done, round === 0);
    done = [];
    for (const member of admitted) if (!(await letGo(member))) done.push(member);
    if (done.length === 0) return;
  }
}
