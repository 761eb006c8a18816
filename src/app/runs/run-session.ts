/**
 * What the run screens do, over the engine and the store: list runs, start one from a form of
 * the workflow's typed parameters, open a run with its pinned workflow, follow its event
 * stream, read a node's history, output and log, and the operator actions (cancel, retry),
 * each saying whether it can be taken and why not; dead letters through `deadLetters`.
 */
import { type Engine, ParamsError, Worker } from "../../engine/index.js";
import { FINAL_RUN, type RunEvent } from "../../model/run-model.js";
import {
  checkParams,
  type Parameter,
  parseParamAssignments,
  type Workflow,
} from "../../spec/index.js";
import {
  RunEvents,
  type RunRecord,
  RunStore,
  refusal,
  type StoreHandle,
  type StoreKeys,
} from "../../store/index.js";
import { DeadLetterSession } from "./dead-letters.js";
import { listRuns, type RunFilter, type RunPage } from "./run-list.js";
import { type AttemptInfo, attemptsOf } from "./run-state.js";

export interface FormField {
  name: string;
  type: Parameter["type"];
  required: boolean;
  description?: string;
  choices?: string[];
  /** The text shown at first: the default written as it would be typed. */
  initial: string;
}

export interface RunForm {
  ref: string;
  workflow: Workflow;
  fields: FormField[];
}

export type FormCheck =
  | { ok: true; params: Record<string, unknown> }
  | { ok: false; problems: { name: string; message: string }[] };

export interface RunView {
  id: string;
  fields: Record<string, string>;
  workflow: Workflow;
  nodes: RunRecord["nodes"];
  /** The run's queues no worker has served lately (nothing will move there without one). */
  unserved: string[];
  /** Stream id of the last event already reflected in `nodes`: follow from here. */
  lastEvent: string;
}

export interface NodeDetails {
  node: string;
  history: RunEvent[];
  attempts: AttemptInfo[];
  output: unknown;
  hasOutput: boolean;
  log: string;
  /** What to know of the result: what was cut at its cap, or a failure counted as a success. */
  note?: string;
}

export interface Action {
  name: "cancel" | "retry";
  enabled: boolean;
  /** Why it cannot be taken now. */
  reason?: string;
}

const textOf = (value: unknown): string =>
  value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);

export class RunSession {
  /** Runs this process drives because no worker served their queues when they started. */
  private readonly driven = new Map<string, { worker: Worker; done: Promise<void> }>();

  private readonly events: RunEvents;
  private readonly runs: RunStore;
  /** The dead-letter view's reads and actions; a requeued run is driven like a retried one. */
  readonly deadLetters: DeadLetterSession;

  constructor(
    readonly engine: Engine,
    readonly redis: StoreHandle,
    readonly keys: StoreKeys,
    /** The Redis ACL user weft acts as: a role may not cancel or retry (see store/acl.ts). */
    private readonly aclUser?: string,
  ) {
    this.events = new RunEvents(redis, keys);
    this.runs = new RunStore(redis, keys);
    this.deadLetters = new DeadLetterSession(engine, aclUser, (id) => this.drive(id));
  }

  list(filter: RunFilter, limit: number, from = 0): Promise<RunPage> {
    return listRuns(this.redis, this.keys, filter, limit, from);
  }

