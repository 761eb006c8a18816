/** `weft export NAME[@V]... [-o FILE] [--with-children]`: stored versions back to native YAML. */
import { resolve } from "node:path";
import { versionsForExport, writeFileAtomically } from "../../app/workflow-files.js";
import { toNativeYaml } from "../../spec/index.js";
import { type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";

export async function exportCommand(
  refs: string[],
  options: { output?: string; withChildren?: boolean },
  io: CliIo,
): Promise<number> {
  return withStore(io, async ({ registry }) => {
    const chosen = await versionsForExport(registry, refs, options.withChildren ?? false);
    const yaml = toNativeYaml(chosen.map((v) => v.workflow));
    if (!options.output) {
      io.stdout.write(yaml);
      return EXIT.ok;
    }
    const path = resolve(io.cwd, options.output);
    writeFileAtomically(path, yaml);
    io.stderr.write(
      `wrote ${chosen.map((v) => `${v.name}@${v.version}`).join(", ")} to ${options.output}\n`,
    );
    return EXIT.ok;
  });
}
