/**
 * `weft fmt FILE [--write | --check] [--to native]`: rewrites a workflow file in the native
 * format with stable key order. Dagu files are converted only when asked (`--to native`), and a
 * file whose comments would be dropped is only rewritten with `--force`: fmt never loses data.
 */
import { renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { containsComments, toNativeYaml } from "../../spec/index.js";
import { loadFile, readGivenFile } from "../files.js";
import { formatFinding, wantsColour } from "../findings-output.js";
import { CliError, type CliIo, EXIT } from "../io.js";

export interface FmtOptions {
  write?: boolean;
  check?: boolean;
  to?: string;
  force?: boolean;
  maxBytes?: number;
}

export function fmtCommand(files: string[], options: FmtOptions, io: CliIo): number {
  if (options.to !== undefined && options.to !== "native")
    throw new CliError(`--to ${options.to}: fmt writes the native format only (--to native)`);
  if (options.write && options.check)
    throw new CliError("--write and --check do not go together: --check only reports");
  if (!options.write && !options.check && files.length > 1)
    throw new CliError("fmt prints one file at a time; use --write or --check for several");
  let status: number = EXIT.ok;
  for (const file of files) {
    const result = loadFile(file, io.cwd, {}, options.maxBytes);
    const errors = result.findings.filter((f) => f.severity === "error");
    if (errors.length > 0) {
      for (const f of errors) io.stderr.write(`${formatFinding(f, wantsColour(io, "stderr"))}\n`);
      io.stderr.write(`${file}: not formatted, fix the errors first\n`);
      status = EXIT.findings;
      continue;
    }
    const isDagu = result.workflows.some((w) => w.format === "dagu");
    if (isDagu && options.to !== "native") {
      io.stderr.write(
        `${file}: this is a Dagu file; \`weft fmt --to native ${file}\` converts it to weft's native format\n`,
      );
      status = Math.max(status, options.check ? EXIT.findings : EXIT.usage);
      continue;
    }
    const formatted = toNativeYaml(result.workflows.map((w) => w.workflow));
    const path = resolve(io.cwd, file);
    const current = readGivenFile(file, io.cwd, options.maxBytes).toString("utf8");
    if (options.check) {
      if (current !== formatted) {
        io.stdout.write(`${file}: not formatted (run \`weft fmt --write ${file}\`)\n`);
        status = EXIT.findings;
      }
      continue;
    }
    if (!options.write) {
      io.stdout.write(formatted);
      continue;
    }
    if (current === formatted) continue;
    if (containsComments(current) && !options.force) {
      io.stderr.write(
        `${file}: has comments, which fmt cannot carry over; not rewritten (add --force to drop them, or see the result with \`weft fmt ${file}\`)\n`,
      );
      status = EXIT.findings;
      continue;
    }
    const temporary = `${path}.weft-fmt-${process.pid}`;
    writeFileSync(temporary, formatted);
    renameSync(temporary, path);
    io.stdout.write(`${file}: formatted${isDagu ? " (converted from Dagu)" : ""}\n`);
  }
  return status;
}
