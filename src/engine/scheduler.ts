/**
 * The scheduler (`weft worker --scheduler`): starts the runs of workflows whose `schedule` is
 * due. Several may run for failover: each tick of each schedule line is claimed in Redis by one
 * of them (SET NX), so it starts one run. A line seen for the first time counts from then; ticks
 * missed while no scheduler ran follow the line's `missed` policy: `skip` fires only a tick that
 * is still on time (within `graceMs`), `once` one run for them all (the latest), `all` one each
 * (at most 100). Runs record `trigger: schedule` and the due time they were started for.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { dueTimes, nextDue, type ScheduleEntry, scheduleEntries } from "../spec/index.js";
import { ScheduleStore, type StoredVersion } from "../store/index.js";
import type { Engine } from "./engine.js";

/** How late a tick may fire and still count as on time under `missed: skip`. */
export const ON_TIME_MS = 30_000;
/** The most runs one line starts for ticks missed (`missed: all`). */
const MAX_MISSED = 100;
/** How often workflows are read again (new schedules, changed ones), at the most. */
const REREAD_MS = 10_000;

export interface Fired {
  workflow: string;
  version: number;
  line: number;
  due: number;
  run?: string;
  /** Why no run started (its params were refused). */
  error?: string;
}

export interface ScheduleRow {
  workflow: string;
  version: number;
  line: number;
  entry: ScheduleEntry;
  next: number;
  last?: number;
}

export class Scheduler {
  private readonly store: ScheduleStore;
  private readonly now: () => number;
  private readonly owner: string;
  private lines: { version: StoredVersion; line: number; entry: ScheduleEntry }[] = [];
  private readAt = Number.NEGATIVE_INFINITY;
  private readonly versions = new Map<string, StoredVersion>();

  constructor(
    private readonly engine: Engine,
    options: { now?: () => number; owner?: string } = {},
  ) {
    this.store = new ScheduleStore(engine.options.redis, engine.keys);
    this.now = options.now ?? engine.now;
    this.owner = options.owner ?? `${engine.options.actor.host}/${process.pid}`;
  }

  /** Every schedule line of the current versions of the saved workflows. */
  private async readLines(force = false): Promise<void> {
    const now = this.now();
    if (!force && now - this.readAt < REREAD_MS) return;
    this.readAt = now;
    const lines: typeof this.lines = [];
    for (const summary of await this.engine.registry.list()) {
      const ref = `${summary.name}@${summary.version}`;
      let version = this.versions.get(ref);
      if (!version) {
        version = await this.engine.registry.get(ref).catch(() => undefined);
        if (!version) continue;
        this.versions.set(ref, version);
      }
      scheduleEntries(version.workflow).forEach((entry, line) => {
        lines.push({ version: version!, line, entry });
      });
    }
    this.lines = lines;
  }

  /** One look: fires what is due (every line at once, so many due together start together). */
  async tick(): Promise<Fired[]> {
    await this.readLines();
    const fired = await Promise.all(this.lines.map((l) => this.fireLine(l)));
    return fired.flat();
  }

  private async fireLine({
    version,
    line,
    entry,
  }: {
    version: StoredVersion;
    line: number;
    entry: ScheduleEntry;
  }): Promise<Fired[]> {
    const now = this.now();
    const name = version.name;
    const last = await this.store.last(name, line);
    if (last === undefined) {
      await this.store.setLast(name, line, now);
      return [];
    }
    const due = dueTimes(entry, last, now, MAX_MISSED * 10);
    if (due.length === 0) return [];
    const chosen =
      entry.missed === "all"
        ? due.slice(-MAX_MISSED)
        : entry.missed === "once"
          ? due.slice(-1)
          : due.slice(-1).filter((d) => now - d <= ON_TIME_MS);
    const fired: Fired[] = [];
    for (const d of chosen) {
      if (!(await this.store.claimTick(name, line, d, this.owner))) continue;
      const f: Fired = { workflow: name, version: version.version, line, due: d };
      try {
        f.run = await this.engine.startRun(`${name}@${version.version}`, entry.params, {
          trigger: "schedule",
          scheduledFor: d,
        });
      } catch (cause) {
        f.error = cause instanceof Error ? cause.message : String(cause);
      }
      fired.push(f);
    }
    await this.store.setLast(name, line, due.at(-1)!);
    return fired;
  }

  /** When the next line is due (ms), or undefined when nothing is scheduled. */
  nextWake(): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const { entry } of this.lines) {
      const at = nextDue(entry, now);
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** Fires ticks until `signal` aborts; a failed look (Redis away) is tried again shortly. */
  async run(signal: AbortSignal, onFire?: (f: Fired) => void, onError?: (e: Error) => void) {
    while (!signal.aborted) {
      try {
        for (const f of await this.tick()) onFire?.(f);
      } catch (cause) {
        onError?.(cause instanceof Error ? cause : new Error(String(cause)));
      }
      const wake = this.nextWake();
      // Wake at the tick (a few ms after, as cron-parser's times are exact), or within a second
      // to see new schedules and stay close to time.
      const wait = Math.max(
        5,
        Math.min(1_000, (wake ?? Number.POSITIVE_INFINITY) - this.now() + 2),
      );
      await sleep(wait, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Each schedule line with its next fire time and the last tick fired (`weft schedules`). */
  async rows(): Promise<ScheduleRow[]> {
    await this.readLines(true);
    const now = this.now();
    return Promise.all(
      this.lines.map(async ({ version, line, entry }) => {
        const last = await this.store.last(version.name, line);
        return {
          workflow: version.name,
          version: version.version,
          line,
          entry,
          next: nextDue(entry, now),
          ...(last !== undefined ? { last } : {}),
        };
      }),
    );
  }
}
