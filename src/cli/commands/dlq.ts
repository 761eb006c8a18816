/**
 * `weft dlq ls | show RUN NODE | requeue RUN [NODE] | purge [RUN [NODE]] --all`: the nodes that
 * failed for good, with their last error. Requeueing retries the run (its failed and unfinished
 * nodes run again, on the same version) and takes its letters off the list.
 */
import { DeadLetterNotFound, requeueDeadLetter } from "../../app/runs/dead-letters.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";
import { formatWhen, renderTable } from "../table.js";
import { retryWith } from "./runs.js";

type Format = "text" | "json";

export function dlqListCommand(options: { format: Format; limit?: string }, io: CliIo) {
  const limit = Number(options.limit ?? 100);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CliError(`--limit ${options.limit}: give a whole number`);
  return withStore(io, async ({ engine }) => {
    const letters = await engine.deadLetters.list(limit);
    if (options.format === "json") {
      io.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
      return EXIT.ok;
    }
    if (letters.length === 0) {
      io.stdout.write("no dead letters: no node has failed for good\n");
      return EXIT.ok;
    }
    io.stdout.write(
      renderTable(
        ["RUN", "NODE", "WORKFLOW", "ATTEMPTS", "FAILED", "LAST ERROR"],
        letters.map((l) => [
          l.run,
          l.node,
          `${l.workflow}@${l.version}`,
          String(l.attempts),
          formatWhen(l.at),
          l.error.length > 60 ? `${l.error.slice(0, 59)}…` : l.error,
        ]),
      ),
    );
    return EXIT.ok;
  });
}

export function dlqShowCommand(run: string, node: string, options: { format: Format }, io: CliIo) {
  return withStore(io, async ({ engine }) => {
    const letter = await engine.deadLetters.get(run, node);
    if (!letter)
      throw new CliError(
        `no dead letter for node ${node} of run ${run} (\`weft dlq ls\` lists them)`,
        EXIT.findings,
      );
    if (options.format === "json") {
      io.stdout.write(`${JSON.stringify(letter, null, 2)}\n`);
      return EXIT.ok;
    }
    io.stdout.write(
      [
        `run       ${letter.run} (${letter.workflow}@${letter.version})`,
        `node      ${letter.node}`,
        `attempts  ${letter.attempts}`,
        `failed    ${new Date(letter.at).toISOString()}`,
        `error     ${letter.error}`,
        "",
        `\`weft dlq requeue ${letter.run}\` runs it again; \`weft logs ${letter.run} ${letter.node}\` shows its output`,
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  });
}

/** A retry of the letter's run (`weft retry RUN [--wait]`), once the letter is found. */
export function dlqRequeueCommand(
  run: string,
  node: string | undefined,
  options: { wait?: boolean },
  io: CliIo,
) {
  return retryWith(run, options.wait === true, io, ({ engine }) =>
    requeueDeadLetter(engine, run, node).catch((cause: unknown) => {
      if (cause instanceof DeadLetterNotFound)
        throw new CliError(`${cause.message} (\`weft dlq ls\` lists them)`, EXIT.findings);
      throw cause;
    }),
  );
}

export function dlqPurgeCommand(
  run: string | undefined,
  node: string | undefined,
  options: { all?: boolean },
  io: CliIo,
) {
  return withStore(io, async ({ engine, allow }) => {
    allow("retry runs");
    if (run === undefined && !options.all)
      throw new CliError("say which: `weft dlq purge RUN [NODE]`, or `--all` for every letter");
    const n = await engine.purgeDeadLetters(
      run === undefined ? "all" : { run, ...(node === undefined ? {} : { nodes: [node] }) },
    );
    io.stdout.write(`purged ${n} dead letter${n === 1 ? "" : "s"}\n`);
    return EXIT.ok;
  });
}
