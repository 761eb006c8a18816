/**
 * `weft run NAME[@V] [-p key=value]... [--params-file F] [--wait]`: starts a run of a saved
 * version and prints its id. With --wait it follows the run, a line per node change (and a
 * progress bar redrawn under them when stdout is a terminal), drives it in this process when no
 * worker serves its queues, and exits 0 / 1 / 130 (cancelled).
 */
import { type Engine, Worker } from "../../engine/index.js";
import { RUN_PRIORITY } from "../../model/run-model.js";
import {
  decodeUtf8,
  escapeControl,
  parseParamAssignments,
  parseParamsText,
} from "../../spec/index.js";
import type { RunEvents, StoreHandle } from "../../store/index.js";
import { readGivenFile } from "../files.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { withLiveStore, withStore } from "../store-session.js";
import { followEvents } from "./watch.js";

export interface RunOptions {
  param?: string[];
  paramsFile?: string;
  wait?: boolean;
  maxBytes?: number;
  priority?: string;
}

export const EXIT_CANCELLED = 130;

export function runCommand(ref: string, options: RunOptions, io: CliIo): Promise<number> {
  // With --wait the command lives until the run ends, so it rides out a Redis restart.
  return (options.wait ? withLiveStore : withStore)(io, async (s) => {
    const { engine, connection, events } = s;
    s.allow("start runs");
    const version = await engine.version(ref);
    let params: Record<string, unknown> = {};
    if (options.paramsFile) {
      const bytes = readGivenFile(options.paramsFile, io.cwd, options.maxBytes);
      const decoded = decodeUtf8(bytes);
      if (!decoded.ok) {
        const { line, col, message } = decoded.problem;
        throw new CliError(`${options.paramsFile}:${line}:${col}: ${message}`, EXIT.unreadable);
      }
      const read = parseParamsText(decoded.text, options.paramsFile);
      if (!read.ok) throw new CliError(read.problem, EXIT.unreadable);
      params = read.params;
    }
    const assigned = parseParamAssignments(options.param ?? [], version.workflow.parameters);
    if (assigned.problems.length > 0) {
      throw new CliError(
        `bad parameters: ${assigned.problems.map((p) => `${escapeControl(p.name)}: ${p.message}`).join("; ")}`,
        EXIT.findings,
      );
    }
    const priority = options.priority === undefined ? 0 : Number(options.priority);
    if (
      !/^-?\d+$/.test(options.priority ?? "0") ||
      priority < RUN_PRIORITY.min ||
      priority > RUN_PRIORITY.max
    )
      throw new CliError(
        `--priority takes a whole number from ${RUN_PRIORITY.min} to ${RUN_PRIORITY.max}, not \`${escapeControl(options.priority ?? "")}\``,
        EXIT.usage,
      );
    const id = await engine.startRun(
      `${version.name}@${version.version}`,
      { ...params, ...assigned.params },
      priority !== 0 ? { priority } : {},
    );
    if (!options.wait) {
      io.stdout.write(`${id}\n`);
      return EXIT.ok;
    }
    io.stderr.write(`run ${id}: ${version.name}@${version.version}\n`);
    const interrupt = () =>
      void engine.cancelRun(id, "interrupted by the user who started it").catch(() => undefined);
    process.once("SIGINT", interrupt);
    try {
      return await followToEnd(engine, { redis: connection.redis, events }, id, io, false);
    } finally {
      process.off("SIGINT", interrupt);
    }
  });
}

/**
 * Follows a run until it finishes, running it in this process when no worker has served its
 * queues lately; the exit status says how it ended (0, 1, or 130 when cancelled).
 * `onlyNew` follows only the latest attempt of a retried run.
 */
export async function followToEnd(
  engine: Engine,
  store: { redis: StoreHandle; events: RunEvents },
  id: string,
  io: CliIo,
  onlyNew: boolean,
): Promise<number> {
  const run = await engine.load(id);
  const served = await engine.servedQueues();
  // Driving one run needs no blocking pops, so it shares the command's connection.
  const driver = run.queues.some((q) => !served.has(q))
    ? new Worker(engine, store.redis, { onlyRun: id, queues: run.queues }).run()
    : undefined;
  // Held as a value so that when following fails first, the driver's failure is not unhandled.
  const driven = driver?.then(
    () => undefined,
    (cause: unknown) => ({ cause }),
  );
  // On a terminal a progress bar is redrawn under the lines; piped or redirected, lines only.
  const status = await followEvents(
    store.events,
    engine,
    id,
    io,
    true,
    onlyNew,
    io.stdout.isTTY === true,
  );
  const failed = await driven;
  if (failed) throw failed.cause;
  // How it ended and why, once more under the lines (a saga's phase, the node that failed).
  if (status !== "succeeded") {
    const { reason } = (await engine.status(id)).fields;
    io.stderr.write(`run ${id} ${status}${reason ? `: ${reason}` : ""}\n`);
  }
  // A run that went on past failures it was told to go past did what it was asked: exit 0.
  return status === "succeeded" || status === "partially_succeeded"
    ? EXIT.ok
    : status === "cancelled"
      ? EXIT_CANCELLED
      : EXIT.findings;
}
