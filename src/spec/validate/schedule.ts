/** A workflow's `schedule`: each cron line and zone readable, and the params its runs get valid. */
import { type Draft, error, type Path } from "../findings.js";
import { checkParams } from "../params.js";
import { scheduleEntries, scheduleProblem } from "../schedule.js";
import type { Facts } from "./facts.js";

export function checkSchedule(f: Facts): Draft[] {
  const s = f.workflow.schedule;
  if (s === undefined) return [];
  const out: Draft[] = [];
  const entries = scheduleEntries(f.workflow);
  const lines: Path =
    typeof s === "string" ? ["schedule"] : Array.isArray(s) ? ["schedule"] : ["schedule", "cron"];
  const single = typeof s === "string" || (!Array.isArray(s) && typeof s.cron === "string");
  entries.forEach((entry, i) => {
    const problem = scheduleProblem(entry);
    if (problem)
      out.push(
        error("E_CRON", single ? lines : [...lines, i], problem, {
          hint: "minute hour day-of-month month day-of-week, e.g. `0 2 * * *` for 02:00 daily; a zone goes in `timezone:` or in front (`CRON_TZ=Europe/Paris 0 9 * * *`)",
        }),
      );
  });
  const checked = checkParams(f.workflow.parameters, entries[0]?.params ?? {});
  if (!checked.ok)
    for (const p of checked.problems)
      out.push(
        error(
          "E_SCHEDULE_PARAMS",
          typeof s === "object" && !Array.isArray(s) ? ["schedule", "params"] : ["schedule"],
          `a scheduled run would be refused: ${p.name}: ${p.message}`,
          {
            hint: p.hint ?? "give the value under `schedule.params`, or a default to the parameter",
          },
        ),
      );
  return out;
}
