/** Dagu's `schedule`: a cron string, a list of them, or start/stop/restart lists; kept as metadata. */
import { checkCron } from "../cron.js";
import { type Draft, error, type Path } from "../findings.js";

export function checkSchedule(value: unknown, path: Path, drafts: Draft[]): unknown {
  const check = (expr: unknown, at: Path) => {
    if (typeof expr !== "string")
      drafts.push(error("E_CRON", at, "a schedule is a cron expression string"));
    else {
      const problem = checkCron(expr);
      if (problem)
        drafts.push(
          error("E_CRON", at, problem, {
            hint: "minute hour day-of-month month day-of-week, e.g. `0 2 * * *` for 02:00 daily",
          }),
        );
    }
  };
  if (Array.isArray(value))
    value.forEach((v, i) => {
      check(v, [...path, i]);
    });
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (!["start", "stop", "restart"].includes(k))
        drafts.push(
          error("E_UNKNOWN_KEY", [...path, k], `unknown schedule key \`${k}\``, {
            atKey: true,
            hint: "a schedule mapping has start, stop and restart",
          }),
        );
      else if (Array.isArray(v))
        v.forEach((e, i) => {
          check(e, [...path, k, i]);
        });
      else check(v, [...path, k]);
    }
  } else check(value, path);
  return value;
}
