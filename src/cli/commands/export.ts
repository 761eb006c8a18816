/** `weft export NAME[@V]... [-o FILE] [--with-children]`: stored versions back to native YAML. */
import { renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseWorkflowRef, toNativeYaml } from "../../spec/index.js";
import type { StoredVersion } from "../../store/index.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";

export async function exportCommand(
  refs: string[],
  options: { output?: string; withChildren?: boolean },
  io: CliIo,
): Promise<number> {
  return withStore(io, async ({ registry }) => {
    const chosen = new Map<string, StoredVersion>();
    const queue = [...refs];
    const add = (version: StoredVersion, ref: string) => {
      const other = chosen.get(version.name);
      if (other && other.version !== version.version) {
        throw new CliError(
          `two versions of \`${version.name}\` would go into one file (v${other.version} and v${version.version}, from ${ref}); export them separately`,
          EXIT.findings,
        );
      }
      chosen.set(version.name, version);
    };
    while (queue.length > 0) {
      const ref = queue.shift()!;
      const version = await registry.get(ref);
      if (chosen.get(version.name)?.version === version.version) continue;
      add(version, ref);
      if (!options.withChildren) continue;
      for (const node of version.workflow.nodes)
        if (node.kind === "subworkflow" && parseWorkflowRef(node.workflow))
          queue.push(node.workflow);
    }
    const yaml = toNativeYaml([...chosen.values()].map((v) => v.workflow));
    if (!options.output) {
      io.stdout.write(yaml);
      return EXIT.ok;
    }
    const path = resolve(io.cwd, options.output);
    const temporary = `${path}.weft-export-${process.pid}`;
    writeFileSync(temporary, yaml);
    renameSync(temporary, path);
    io.stderr.write(
      `wrote ${[...chosen.values()].map((v) => `${v.name}@${v.version}`).join(", ")} to ${options.output}\n`,
    );
    return EXIT.ok;
  });
}
