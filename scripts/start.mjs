#!/usr/bin/env node
// `npm start` after bootstrap: import the bundled examples into weft's own Redis (unchanged ones
// are deduplicated), then open the designer. Without a terminal it lists what it imported and
// says how to open the designer.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const weft = (args, stdio) =>
  spawnSync(process.execPath, [join(root, "bin/weft.js"), ...args], { cwd: root, stdio });

const imported = weft(["import", "examples"], ["ignore", "pipe", "pipe"]);
if (imported.status !== 0) {
  process.stderr.write(imported.stderr);
  process.stderr.write("weft: could not import the examples (above); starting anyway\n");
}
if (process.stdin.isTTY && process.stdout.isTTY) {
  const designer = weft(["design", ...process.argv.slice(2)], "inherit");
  process.exit(designer.status ?? 1);
}
weft(["ls"], "inherit");
process.stdout.write(
  "\nNo terminal here, so the designer did not open. In a terminal, `npm start` (or\n`node bin/weft.js design`) opens it; `node bin/weft.js --help` lists every command.\n",
);
