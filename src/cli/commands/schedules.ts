/** `weft schedules`: each saved workflow's schedule lines, when each fires next, and last. */
import { Scheduler } from "../../engine/index.js";
import { type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";
import { formatWhen, renderTable } from "../table.js";

export function schedulesCommand(options: { format: "text" | "json" }, io: CliIo): Promise<number> {
  return withStore(io, async ({ engine }) => {
    const rows = await new Scheduler(engine).rows();
    if (options.format === "json") {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT.ok;
    }
    if (rows.length === 0) {
      io.stdout.write(
        'no workflow has a schedule: add `schedule: "0 2 * * *"` to one, then run `weft worker --scheduler`\n',
      );
      return EXIT.ok;
    }
    io.stdout.write(
      renderTable(
        ["WORKFLOW", "CRON", "ZONE", "MISSED", "NEXT", "LAST TICK"],
        rows.map((r) => [
          `${r.workflow}@${r.version}`,
          r.entry.cron,
          r.entry.timezone ?? "local",
          r.entry.missed,
          formatWhen(r.next),
          r.last === undefined ? "-" : formatWhen(r.last),
        ]),
      ),
    );
    return EXIT.ok;
  });
}
