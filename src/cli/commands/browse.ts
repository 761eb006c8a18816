/** `weft ls`, `weft versions NAME`, `weft show NAME[@V]`: reading the registry. */
import { toNativeYaml } from "../../spec/index.js";
import { type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";
import { formatTime, renderTable, shortHash } from "../table.js";

type Format = "text" | "json";

export function listCommand(options: { format: Format }, io: CliIo): Promise<number> {
  return withStore(io, async ({ registry }) => {
    const list = await registry.list();
    if (options.format === "json") io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0)
      io.stdout.write("no workflows yet: `weft import FILE` saves the workflows in a file\n");
    else
      io.stdout.write(
        renderTable(
          ["NAME", "VERSION", "NODES", "UPDATED", "BY"],
          list.map((w) => [
            w.name,
            `v${w.version}`,
            String(w.nodes),
            formatTime(w.updated),
            w.updatedBy,
          ]),
        ),
      );
    return EXIT.ok;
  });
}

export function versionsCommand(
  name: string,
  options: { format: Format },
  io: CliIo,
): Promise<number> {
  return withStore(io, async ({ registry }) => {
    const versions = await registry.versions(name);
    if (options.format === "json") io.stdout.write(`${JSON.stringify(versions, null, 2)}\n`);
    else
      io.stdout.write(
        renderTable(
          ["VERSION", "HASH", "NODES", "SAVED", "BY", "MESSAGE"],
          versions.map((v) => [
            `v${v.version}`,
            shortHash(v.hash),
            String(v.nodes),
            formatTime(v.time),
            `${v.author}@${v.host}`,
            v.message,
          ]),
        ),
      );
    return EXIT.ok;
  });
}

export function showCommand(
  ref: string,
  options: { format: "yaml" | "json" },
  io: CliIo,
): Promise<number> {
  return withStore(io, async ({ registry }) => {
    const v = await registry.get(ref);
    if (options.format === "json") {
      const { canonical: _canonical, ...rest } = v;
      io.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
    } else {
      io.stdout.write(
        `# ${v.name} v${v.version} of ${v.current} · sha256:${v.hash} · ${formatTime(v.time)} by ${v.author}${v.message ? ` · ${v.message}` : ""}\n`,
      );
      io.stdout.write(toNativeYaml([v.workflow]));
    }
    return EXIT.ok;
  });
}
