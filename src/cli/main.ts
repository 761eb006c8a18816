/**
 * weft's command line: argument parsing, one file per command; the only place that prints and
 * exits. Commands are loaded when run, so `weft validate` never pays for the Redis client.
 */
import { Command, CommanderError, Option } from "commander";
import { type CliIo, EXIT, processIo } from "./io.js";
import { maxBytesOption } from "./max-bytes.js";
import { catchStrayFailures, describeStrayFailure } from "./stray-failures.js";

const VERSION = "0.1.0";

const formatOption = () =>
  new Option("--format <format>", "output format").choices(["text", "json"]).default("text");

function program(io: CliIo, setExit: (code: number) => void): Command {
  const cli = new Command("weft")
    .description("Design, version and run workflow DAGs from the terminal, on Redis.")
    .version(VERSION, "-V, --version")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      `
Examples:
  weft design                       open the designer (the workflow list)
  weft monitor                      watch runs live; cancel and retry them
  weft validate examples/           check every workflow file in a directory
  weft validate flow.yaml --format json
  weft fmt --to native dagu.yaml    convert a Dagu file to the native format
  weft hash flow.yaml               print each workflow's content hash
  weft import examples/             save them as versions in the store
  weft ls                           list stored workflows

Run \`weft <command> --help\` for a command's options.`,
    );

  // The terminal screens' look and keys, the same for every command that opens them.
  const withLook = (command: Command) =>
    command
      .option(
        "--theme <theme>",
        "dark, light, high-contrast, no-color or a JSON file (NO_COLOR wins)",
      )
      .option("--keymap <keymap>", "default, vim or a JSON file (also WEFT_KEYMAP)")
      .option("--ascii", "draw with ASCII only (also WEFT_ASCII=1)");

  withLook(
    cli
      .command("design")
      .description("open the designer: the workflow list, or a stored workflow or a file")
      .argument(
        "[target]",
        "a workflow name (name@3 for a past version, read-only) or a YAML file",
      ),
  )
    .addHelpText(
      "after",
      "\nF1 or ? shows every key. F-keys have letter twins for terminals that swallow them.\n\nExamples:\n  weft design                       the workflow list\n  weft design daily-etl             open a stored workflow\n  weft design examples/order-saga.yaml",
    )
    .action(async (target: string | undefined, opts) =>
      setExit(await (await import("./commands/design.js")).designCommand(target, opts, io)),
    );

  withLook(
    cli
      .command("monitor")
      .description("watch runs in the terminal: the runs list, or one run's live canvas")
      .argument("[run]", "a run id (as `weft runs` prints it)")
      .option("--workflow <name>", "list only this workflow's runs"),
  )
    .addHelpText(
      "after",
      "\nEnter opens a run or a node's details; X cancels (asks for the id's last 4 characters), a retries; D lists dead letters.\n\nExamples:\n  weft monitor                      every run, newest first, live\n  weft monitor 01JD3K2M8Q...        one run's canvas, coloured by node state",
    )
    .action(async (run: string | undefined, opts) =>
      setExit(
        await (await import("./commands/design.js")).designCommand(
          undefined,
          {
            ...opts,
            start: run ? { type: "run", id: run } : { type: "runs", workflow: opts.workflow },
          },
          io,
        ),
      ),
    );

  cli
    .command("validate")
    .description("check workflow files and print every finding")
    .argument("<files...>", "workflow files or directories of them")
    .addOption(formatOption())
    .option("-q, --quiet", "print findings only, no summary")
    .addOption(maxBytesOption())
    .addHelpText(
      "after",
      "\nExit status: 0 clean or warnings only, 1 errors, 2 a file cannot be read.\n\nExample:\n  weft validate examples/*.yaml",
    )
    .action(
      async (
        files: string[],
        opts: { format: "text" | "json"; quiet?: boolean; maxBytes?: number },
      ) => setExit((await import("./commands/validate.js")).validateCommand(files, opts, io)),
    );

  cli
    .command("fmt")
    .description("rewrite a workflow file in the native format with stable key order")
    .argument("<files...>", "workflow files")
    .option("-w, --write", "rewrite the files in place")
    .option("--check", "exit 1 when a file is not formatted; change nothing")
    .option("--to <format>", "convert Dagu shorthand to this format (native)")
    .option("--force", "with --write: rewrite even when comments would be dropped")
    .addOption(maxBytesOption())
    .addHelpText(
      "after",
      "\nExamples:\n  weft fmt pipeline.yaml              print the formatted file\n  weft fmt --write --to native dagu.yaml\n  weft fmt --check examples/*.yaml",
    )
    .action(async (files: string[], opts) =>
      setExit(await (await import("./commands/fmt.js")).fmtCommand(files, opts, io)),
    );

  cli
    .command("hash")
    .description("print each workflow's name and content hash")
    .argument("<files...>", "workflow files or directories of them")
    .addOption(formatOption())
    .addOption(maxBytesOption())
    .addHelpText(
      "after",
      "\nThe hash is the SHA-256 of the canonical JSON: key order, whitespace and\ncomments do not change it; any change to what the workflow does does.\n\nExample:\n  weft hash examples/order-saga.yaml",
    )
    .action(async (files: string[], opts: { format: "text" | "json"; maxBytes?: number }) =>
      setExit((await import("./commands/hash.js")).hashCommand(files, opts, io)),
    );

  cli
    .command("import")
    .description("save every workflow in the files as new versions in the store")
    .argument("<files...>", "workflow files or directories of them")
    .option("-m, --message <text>", "a note kept with each new version")
    .addOption(formatOption())
    .addOption(maxBytesOption())
    .addHelpText(
      "after",
      '\nA multi-workflow file is imported all or nothing; identical content is "unchanged".\n\nExample:\n  weft import examples/',
    )
    .action(async (files: string[], opts) =>
      setExit(await (await import("./commands/import.js")).importCommand(files, opts, io)),
    );

  cli
    .command("export")
    .description("write stored workflows as native YAML")
    .argument("<refs...>", "name, name@3 or name@sha:1a2b3c")
    .option("-o, --output <file>", "write to this file instead of standard output")
    .option("--with-children", "include the workflows they call (one multi-document file)")
    .addHelpText("after", "\nExample:\n  weft export daily-etl --with-children -o etl.yaml")
    .action(async (refs: string[], opts) =>
      setExit(await (await import("./commands/export.js")).exportCommand(refs, opts, io)),
    );

  cli
    .command("ls")
    .description("list the workflows in the store")
    .addOption(formatOption())
    .addHelpText("after", "\nExample:\n  weft ls --format json")
    .action(async (opts) =>
      setExit(await (await import("./commands/browse.js")).listCommand(opts, io)),
    );

  cli
    .command("versions")
    .description("list every version of a workflow")
    .argument("<name>", "workflow name")
    .addOption(formatOption())
    .addHelpText("after", "\nExample:\n  weft versions data-pipeline")
    .action(async (name: string, opts) =>
      setExit(await (await import("./commands/browse.js")).versionsCommand(name, opts, io)),
    );

  cli
    .command("show")
    .description("print one version of a workflow")
    .argument("<ref>", "name, name@3 or name@sha:1a2b3c")
    .addOption(
      new Option("--format <format>", "output format").choices(["yaml", "json"]).default("yaml"),
    )
    .addHelpText("after", "\nExample:\n  weft show data-pipeline@2 --format json")
    .action(async (ref: string, opts) =>
      setExit(await (await import("./commands/browse.js")).showCommand(ref, opts, io)),
    );

  cli
    .command("diff")
    .description("compare two versions: nodes, fields, edges and parameters")
    .argument("<a>", "name@version")
    .argument("<b>", "name@version")
    .addOption(formatOption())
    .addHelpText(
      "after",
      "\nExit status: 0 identical, 1 different.\n\nExample:\n  weft diff data-pipeline@1 data-pipeline@2",
    )
    .action(async (a: string, b: string, opts) =>
      setExit(await (await import("./commands/changes.js")).diffCommand(a, b, opts, io)),
    );

  cli
    .command("rm")
    .description("delete a workflow from the list (its versions stay readable)")
    .argument("<name>", "workflow name")
    .addHelpText("after", "\nExample:\n  weft rm old-pipeline")
    .action(async (name: string) =>
      setExit(await (await import("./commands/changes.js")).removeCommand(name, io)),
    );

  cli
    .command("audit")
    .description("who saved, imported, deleted, ran, cancelled and retried what, when, from where")
    .option("--since <when>", "a duration back from now (2h, 3d) or a time")
    .option("--limit <n>", "at most this many entries")
    .option("--run <id>", "only the entries of this run")
    .option("--workflow <name>", "only the entries of this workflow")
    .addOption(formatOption())
    .addHelpText(
      "after",
      "\nExamples:\n  weft audit --since 1d\n  weft audit --run 01JD3K2M8Q… --format json",
    )
    .action(async (opts) =>
      setExit(await (await import("./commands/changes.js")).auditCommand(opts, io)),
    );

  cli
    .command("acl")
    .description("Redis ACL roles: create or update weft's users and print each role's REDIS_URL")
    .argument("<action>", "apply")
    .option("--rotate", "give every role a new password")
    .addOption(formatOption())
    .addHelpText(
      "after",
      "\nRoles: weft-admin, weft-designer, weft-operator, weft-viewer, weft-worker.\nExamples:\n  weft acl apply\n  weft acl apply --rotate --format json",
    )
    .action(async (action: string, opts) =>
      setExit(await (await import("./commands/acl.js")).aclCommand(action, opts, io)),
    );

  cli
    .command("redis")
    .description("the embedded Redis weft starts when REDIS_URL is unset")
    .argument("<action>", "status, stop or path")
    .addHelpText(
      "after",
      "\nExamples:\n  weft redis status\n  weft redis stop      (data is kept; the next command restarts it)",
    )
    .action(async (action: string) =>
      setExit(await (await import("./commands/redis.js")).redisCommand(action, io)),
    );

  cli
    .command("run")
    .description("start a run of a saved workflow version")
    .argument("<ref>", "name, name@3 or name@sha:1a2b3c")
    .option(
      "-p, --param <key=value>",
      "a parameter (repeat for more)",
      (v: string, all: string[] = []) => [...all, v],
    )
    .option("--params-file <file>", "parameters from a JSON or YAML mapping")
    .option("--priority <n>", "workers take runs of higher priority first (-10 to 10, default 0)")
    .addOption(maxBytesOption())
    .option(
      "-w, --wait",
      "follow the run to its end (and run it here when no worker serves its queues)",
    )
    .addHelpText(
      "after",
      "\nWithout --wait it prints the run id. With --wait: exit 0 succeeded (or partially_succeeded: it went on past failures it was told to), 1 failed (or compensated), 130 cancelled.\n\nExample:\n  weft run data-pipeline -p min_quality=0.9 --wait",
    )
    .action(async (ref: string, opts) =>
      setExit(await (await import("./commands/run.js")).runCommand(ref, opts, io)),
    );

  cli
    .command("worker")
    .description("run handlers for queued nodes until stopped")
    .option("-c, --concurrency <n>", "nodes run at once", "8")
    .option("-q, --queues <list>", "queues to serve, comma separated", "default")
    .option("-v, --verbose", "print a line per node event")
    .option("--lease-ms <ms>", "how long a node stays this worker's without a renewal", "30000")
    .option(
      "--scheduler",
      "also start the runs of workflows whose `schedule` is due (several may run: each tick fires once)",
    )
    .addHelpText(
      "after",
      "\nSIGTERM or Ctrl-C lets running nodes finish, then exits.\n\nExamples:\n  weft worker --concurrency 16 --verbose\n  weft worker --scheduler",
    )
    .action(async (opts) =>
      setExit(await (await import("./commands/worker.js")).workerCommand(opts, io)),
    );

  cli
    .command("schedules")
    .description("each workflow's schedule: cron, time zone, next run, last tick fired")
    .addOption(formatOption())
    .addHelpText(
      "after",
      "\n`weft worker --scheduler` starts the runs.\n\nExample:\n  weft schedules",
    )
    .action(async (opts) =>
      setExit(await (await import("./commands/schedules.js")).schedulesCommand(opts, io)),
    );

  cli
    .command("runs")
    .description("list runs, newest first")
    .option("--workflow <name>", "only this workflow's runs")
    .option(
      "--status <status>",
      "queued, running, compensating, succeeded, failed, cancelled, compensated or compensation_failed",
    )
    .option("--limit <n>", "at most this many", "20")
    .addOption(formatOption())
    .addHelpText("after", "\nExample:\n  weft runs --status failed")
    .action(async (opts) =>
      setExit(await (await import("./commands/runs.js")).runsCommand(opts, io)),
    );

  cli
    .command("status")
    .description("a run's nodes: state, attempts, duration, last error")
    .argument("<run>", "run id")
    .addOption(formatOption())
    .addHelpText("after", "\nExample:\n  weft status 01JD...")
    .action(async (id: string, opts) =>
      setExit(await (await import("./commands/runs.js")).statusCommand(id, opts, io)),
    );

  cli
    .command("cancel")
    .description("cancel a queued or running run")
    .argument("<run>", "run id")
    .option("--reason <text>", "why (kept in the run and the audit stream)")
    .option("--now", "kill running tasks at once (SIGKILL) instead of giving them their killGrace")
    .option(
      "--compensate",
      "undo what succeeded: the compensations of its finished tasks run, the last one first",
    )
    .addHelpText(
      "after",
      '\nExamples:\n  weft cancel 01JD... --reason "wrong input file"\n  weft cancel 01JD... --compensate   (the run ends `compensated`)',
    )
    .action(async (id: string, opts) =>
      setExit(await (await import("./commands/runs.js")).cancelCommand(id, opts, io)),
    );

  const dlq = cli
    .command("dlq")
    .description("dead letters: nodes that failed for good, with their last error")
    .addHelpText(
      "after",
      "\nExamples:\n  weft dlq ls\n  weft dlq show 01JD... charge_payment\n  weft dlq requeue 01JD...      (retries the run: its failed nodes run again)\n  weft dlq purge --all",
    );
  dlq
    .command("ls")
    .description("list dead letters, newest first")
    .option("--limit <n>", "at most this many", "100")
    .addOption(formatOption())
    .action(async (opts) =>
      setExit(await (await import("./commands/dlq.js")).dlqListCommand(opts, io)),
    );
  dlq
    .command("show")
    .description("one dead letter: its run, attempts, when and why it failed")
    .argument("<run>", "run id")
    .argument("<node>", "node id")
    .addOption(formatOption())
    .action(async (run: string, node: string, opts) =>
      setExit(await (await import("./commands/dlq.js")).dlqShowCommand(run, node, opts, io)),
    );
  dlq
    .command("requeue")
    .description(
      "run a dead letter's run again (its failed and unfinished nodes) and drop its letters",
    )
    .argument("<run>", "run id")
    .argument("[node]", "node id (checked against the list)")
    .option("--wait", "follow the new attempt to its end, as `weft retry --wait`")
    .action(async (run: string, node: string | undefined, opts) =>
      setExit(await (await import("./commands/dlq.js")).dlqRequeueCommand(run, node, opts, io)),
    );
  dlq
    .command("purge")
    .description("drop dead letters: of one run (or one node of it), or --all")
    .argument("[run]", "run id")
    .argument("[node]", "node id")
    .option("--all", "every dead letter")
    .action(async (run: string | undefined, node: string | undefined, opts) =>
      setExit(await (await import("./commands/dlq.js")).dlqPurgeCommand(run, node, opts, io)),
    );

  cli
    .command("retry")
    .description("run a finished run again: what failed or never ran, or more")
    .argument("<run>", "run id")
    .option("--from <node>", "also rerun this node and everything after it")
    .option("--from-scratch", "rerun every node")
    .option("-w, --wait", "follow the new attempt to its end")
    .addHelpText(
      "after",
      "\nThe run keeps its pinned version; nodes that are not rerun keep their outputs.\n\nExample:\n  weft retry 01JD... --from transform --wait",
    )
    .action(async (id: string, opts) =>
      setExit(await (await import("./commands/runs.js")).retryCommand(id, opts, io)),
    );

  cli
    .command("events")
    .description("a run's events: every node change")
    .argument("<run>", "run id")
    .option("-f, --follow", "keep printing until the run finishes")
    .addHelpText("after", "\nExample:\n  weft events 01JD... --follow")
    .action(async (id: string, opts) =>
      setExit(await (await import("./commands/runs.js")).eventsCommand(id, opts, io)),
    );

  cli
    .command("logs")
    .description("a node's captured output")
    .argument("<run>", "run id")
    .argument("<node>", "node id")
    .option("-f, --follow", "keep printing until the node finishes")
    .addHelpText("after", "\nExample:\n  weft logs 01JD... fetch_data")
    .action(async (id: string, node: string, opts) =>
      setExit(await (await import("./commands/runs.js")).logsCommand(id, node, opts, io)),
    );

  return cli;
}

/**
 * Runs one command line and returns its exit status. Without `io` it is the real process: a
 * failure that escapes every command is still reported in one line (see stray-failures.ts).
 */
export async function runCli(argv: readonly string[], given?: CliIo): Promise<number> {
  const io = given ?? processIo();
  const releaseNet = given ? () => undefined : catchStrayFailures(io);
  try {
    return await runCommandLine(argv, io);
  } finally {
    releaseNet();
  }
}

async function runCommandLine(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const cli = program(io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    cli.outputHelp();
    return EXIT.ok;
  }
  try {
    await cli.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (cause) {
    if (cause instanceof CommanderError) {
      return cause.code === "commander.helpDisplayed" ||
        cause.code === "commander.version" ||
        cause.code === "commander.help"
        ? EXIT.ok
        : EXIT.usage;
    }
    const { line, exitCode: failed } = await describeStrayFailure(cause, io.env);
    io.stderr.write(`${line}\n`);
    return failed;
  }
}
