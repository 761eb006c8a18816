/** `weft runs`, `weft status RUN`, `weft cancel RUN`, `weft events RUN`, `weft logs RUN NODE`. */
import { setTimeout as sleep } from "node:timers/promises";
import { listRuns, runDuration } from "../../app/runs/run-list.js";
import { FINAL_NODE } from "../../model/run-model.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { type StoreSession, withLiveStore, withStore } from "../store-session.js";
import { formatWhen, renderTable } from "../table.js";
import { followEvents } from "./watch.js";

type Format = "text" | "json";

const duration = (start?: number, end?: number): string =>
  runDuration({ started: start, finished: end }, Date.now());

export function runsCommand(
  options: { workflow?: string; status?: string; limit?: string; format: Format },
  io: CliIo,
): Promise<number> {
  const limit = Number(options.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CliError(`--limit ${options.limit}: give a whole number`);
  return withStore(io, async ({ connection, keys }) => {
    const { rows } = await listRuns(
      connection.redis,
      keys,
      { workflow: options.workflow, status: options.status },
      limit,
    );
    if (options.format === "json") {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT.ok;
    }
    if (rows.length === 0) {
      io.stdout.write("no runs yet: `weft run NAME --wait` starts one\n");
      return EXIT.ok;
    }
    const now = Date.now();
    io.stdout.write(
      renderTable(
        ["RUN", "WORKFLOW", "STATUS", "STARTED", "TOOK", "DONE", "BY"],
        rows.map((r) => [
          r.id,
          `${r.workflow}@${r.version}`,
          r.waiting ? "waiting (limit)" : r.status,
          formatWhen(r.created),
          runDuration(r, now),
          `${r.done}/${r.total}`,
          r.who,
        ]),
      ),
    );
    return EXIT.ok;
  });
}

export function statusCommand(id: string, options: { format: Format }, io: CliIo): Promise<number> {
  return withStore(io, async ({ engine }) => {
    const record = await engine.status(id);
    if (options.format === "json") {
      io.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      return EXIT.ok;
    }
    const f = record.fields;
    // Held by its workflow's limit of concurrent runs: it waits for one to finish.
    const state = f.held === "1" && f.status === "queued" ? "waiting (limit)" : f.status;
    io.stdout.write(
      `run ${id}: ${f.workflow}@${f.version} ${state}${f.reason ? ` (${f.reason})` : ""}, started by ${f.who}${f.priority ? `, priority ${f.priority}` : ""}, ${duration(Number(f.started) || undefined, Number(f.finished) || undefined)}\n`,
    );
    if (f.status === "compensating" && f.undoing)
      io.stdout.write(`undoing ${f.undoing_task} with ${f.undoing}\n`);
    const plan = (await engine.load(id)).plan;
    // The compensations that ran (a saga undone) follow the flow, each naming what it undoes.
    const undone = plan.compensations
      .filter((node) => record.nodes[node])
      .sort((a, b) => (record.nodes[a]!.start ?? 0) - (record.nodes[b]!.start ?? 0));
    const undoes = (node: string) => {
      const n = plan.nodes.get(node)?.node;
      return n?.kind === "compensation" && n.compensates ? ` (undoes ${n.compensates})` : "";
    };
    io.stdout.write(
      renderTable(
        ["NODE", "STATE", "ATTEMPTS", "DURATION", "LAST ERROR / NOTE"],
        [...plan.flow, ...undone].map((node) => {
          const n = record.nodes[node];
          return [
            `${node}${undoes(node)}`,
            n?.waitingFor === "limit" ? "waiting (limit)" : (n?.status ?? "-"),
            String(n?.attempt ?? 0),
            duration(n?.start, n?.end),
            [n?.cached && "cached: the handler did not run", n?.error, n?.note]
              .filter(Boolean)
              .join("; "),
          ];
        }),
      ),
    );
    return EXIT.ok;
  });
}

export function cancelCommand(
  id: string,
  options: { reason?: string; now?: boolean; compensate?: boolean },
  io: CliIo,
): Promise<number> {
  return withStore(io, async ({ engine, allow }) => {
    allow("cancel runs");
    const result = await engine.cancelRun(id, options.reason ?? "", {
      now: options.now === true,
      compensate: options.compensate === true,
    });
    io.stdout.write(
      result === "already"
        ? `${id} was cancelled already\n`
        : result === "undoing"
          ? `cancelled ${id}; undoing what it did (\`weft status ${id}\` shows the saga)\n`
          : result === "stopped undoing"
            ? `cancelled ${id} while it was undoing: what was not undone stays done (\`weft status ${id}\`)\n`
            : `cancelled ${id}\n`,
    );
    return EXIT.ok;
  });
}

export function eventsCommand(
  id: string,
  options: { follow?: boolean },
  io: CliIo,
): Promise<number> {
  return (options.follow ? withLiveStore : withStore)(io, async ({ engine, events }) => {
    await engine.status(id);
    await followEvents(events, engine, id, io, options.follow ?? false);
    return EXIT.ok;
  });
}

export function logsCommand(
  id: string,
  node: string,
  options: { follow?: boolean },
  io: CliIo,
): Promise<number> {
  return (options.follow ? withLiveStore : withStore)(io, async ({ engine, events }) => {
    const record = await engine.status(id);
    if (!record.nodes[node])
      throw new CliError(
        `run ${id} has no node \`${node}\` (nodes: ${Object.keys(record.nodes).join(", ")})`,
        EXIT.findings,
      );
    let shown = 0;
    // The node's note (where the log was cut, or a failure counted a success) goes to stderr,
    // so a pipe of stdout still shows it.
    const done = async () => {
      const note = await engine.nodeNote(id, node);
      if (note) io.stderr.write(`weft: ${node}: ${note}\n`);
      return EXIT.ok;
    };
    for (;;) {
      const log = (await events.log(id, node)) ?? "";
      if (log.length > shown) {
        io.stdout.write(log.slice(shown));
        shown = log.length;
      }
      if (!options.follow) return done();
      if (FINAL_NODE.has((await engine.status(id)).nodes[node]?.status ?? "")) return done();
      await sleep(250);
    }
  });
}

export function retryCommand(
  id: string,
  options: { from?: string; fromScratch?: boolean; wait?: boolean },
  io: CliIo,
): Promise<number> {
  if (options.from !== undefined && options.fromScratch)
    throw new CliError("--from and --from-scratch do not go together: pick one");
  return retryWith(id, options.wait === true, io, ({ engine }) => engine.retryRun(id, options));
}

/**
 * A retry of run `id` by `retry` (`weft retry`, or a dead letter's requeue): refused first when
 * the role may not retry, then says what reruns and, with `wait`, follows the run to its end.
 */
export function retryWith(
  id: string,
  wait: boolean,
  io: CliIo,
  retry: (s: StoreSession) => Promise<{ attempt: number; rerun: string[] }>,
): Promise<number> {
  return (wait ? withLiveStore : withStore)(io, async (s) => {
    s.allow("retry runs");
    const { attempt, rerun } = await retry(s);
    io.stderr.write(`run ${id}: attempt ${attempt} reruns ${rerun.join(", ")}\n`);
    if (!wait) return EXIT.ok;
    const { followToEnd } = await import("./run.js");
    return followToEnd(s.engine, { redis: s.connection.redis, events: s.events }, id, io, true);
  });
}
