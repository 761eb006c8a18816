/**
 * A workflow's `schedule`: when runs start on their own. One cron string, a list, or a mapping
 * with the cron(s), a time zone, what to do about ticks missed while no scheduler ran, and the
 * params the runs get. A cron string may carry its zone in front (`CRON_TZ=Europe/Paris 0 9 * * *`,
 * as Dagu writes it). Pure: the scheduler (engine) decides when to look.
 */
import { CronExpressionParser } from "cron-parser";
import { checkCron } from "./cron.js";
import type { Workflow } from "./model.js";

export type MissedPolicy = "skip" | "once" | "all";

export interface ScheduleEntry {
  cron: string;
  timezone?: string;
  missed: MissedPolicy;
  params: Record<string, unknown>;
}

const ZONE_PREFIX = /^(?:CRON_TZ|TZ)=(\S+)\s+/;

/** Every cron line of a workflow's schedule, with its zone, policy and params. */
export function scheduleEntries(wf: Pick<Workflow, "schedule">): ScheduleEntry[] {
  const s = wf.schedule;
  if (s === undefined) return [];
  const shape =
    typeof s === "string" || Array.isArray(s)
      ? { cron: s, missed: "once" as const, params: {} }
      : s;
  const crons = Array.isArray(shape.cron) ? shape.cron : [shape.cron];
  return crons.map((line) => {
    const zone = ZONE_PREFIX.exec(line)?.[1];
    const timezone = zone ?? ("timezone" in shape ? shape.timezone : undefined);
    return {
      cron: line.replace(ZONE_PREFIX, "").trim(),
      ...(timezone ? { timezone } : {}),
      missed: shape.missed,
      params: shape.params,
    };
  });
}

/** Whether `zone` is a time zone this machine knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with one cron line and its zone, or undefined. */
export function scheduleProblem(entry: ScheduleEntry): string | undefined {
  if (entry.timezone !== undefined && !isTimeZone(entry.timezone))
    return `\`${entry.timezone}\` is not a time zone (try \`UTC\` or \`Europe/Paris\`)`;
  return checkCron(entry.cron);
}

/** The due times of `entry` after `afterMs` up to `untilMs` (at most `max`), oldest first. */
export function dueTimes(
  entry: ScheduleEntry,
  afterMs: number,
  untilMs: number,
  max = 1_000,
): number[] {
  const it = CronExpressionParser.parse(entry.cron, {
    currentDate: new Date(afterMs),
    ...(entry.timezone ? { tz: entry.timezone } : {}),
  });
  const out: number[] = [];
  while (out.length < max) {
    const next = it.next().getTime();
    if (next > untilMs) break;
    out.push(next);
  }
  return out;
}

/** The next due time of `entry` after `afterMs`. */
export function nextDue(entry: ScheduleEntry, afterMs: number): number {
  return CronExpressionParser.parse(entry.cron, {
    currentDate: new Date(afterMs),
    ...(entry.timezone ? { tz: entry.timezone } : {}),
  })
    .next()
    .getTime();
}
