/**
 * Lays graphs out with elk in a worker thread, so a layout of thousands of nodes never holds up
 * a keystroke. Results are cached by structure key (an edit that does not change the drawing
 * costs nothing); one layout runs at a time and only the newest request waits behind it, older
 * waiting ones are dropped with a SupersededLayoutError. If the worker cannot start, or dies,
 * layouts run in this thread instead.
 *
 * elk keeps what it needed: after a 2000-node graph its thread holds 100+ MB (its compiled code
 * and a heap grown for the layout). So the worker is stopped once no layout has come for a
 * while, and the next layout starts a new one (a few hundred ms, off the keystroke path).
 */
import { Worker } from "node:worker_threads";
import {
  type CellGeometry,
  type LayoutInput,
  type LayoutOptions,
  layoutWithElk,
  structureKey,
} from "../../layout/index.js";
import type { LayoutReply, LayoutRequest } from "./layout-worker.js";

export interface LayoutService {
  layout(input: LayoutInput, options: LayoutOptions): Promise<CellGeometry>;
  /**
   * Where layouts run now: "worker" once the thread answers, "idle" while the worker is stopped
   * after a quiet spell (the next layout starts one), "in-thread" after a fallback.
   */
  mode(): "starting" | "worker" | "idle" | "in-thread" | "closed";
  close(): void;
}

/** A request that a newer one replaced before it started; callers can simply ignore it. */
export class SupersededLayoutError extends Error {
  override name = "SupersededLayoutError";
  constructor() {
    super("a newer layout request replaced this one");
  }
}

export interface LayoutServiceOptions {
  /** How many geometries to keep, most recently used first. */
  cacheSize?: number;
  /** The worker's entry module; the default is layout-worker next to this file. */
  workerEntry?: URL;
  /** Stop the worker after this long without a layout; default 5 s. */
  idleStopMs?: number;
}

interface Job {
  key: string;
  input: LayoutInput;
  options: LayoutOptions;
  promise: Promise<CellGeometry>;
  resolve: (geometry: CellGeometry) => void;
  reject: (error: Error) => void;
}

/**
 * Under tsx or vitest this file is TypeScript and so is the worker entry; Node 20 does not apply
 * `--import tsx` given in a worker's execArgv, so the worker registers tsx itself first.
 */
function startWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry);
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsxApi)})
    .then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true });
}

function defaultEntry(): URL {
  const ownExtension = new URL(import.meta.url).pathname.endsWith(".ts") ? "ts" : "js";
  return new URL(`./layout-worker.${ownExtension}`, import.meta.url);
}

export function createLayoutService(settings: LayoutServiceOptions = {}): LayoutService {
  const cacheSize = settings.cacheSize ?? 8;
  const idleStopMs = settings.idleStopMs ?? 5000;
  const cache = new Map<string, CellGeometry>();
  const pending = new Map<string, Job>();
  let state: ReturnType<LayoutService["mode"]> = "starting";
  let worker: Worker | undefined;
  let running: { job: Job; id: number; inWorker: boolean } | undefined;
  let waiting: Job | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 1;

  const remember = (key: string, geometry: CellGeometry) => {
    cache.delete(key);
    cache.set(key, geometry);
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  };

  /** Ends the worker on purpose: without the listeners that would take it for a crash. */
  const stopWorker = () => {
    const stopping = worker;
    worker = undefined;
    stopping?.removeAllListeners();
    stopping?.terminate().catch(() => {});
  };

  const stopWhenIdle = () => {
    if (!worker) return;
    idleTimer = setTimeout(() => {
      stopWorker();
      if (state === "worker" || state === "starting") state = "idle";
    }, idleStopMs);
    idleTimer.unref();
  };

  const finish = (job: Job, outcome: { geometry: CellGeometry } | { error: Error }) => {
    pending.delete(job.key);
    running = undefined;
    if ("geometry" in outcome) {
      remember(job.key, outcome.geometry);
      job.resolve(outcome.geometry);
    } else job.reject(outcome.error);
    const next = waiting;
    waiting = undefined;
    if (next) return start(next);
    worker?.unref(); // idle: a forgotten close() must not keep the process alive
    stopWhenIdle();
  };

  const runInThread = (job: Job) => {
    running = { job, id: nextId++, inWorker: false };
    layoutWithElk(job.input, job.options).then(
      (geometry) => finish(job, { geometry }),
      (error: unknown) => finish(job, { error: asError(error) }),
    );
  };

  const fallBack = () => {
    if (state === "closed") return;
    state = "in-thread";
    stopWorker();
    if (running?.inWorker) runInThread(running.job);
  };

  const launch = () => {
    try {
      const started = startWorker(settings.workerEntry ?? defaultEntry());
      started.unref();
      started.on("message", (reply: LayoutReply) => {
        if (state === "starting" || state === "idle") state = "worker";
        if (!running || running.id !== reply.id) return;
        finish(running.job, "error" in reply ? { error: new Error(reply.error) } : reply);
      });
      started.on("error", fallBack);
      started.on("exit", fallBack);
      worker = started;
    } catch {
      state = "in-thread";
      worker = undefined;
    }
  };

  const start = (job: Job) => {
    clearTimeout(idleTimer);
    // The thread starts with the first layout: a screen that opens on stored positions never
    // needs elk, and the process never holds a second heap for it.
    if (!worker && (state === "idle" || state === "starting")) launch();
    if (!worker) return runInThread(job);
    const id = nextId++;
    running = { job, id, inWorker: true };
    worker.ref(); // a layout is under way: keep the process up until it answers
    const request: LayoutRequest = { id, input: job.input, options: job.options };
    worker.postMessage(request);
  };

  return {
    layout(input, options) {
      if (state === "closed") return Promise.reject(new Error("the layout service is closed"));
      const key = structureKey(input, options);
      const cached = cache.get(key);
      if (cached) {
        remember(key, cached);
        return Promise.resolve(cached);
      }
      const same = pending.get(key);
      if (same) return same.promise;
      let resolve!: Job["resolve"];
      let reject!: Job["reject"];
      const promise = new Promise<CellGeometry>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const job: Job = { key, input, options, promise, resolve, reject };
      pending.set(key, job);
      if (!running) start(job);
      else {
        if (waiting) {
          pending.delete(waiting.key);
          waiting.reject(new SupersededLayoutError());
        }
        waiting = job;
      }
      return promise;
    },
    mode: () => state,
    close() {
      if (state === "closed") return;
      state = "closed";
      const closing = new Error("the layout service is closed");
      for (const job of pending.values()) job.reject(closing);
      pending.clear();
      waiting = undefined;
      running = undefined;
      clearTimeout(idleTimer);
      stopWorker();
    },
  };
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
