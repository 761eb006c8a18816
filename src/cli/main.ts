/** weft's command line: argument parsing, one file per command; the only place that prints and exits. */
import { Command, CommanderError, Option } from "commander";
import { fmtCommand } from "./commands/fmt.js";
import { hashCommand } from "./commands/hash.js";
import { validateCommand } from "./commands/validate.js";
import { CliError, type CliIo, EXIT, processIo } from "./io.js";

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
  weft validate examples/           check every workflow file in a directory
  weft validate flow.yaml --format json
  weft fmt --to native dagu.yaml    convert a Dagu file to the native format
  weft hash flow.yaml               print each workflow's content hash

Run \`weft <command> --help\` for a command's options.`,
    );

  cli
    .command("validate")
    .description("check workflow files and print every finding")
    .argument("<files...>", "workflow files or directories of them")
    .addOption(formatOption())
    .option("-q, --quiet", "print findings only, no summary")
    .addHelpText(
      "after",
      "\nExit status: 0 clean or warnings only, 1 errors, 2 a file cannot be read.\n\nExample:\n  weft validate examples/*.yaml",
    )
    .action((files: string[], opts: { format: "text" | "json"; quiet?: boolean }) =>
      setExit(validateCommand(files, opts, io)),
    );

  cli
    .command("fmt")
    .description("rewrite a workflow file in the native format with stable key order")
    .argument("<files...>", "workflow files")
    .option("-w, --write", "rewrite the files in place")
    .option("--check", "exit 1 when a file is not formatted; change nothing")
    .option("--to <format>", "convert Dagu shorthand to this format (native)")
    .option("--force", "with --write: rewrite even when comments would be dropped")
    .addHelpText(
      "after",
      "\nExamples:\n  weft fmt pipeline.yaml              print the formatted file\n  weft fmt --write --to native dagu.yaml\n  weft fmt --check examples/*.yaml",
    )
    .action((files: string[], opts) => setExit(fmtCommand(files, opts, io)));

  cli
    .command("hash")
    .description("print each workflow's name and content hash")
    .argument("<files...>", "workflow files or directories of them")
    .addOption(formatOption())
    .addHelpText(
      "after",
      "\nThe hash is the SHA-256 of the canonical JSON: key order, whitespace and\ncomments do not change it; any change to what the workflow does does.\n\nExample:\n  weft hash examples/order-saga.yaml",
    )
    .action((files: string[], opts: { format: "text" | "json" }) =>
      setExit(hashCommand(files, opts, io)),
    );

  return cli;
}

/** Runs one command line and returns its exit status. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
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
    if (cause instanceof CliError) {
      io.stderr.write(`weft: ${cause.message}\n`);
      return cause.exitCode;
    }
    io.stderr.write(`weft: internal error: ${(cause as Error).stack ?? String(cause)}\n`);
    return 70;
  }
}
