/**
 * `weft worker [--concurrency N] [--queues a,b] [--verbose]`: runs handlers until SIGTERM or
 * SIGINT, then lets running nodes finish (up to 30 s; a second signal: at once), hands back
 * what is left for another worker, and exits cleanly.
 */
import { Scheduler, Worker } from "../../engine/index.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { withLiveStore } from "../store-session.js";

export function workerCommand(
  options: {
    concurrency?: string;
    queues?: string;
    verbose?: boolean;
    leaseMs?: string;
    scheduler?: boolean;
  },
  io: CliIo,
): Promise<number> {
  const leaseMs = Number(options.leaseMs ?? 30_000);
  if (!Number.isInteger(leaseMs) || leaseMs < 100)
    throw new CliError(`--lease-ms ${options.leaseMs}: give at least 100 ms`);
  const concurrency = Number(options.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new CliError(`--concurrency ${options.concurrency}: give a whole number of slots`);
  const queues = (options.queues ?? "default")
    .split(",")
    .map((q) => q.trim())
    .filter(Boolean);
  return withLiveStore(io, async ({ engine, connection, allow }) => {
    allow("work on runs");
    const blocking = connection.redis.duplicate();
    const worker = new Worker(engine, blocking, {
      queues,
      concurrency,
      leaseMs,
      onEvent: options.verbose
        ? (e) =>
            io.stdout.write(
              `${new Date().toTimeString().slice(0, 8)}  ${e.run}  ${e.node}  ${e.status}${e.attempt ? ` (attempt ${e.attempt})` : ""}${e.ms !== undefined ? ` ${e.ms}ms` : ""}${e.error ? `  ${e.error}` : ""}\n`,
            )
        : undefined,
    });
    io.stderr.write(
      `worker ${worker.id}: queues ${queues.join(", ")}, concurrency ${concurrency}, Redis ${connection.url}\n`,
    );
    let signals = 0;
    const stop = () => {
      signals++;
      if (signals === 1)
        io.stderr.write(
          "stopping: running nodes get 30 s to finish, the rest go back to the queue (send again to hand them back now)\n",
        );
      else io.stderr.write("handing running nodes back now\n");
      void worker.stop(signals === 1 ? 30_000 : 0);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    // The scheduler starts scheduled runs beside the work; it stops with the first signal.
    const scheduling = new AbortController();
    const scheduler = options.scheduler
      ? new Scheduler(engine, { owner: worker.id }).run(
          scheduling.signal,
          (f) =>
            io.stderr.write(
              f.run
                ? `schedule: started ${f.run} of ${f.workflow}@${f.version} (due ${new Date(f.due).toISOString()})\n`
                : `schedule: ${f.workflow}@${f.version} was due at ${new Date(f.due).toISOString()} but did not start: ${f.error}\n`,
            ),
          (e) => io.stderr.write(`schedule: ${e.message} (trying again)\n`),
        )
      : undefined;
    if (scheduler)
      io.stderr.write("scheduler: on (runs start when workflows' schedules are due)\n");
    try {
      await worker.run();
    } finally {
      scheduling.abort();
      await scheduler;
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      blocking.disconnect();
    }
    io.stderr.write("worker stopped\n");
    return EXIT.ok;
  });
}
