/** `weft hash FILE...`: each workflow's name and content hash (the identity of a version). */
import { expandPaths, loadFile } from "../files.js";
import { formatFinding, wantsColour } from "../findings-output.js";
import { type CliIo, EXIT } from "../io.js";

export function hashCommand(
  paths: string[],
  options: { format: "text" | "json"; maxBytes?: number },
  io: CliIo,
): number {
  let failed = false;
  const rows: { file: string; name: string; hash: string }[] = [];
  for (const file of expandPaths(paths, io.cwd)) {
    const result = loadFile(file, io.cwd, {}, options.maxBytes);
    const errors = result.findings.filter((f) => f.severity === "error");
    if (errors.length > 0) {
      failed = true;
      for (const f of errors) io.stderr.write(`${formatFinding(f, wantsColour(io, "stderr"))}\n`);
      continue;
    }
    for (const w of result.workflows) rows.push({ file, name: w.workflow.name, hash: w.hash });
  }
  if (options.format === "json") io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    const width = Math.max(0, ...rows.map((r) => r.name.length));
    for (const r of rows) io.stdout.write(`${r.name.padEnd(width)}  ${r.hash}\n`);
  }
  return failed ? EXIT.findings : EXIT.ok;
}
