/**
 * The real binary in a real terminal: a tmux session of a given size running `weft ARGS` with
 * `CI` unset (Ink draws nothing until exit when it is set), read back with capture-pane.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const bin = resolve(import.meta.dirname, "../../bin/weft.js");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });

export interface TmuxWeft {
  screen(): string;
  /** The screen with the lines the terminal wrapped joined back: what a command printed. */
  printed(): string;
  /** Waits for the screen to show `text` (or pass the check); throws with the screen if not. */
  until(text: string | RegExp | ((screen: string) => boolean), timeout?: number): Promise<string>;
  /** tmux key names (`Enter`, `F10`, `Escape`) or single characters, one at a time. */
  keys(...keys: string[]): Promise<void>;
  /** Literal text, in one go. */
  type(text: string): void;
  kill(): void;
}

let sessions = 0;

export function tmuxWeft(
  argv: string[],
  env: Record<string, string>,
  size = { columns: 80, rows: 24 },
): TmuxWeft {
  const session = `weft-test-${process.pid}-${++sessions}`;
  const vars = Object.entries({ ...env, TERM: "xterm-256color", LANG: "C.UTF-8" })
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  tmux(
    "new-session",
    "-d",
    "-s",
    session,
    "-x",
    String(size.columns),
    "-y",
    String(size.rows),
    `env -u CI ${vars} ${process.execPath} ${bin} ${argv.join(" ")}; sleep 30`,
  );
  const screen = () => tmux("capture-pane", "-p", "-t", session);
  return {
    screen,
    printed: () => tmux("capture-pane", "-p", "-J", "-t", session),
    async until(text, timeout = 15_000) {
      const start = Date.now();
      for (;;) {
        const shown = screen();
        const holds =
          typeof text === "string"
            ? shown.includes(text)
            : typeof text === "function"
              ? text(shown)
              : text.test(shown);
        if (holds) return shown;
        if (Date.now() - start > timeout)
          throw new Error(`timed out waiting for ${String(text)}; the screen:\n${shown}`);
        await sleep(100);
      }
    },
    async keys(...keys) {
      for (const key of keys) {
        tmux("send-keys", "-t", session, key);
        await sleep(150);
      }
    },
    type(text) {
      tmux("send-keys", "-t", session, "-l", text);
    },
    kill() {
      spawnSync("tmux", ["kill-session", "-t", session]);
    },
  };
}
