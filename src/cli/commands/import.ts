/**
 * `weft import FILE...`: saves every workflow in each file as a new version; a multi-workflow
 * file is imported all or nothing. Calls to workflows not in the file must be in the store.
 */
import { parseWorkflowRef } from "../../spec/index.js";
import { expandPaths, loadFile } from "../files.js";
import { formatFinding, wantsColour } from "../findings-output.js";
import { type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";
import { renderTable, shortHash } from "../table.js";

export async function importCommand(
  paths: string[],
  options: { message?: string; format: "text" | "json" },
  io: CliIo,
): Promise<number> {
  const files = expandPaths(paths, io.cwd);
  return withStore(io, async ({ registry }) => {
    let status: number = EXIT.ok;
    const rows: { file: string; name: string; version: number; hash: string; status: string }[] =
      [];
    for (const file of files) {
      const first = loadFile(file, io.cwd);
      const inFile = new Set(first.workflows.map((w) => w.workflow.name));
      const called = first.workflows.flatMap((w) =>
        w.workflow.nodes.flatMap((n) =>
          n.kind === "subworkflow" ? [parseWorkflowRef(n.workflow)?.name ?? ""] : [],
        ),
      );
      const inStore = await registry.existing(called.filter((n) => n !== "" && !inFile.has(n)));
      const result = loadFile(file, io.cwd, { storeHas: (name) => inStore.has(name) });
      const color = wantsColour(io, "stderr");
      for (const f of result.findings) io.stderr.write(`${formatFinding(f, color)}\n`);
      if (result.findings.some((f) => f.severity === "error") || result.workflows.length === 0) {
        io.stderr.write(
          `${file}: not imported (fix the errors above; nothing from this file was saved)\n`,
        );
        status = EXIT.findings;
        continue;
      }
      const saved = await registry.save(
        result.workflows.map((w) => w.workflow),
        { action: "import", message: options.message ?? `imported from ${file}` },
      );
      if (!saved.ok) {
        for (const f of saved.findings)
          io.stderr.write(`${formatFinding({ ...f, file }, color)}\n`);
        status = EXIT.findings;
        continue;
      }
      for (const s of saved.saved)
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
