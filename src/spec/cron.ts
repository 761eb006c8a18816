/** Five-field cron (minute hour day-of-month month day-of-week), as Dagu and most schedulers read it. */
import { CronExpressionParser } from "cron-parser";

export function checkCron(expression: string): string | undefined {
  const text = expression.replace(/^(CRON_TZ|TZ)=\S+\s+/, "").trim();
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    return `a cron expression has exactly 5 fields (minute hour day month weekday); \`${expression}\` has ${fields.length}`;
  }
  try {
    CronExpressionParser.parse(text);
    return undefined;
  } catch (cause) {
    return `\`${expression}\` is not a valid cron expression: ${(cause as Error).message.toLowerCase()}`;
  }
}
