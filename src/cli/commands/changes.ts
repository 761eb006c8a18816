/** `weft diff A B`, `weft rm NAME`, `weft audit`: comparing, deleting and the trail of changes. */
import { diffWorkflows, formatDiff, isEmptyDiff, parseDuration } from "../../spec/index.js";
import { readAudit } from "../../store/index.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";
import { formatTime, renderTable } from "../table.js";

type Format = "text" | "json";

export function diffCommand(
  a: string,
  b: string,
  options: { format: Format },
  io: CliIo,
): Promise<number> {
  return withStore(io, async ({ registry }) => {
    const [before, after] = await Promise.all([registry.get(a), registry.get(b)]);
    const diff = diffWorkflows(before.workflow, after.workflow);
    const labels = {
      before: `${before.name}@${before.version}`,
      after: `${after.name}@${after.version}`,
    };
    if (options.format === "json")
      io.stdout.write(`${JSON.stringify({ ...labels, ...diff }, null, 2)}\n`);
    else io.stdout.write(`${formatDiff(diff, labels).trimEnd()}\n`);
    return isEmptyDiff(diff) ? EXIT.ok : EXIT.findings;
  });
}

export function removeCommand(name: string, io: CliIo): Promise<number> {
  return withStore(io, async ({ registry, allow }) => {
    allow("delete workflows");
    const last = await registry.remove(name);
    io.stdout.write(`deleted ${name}; its versions stay readable (${name}@1 to ${name}@${last})\n`);
    return EXIT.ok;
  });
}

/** `--since 2h` (a duration back from now) or an ISO time. */
export function parseSince(since: string, now = Date.now()): number {
  const back = parseDuration(since);
  if (back !== undefined) return now - back;
  const at = Date.parse(since);
  if (Number.isNaN(at))
    throw new CliError(
      `--since ${since}: give a duration back from now (2h, 3d) or a time (2026-01-31T09:00)`,
    );
  return at;
}

export function auditCommand(
  options: { since?: string; limit?: string; run?: string; workflow?: string; format: Format },
  io: CliIo,
): Promise<number> {
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new CliError(`--limit ${options.limit}: give a whole number of entries`);
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since);
  return withStore(io, async ({ connection, keys }) => {
    const filtered = options.run !== undefined || options.workflow !== undefined;
    const read = await readAudit(connection.redis, keys, {
      ...(sinceMs !== undefined ? { sinceMs } : {}),
      // With a filter the limit counts the entries that match, not the entries read.
      ...(limit !== undefined && !filtered ? { limit } : {}),
    });
    const matching = read.filter(
      (e) =>
        (options.run === undefined || e.run === options.run) &&
        (options.workflow === undefined || e.workflow === options.workflow),
    );
    const entries = limit !== undefined && filtered ? matching.slice(0, limit) : matching;
    if (options.format === "json") io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    else if (entries.length === 0) io.stdout.write("no audit entries\n");
    else
      io.stdout.write(
        renderTable(
          ["TIME", "WHO", "HOST", "ACTION", "WORKFLOW", "VERSION", "RUN", "MESSAGE"],
          entries.map((e) => [
            formatTime(e.time),
            e.name !== undefined && e.name !== e.who ? `${e.who} (${e.name})` : e.who,
            e.host,
            e.action,
            e.workflow ?? "",
            e.version ? `v${e.version}` : "",
            e.run ?? "",
            e.message ?? "",
          ]),
        ),
      );
    return EXIT.ok;
  });
}
