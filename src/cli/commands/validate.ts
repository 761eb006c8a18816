/** `weft validate FILE...`: every finding of every file; exit 0 clean or warnings, 1 errors, 2 unreadable. */

import type { Finding, LoadResult } from "../../spec/index.js";
import { escapeControl } from "../../spec/index.js";
import { expandPaths, loadFile } from "../files.js";
import { formatFinding, plural, summarise, wantsColour } from "../findings-output.js";
import { type CliIo, EXIT } from "../io.js";

export interface ValidateOptions {
  format: "text" | "json";
  quiet?: boolean;
  maxBytes?: number;
}

export function validateCommand(paths: string[], options: ValidateOptions, io: CliIo): number {
  const files = expandPaths(paths, io.cwd);
  const results: LoadResult[] = files.map((file) => loadFile(file, io.cwd, {}, options.maxBytes));
  const findings: Finding[] = results.flatMap((r) => r.findings);
  const { errors, warnings } = summarise(findings);
  if (options.format === "json") {
    io.stdout.write(
      `${JSON.stringify(
        {
          files: results.map((r) => ({
            file: r.file,
            workflows: r.workflows.map((w) => ({
              name: w.workflow.name,
              format: w.format,
              nodes: w.workflow.nodes.length,
              edges: w.workflow.edges.length,
              hash: w.hash,
              valid: w.valid,
            })),
            findings: r.findings,
          })),
          errors,
          warnings,
        },
        null,
        2,
      )}\n`,
    );
    return errors > 0 ? EXIT.findings : EXIT.ok;
  }
  const color = wantsColour(io);
  for (const f of findings) io.stdout.write(`${formatFinding(f, color)}\n`);
  if (!options.quiet) {
    for (const r of results) {
      for (const w of r.workflows) {
        const mark = w.valid
          ? color
            ? "\x1b[32m✓\x1b[0m"
            : "ok"
          : color
            ? "\x1b[31m✗\x1b[0m"
            : "invalid";
        io.stdout.write(
          `${mark} ${escapeControl(r.file)} › ${escapeControl(w.workflow.name)} (${plural(w.workflow.nodes.length, "node")}, ${plural(w.workflow.edges.length, "edge")}${w.format === "dagu" ? ", from Dagu" : ""})\n`,
        );
      }
    }
    io.stdout.write(
      `${plural(files.length, "file")}: ${plural(errors, "error")}, ${plural(warnings, "warning")}\n`,
    );
  }
  return errors > 0 ? EXIT.findings : EXIT.ok;
}
