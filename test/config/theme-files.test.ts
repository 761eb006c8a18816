/**
 * A theme or keymap file named on the command line is read like a workflow file: regular files
 * only (a FIFO is refused at once, never waited on) and at most 8 MiB.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadKeymap, loadTheme } from "../../src/config/index.js";

const dir = mkdtempSync(join(tmpdir(), "weft-theme-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let writer: ChildProcess | undefined;
afterEach(() => {
  writer?.kill("SIGKILL");
  writer = undefined;
});

/** A FIFO whose writer comes late: code that blocks on it still ends (and fails) in time. */
function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync("mkfifo", [path]);
  writer = spawn("sh", ["-c", `sleep 2; echo '{}' > '${path}'`], { stdio: "ignore" });
  return path;
}

describe("theme and keymap files", () => {
  it("refuses a FIFO as a theme at once", () => {
    const path = fifo("theme.json");
    expect(() => loadTheme(path)).toThrow(`${path}: is a FIFO, not a regular file`);
  });

  it("refuses a directory or a device as a keymap", () => {
    expect(() => loadKeymap(`${dir}/`)).toThrow("is a directory, not a regular file");
    expect(() => loadKeymap("/dev/zero")).toThrow(
      "/dev/zero: is a character device, not a regular file",
    );
  });
});