  async form(ref: string): Promise<RunForm> {
    const version = await this.engine.version(ref);
    const fields = Object.entries(version.workflow.parameters)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, p]) => ({
        name,
        type: p.type,
        required: p.required,
        ...(p.description ? { description: p.description } : {}),
        ...(p.enum ? { choices: p.enum.map(textOf) } : {}),
        initial: textOf(p.default),
      }));
    return { ref: `${version.name}@${version.version}`, workflow: version.workflow, fields };
  }

  /** Every problem with the typed values at once; an empty text means "not given". */
  check(form: RunForm, values: Record<string, string>): FormCheck {
    const pairs = Object.entries(values)
      .filter(([, text]) => text !== "")
      .map(([name, text]) => `${name}=${text}`);
    const parsed = parseParamAssignments(pairs, form.workflow.parameters);
    const bad = new Set(parsed.problems.map((p) => p.name));
    const checked = checkParams(form.workflow.parameters, parsed.params);
    const problems = [
      ...parsed.problems,
      ...(checked.ok ? [] : checked.problems.filter((p) => !bad.has(p.name))),
    ]
      .map((p) => ({ name: p.name, message: p.hint ? `${p.message} (${p.hint})` : p.message }))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (problems.length > 0 || !checked.ok) return { ok: false, problems };
    return { ok: true, params: checked.params };
  }

  /**
   * Starts the run. When no worker serves its queues, this process drives it (as
   * `weft run --wait` does), so a run started from the TUI always moves.
   */
  async start(
    ref: string,
    params: Record<string, unknown>,
  ): Promise<{ id: string; driven: boolean } | { problems: { name: string; message: string }[] }> {
    const refused = refusal(this.aclUser, "start runs");
    if (refused) throw new Error(refused);
    let id: string;
    try {
      id = await this.engine.startRun(ref, params, { trigger: "tui" });
    } catch (cause) {
      if (cause instanceof ParamsError)
        return {
          problems: cause.problems.map((p) => ({
            name: p.name,
            message: p.hint ? `${p.message} (${p.hint})` : p.message,
          })),
        };
      throw cause;
    }
    return { id, driven: await this.drive(id) };
  }

  /** Drives the run in this process unless a worker serves all its queues; true when it does. */
  async drive(id: string): Promise<boolean> {
    if (this.driven.has(id)) return true;
    const refused = refusal(this.aclUser, "work on runs");
    if (refused) throw new Error(refused);
    const run = await this.engine.load(id);
    const served = await this.engine.servedQueues();
    if (run.queues.every((q) => served.has(q))) return false;
    const worker = new Worker(this.engine, this.redis, { onlyRun: id, queues: run.queues });
    const done = worker
      .run()
      .catch(() => undefined)
      .finally(() => this.driven.delete(id));
    this.driven.set(id, { worker, done });
    return true;
  }

  isDriven(id: string): boolean {
    return this.driven.has(id);
  }

  /** The runs this process drives now (no worker served them): quitting must not strand them. */
  drivenRuns(): string[] {
    return [...this.driven.keys()];
  }

  async open(id: string): Promise<RunView> {
    // The last event first: anything after it is seen by following, nothing is missed.
    const lastEvent = await this.events.lastId(id);
    const record = await this.engine.status(id);
    const run = await this.engine.load(id);
    const served = await this.engine.servedQueues();
    const active = !FINAL_RUN.has(record.fields.status ?? "");
    return {
      id,
      fields: record.fields,
      workflow: run.version.workflow,
      nodes: record.nodes,
      unserved: active && !this.driven.has(id) ? run.queues.filter((q) => !served.has(q)) : [],
      lastEvent,
    };
  }

  /**
   * Follows the run's event stream from `after` on a connection of its own (XREAD BLOCK), handing
   * each batch of events to `onEvents` as it arrives. Returns a function that stops following.
   */
  follow(
    id: string,
    after: string,
    onEvents: (events: RunEvent[], last: string) => void,
    onError: (error: Error) => void = () => undefined,
  ): () => void {
    const follower = this.events.follow(id, after, {
      onEvents: (events, last) => {
        onEvents(events, last);
        return undefined;
      },
      onError,
    });
    return follower.stop;
  }

  async details(id: string, node: string): Promise<NodeDetails> {
    const [history, outputs, log, error, record, note] = await Promise.all([
      this.events.history(id, node),
      this.runs.outputs(id, [node]),
      this.events.log(id, node),
      this.runs.nodeError(id, node),
      this.runs.nodes(id),
      this.runs.nodeNote(id, node),
    ]);
    return {
      node,
      history,
      attempts: attemptsOf(history, record[node], error),
      output: outputs[node],
      hasOutput: Object.hasOwn(outputs, node),
      log: log ?? "",
      ...(note ? { note } : {}),
    };
  }

  log(id: string, node: string): Promise<string | null> {
    return this.events.log(id, node);
  }

  /**
   * `now`: running tasks are killed at once instead of getting their kill grace; `compensate`:
   * what succeeded is undone (the saga's compensations run).
   */
  async cancel(
    id: string,
    reason: string,
    options: { now?: boolean; compensate?: boolean } = {},
  ): Promise<string> {
    const result = await this.engine.cancelRun(id, reason, options);
    const how = `${options.now ? " at once" : ""}${reason ? ` (${reason})` : ""}`;
    return result === "already"
      ? `run ${id} was cancelled already`
      : result === "undoing"
        ? `cancelled run ${id}${how}: undoing what it did`
        : result === "stopped undoing"
          ? `stopped undoing run ${id}${how}: what was not undone stays done`
          : `cancelled run ${id}${how}`;
  }

  async retry(id: string, options: { from?: string; fromScratch?: boolean }): Promise<string> {
    const { attempt, rerun } = await this.engine.retryRun(id, options);
    await this.drive(id);
    return `run ${id}: attempt ${attempt} reruns ${rerun.length} node${rerun.length === 1 ? "" : "s"} (${rerun.slice(0, 5).join(", ")}${rerun.length > 5 ? ", …" : ""})`;
  }

  /**
   * What an operator may do with a run in the state it is in, and why not otherwise: first
   * whether the connected role may at all, then whether the run's state allows it.
   */
  actions(status: string): Action[] {
    const finished = FINAL_RUN.has(status);
    const action = (
      name: Action["name"],
      refused: string | undefined,
      notNow: string | undefined,
    ): Action => {
      const reason = refused ?? notNow;
      return reason === undefined ? { name, enabled: true } : { name, enabled: false, reason };
    };
    return [
      action(
        "cancel",
        refusal(this.aclUser, "cancel runs"),
        finished ? `the run has ${status}: nothing to cancel` : undefined,
      ),
      action(
        "retry",
        refusal(this.aclUser, "retry runs"),
        finished
          ? undefined
          : `the run is ${status}: wait for it to finish, or cancel it, to retry`,
      ),
    ];
  }

  /** Stops driving runs (their nodes go back to the queue for a worker to take). */
  async close(): Promise<void> {
    const all = [...this.driven.values()];
    await Promise.all(all.map((d) => d.worker.stop(2_000)));
    await Promise.all(all.map((d) => d.done));
  }
}
