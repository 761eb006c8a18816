/**
 * `weft import FILE...`: saves every workflow in each file as a new version; a multi-workflow
 * file is imported all or nothing. Calls to workflows not in the file must be in the store.
 */
import { importWorkflows } from "../../app/workflow-files.js";
import { expandPaths, loadFile } from "../files.js";
import { formatFinding, wantsColour } from "../findings-output.js";
import { type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";
import { renderTable, shortHash } from "../table.js";

export async function importCommand(
  paths: string[],
  options: { message?: string; format: "text" | "json"; maxBytes?: number },
  io: CliIo,
): Promise<number> {
  const files = expandPaths(paths, io.cwd);
  return withStore(io, async ({ registry, allow }) => {
    allow("save workflows");
    let status: number = EXIT.ok;
    const rows: { file: string; name: string; version: number; hash: string; status: string }[] =
      [];
    for (const file of files) {
      const outcome = await importWorkflows(
        registry,
        file,
        (o) => loadFile(file, io.cwd, o, options.maxBytes),
        options.message,
      );
      const color = wantsColour(io, "stderr");
      for (const f of outcome.findings) io.stderr.write(`${formatFinding(f, color)}\n`);
      if (!outcome.ok) {
        io.stderr.write(
          `${file}: not imported (fix the errors above; nothing from this file was saved)\n`,
        );
        status = EXIT.findings;
        continue;
      }
      for (const s of outcome.saved)
        rows.push({
          file,
          name: s.name,
          version: s.version,
          hash: s.hash,
          status: s.created ? "created" : "unchanged",
        });
    }
    if (options.format === "json") io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else if (rows.length > 0)
      io.stdout.write(
        renderTable(
          ["WORKFLOW", "VERSION", "HASH", "STATUS", "FILE"],
          rows.map((r) => [r.name, `v${r.version}`, shortHash(r.hash), r.status, r.file]),
        ),
      );
    return status;
  });
}
