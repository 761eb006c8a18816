/**
 * A worker: takes hints of runs with ready work, claims nodes in batches under a lease, runs
 * them, and reports outcomes in batches. Any number of workers on any number of machines share
 * one Redis; a worker that dies loses its leases and its nodes run again elsewhere. A Redis
 * outage is waited out: the worker keeps its results and reports them when Redis is back.
 *
 * Its parts: the claim loop (hints, or the one run it drives), the batcher (the exchange of
 * completions and claims), the node runner (a claimed node's lease, timeout, log and outcome),
 * the heartbeat (and sweep), and a pure retry policy; they share one clock and one slot gate.
 */
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { StoreHandle } from "../store/index.js";
import { Background } from "./background.js";
import { Batcher } from "./batcher.js";
import { ClaimLoop } from "./claim-loop.js";
import type { Engine } from "./engine.js";
import { Heartbeat } from "./heartbeat.js";
import { NodeRunner } from "./node-runner.js";
import { Notices } from "./notices.js";
import { persist } from "./outage.js";
import { ReadyWork } from "./ready-work.js";
import { SlotGate } from "./slot-gate.js";
import type { WorkerContext } from "./worker-context.js";
import type { WorkerOptions } from "./worker-options.js";

export { ShutdownError, type WorkerEvent, type WorkerOptions } from "./worker-options.js";

/** After its grace, a stopping worker has this long to hand nodes back before it gives up on Redis. */
const HAND_BACK_MS = 5_000;

let workersInProcess = 0;

/** `host/pid`, what an operator needs to find a worker; `#n` tells apart workers of one process. */
function workerId(): string {
  workersInProcess++;
  return `${hostname()}/${process.pid}${workersInProcess > 1 ? `#${workersInProcess}` : ""}`;
}

export class Worker {
  readonly id: string;
  private readonly ctx: WorkerContext;
  private readonly gate: SlotGate;
  private readonly background = new Background();
  private readonly notices: Notices;
  private readonly batcher: Batcher;
  private readonly heartbeat: Heartbeat;
  private readonly loop: ClaimLoop;
  private readonly runner: NodeRunner;
  private stopDeadline = Number.POSITIVE_INFINITY;
  private stopped: Promise<void> | undefined;

  constructor(
    engine: Engine,
    /** A connection of its own for blocking pops (BLMPOP holds it while it waits). */
    blocking: StoreHandle,
    options: WorkerOptions = {},
  ) {
    this.id = options.id ?? workerId();
    const clock = options.clock ?? { now: () => engine.now() };
    const gate = new SlotGate(options.concurrency ?? 8);
    this.gate = gate;
    const ctx: WorkerContext = {
      engine,
      clock,
      id: this.id,
      queues: options.queues ?? ["default"],
      leaseMs: options.leaseMs ?? 30_000,
      onlyRun: options.onlyRun,
      gate,
      background: this.background,
      emit: options.onEvent,
      givingUp: () => gate.stopping && clock.now() > this.stopDeadline + HAND_BACK_MS,
    };
    this.ctx = ctx;
    this.notices = new Notices(ctx);
    this.batcher = new Batcher(
      ctx,
      this.notices,
      new ReadyWork(ctx, this.notices),
      // The runner is made next; nodes start only once the worker runs.
      (run, claim, runAttempt) => this.runner.start(run, claim, runAttempt),
    );
    this.runner = new NodeRunner(
      ctx,
      this.batcher,
      this.notices,
      options.random ?? Math.random,
      // Driving a single run here: its children run here too.
      options.onlyRun
        ? (id) => new Worker(engine, blocking, { ...options, onlyRun: id }).run()
        : undefined,
    );
    const sweepMs = options.sweepMs ?? 250;
    this.heartbeat = new Heartbeat(ctx, this.notices, sweepMs);
    this.loop = new ClaimLoop(ctx, blocking, this.batcher, this.heartbeat, this.notices, sweepMs);
  }

  /** Stop taking work; running nodes get `graceMs` to finish, the rest are handed back. */
  stop(graceMs = 30_000): Promise<void> {
    this.stopDeadline = Math.min(this.stopDeadline, this.ctx.clock.now() + graceMs);
    this.stopped ??= this.shutDown();
    this.gate.changed();
    return this.stopped;
  }

  /** Works until `stop()`, or until the one run it drives has finished. */
  async run(): Promise<void> {
    await this.loop.run();
    await this.settled();
    await this.stopped;
  }

  private async shutDown(): Promise<void> {
    const { gate, clock } = this.ctx;
    gate.stop();
    // A second stop() with a shorter grace (a second Ctrl-C) shortens this wait.
    while (gate.running > 0 && clock.now() < this.stopDeadline) await sleep(20);
    const deadline = this.stopDeadline;
    // What has not finished by now is handed back and runs again on another worker.
    this.runner.handBackAll();
    while (gate.running > 0 && clock.now() < deadline + HAND_BACK_MS) await sleep(20);
    await this.settled();
    // Ready nodes seen but not taken: the other workers hear of them.
    this.batcher.ready.handOff(0);
    this.notices.sendFinishedNow();
    await this.settled();
    if (!this.ctx.onlyRun)
      await this.unlessGivingUp(persist(() => this.heartbeat.leave(), this.ctx.givingUp));
  }

  /** Waits until every result is sent and every Redis call this worker made is back. */
  private async settled(): Promise<void> {
    while (!(this.background.idle && this.batcher.idle && this.notices.idle)) {
      if (this.ctx.givingUp()) return;
      if (this.batcher.sending) await new Promise(setImmediate);
      else if (this.background.idle) await sleep(20);
      else if (!this.gate.stopping) await this.background.settled();
      // Stopping: a call that waits for Redis may be left behind once the worker gives up.
      else await Promise.race([this.background.settled(), sleep(20)]);
    }
  }

  /** Waits for `work`, or until this stopping worker gives up on Redis. */
  private async unlessGivingUp(work: Promise<unknown>): Promise<void> {
    let done = false;
    const finished = work.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    while (!done && !this.ctx.givingUp()) await Promise.race([finished, sleep(20)]);
  }
}
