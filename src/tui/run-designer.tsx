/**
 * Starting the designer on the real terminal: full screen (alternate screen, hidden cursor,
 * bracketed paste) restored on every way out, Ink drawing at the terminal's size as it
 * changes, and the layout worker stopped at the end.
 */
import { appendFileSync } from "node:fs";
import { hostname } from "node:os";
import { render } from "ink";
import type { DesignerSession } from "../app/designer/session.js";
import type { RunSession } from "../app/runs/run-session.js";
import type { Keymap, Theme } from "../config/index.js";
import { type AppProps, type Start, WeftApp } from "./app.js";
import { asciiOnly } from "./ascii-output.js";
import { createLayoutService } from "./canvas/layout-service.js";
import { createFrameWriter } from "./frame-writer.js";
import type { RedisLink } from "./redis-notice.js";
import { enterFullScreen } from "./terminal.js";
import { createLook } from "./theme.js";
import { useTerminalSize } from "./use-terminal-size.js";

export interface DesignerOptions {
  session: DesignerSession;
  runs?: RunSession;
  keymap: Keymap;
  theme: Theme;
  glyphs: "unicode" | "ascii";
  start: Start;
  cwd: string;
  redis?: RedisLink;
}

/**
 * WEFT_FRAME_LOG=FILE (for `npm run bench -- monitor`): a line per write to the terminal
 * (`w <ms> <bytes>`) and per node change shown (`lag <ms>`, from its transition in Redis to the
 * frame showing it).
 */
function frameLog(file: string | undefined): AppProps["onShown"] {
  if (!file) return undefined;
  let lastWrite = 0;
  const waiting: number[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    lastWrite = Date.now();
    const lags = waiting.splice(0).map((t) => `lag ${lastWrite - t}\n`);
    appendFileSync(file, `w ${lastWrite} ${Buffer.byteLength(chunk)}\n${lags.join("")}`);
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  return (times) => {
    const now = Date.now();
    // Ink writes a frame as its commit ends, so a change shown in a commit that wrote within the
    // last 2 ms is on screen now; one held back by Ink's frame limit waits for the next write.
    if (now - lastWrite <= 2) appendFileSync(file, times.map((t) => `lag ${now - t}\n`).join(""));
    else waiting.push(...times);
  };
}

export async function runDesigner(options: DesignerOptions): Promise<void> {
  const onShown = frameLog(process.env.WEFT_FRAME_LOG);
  // A hang-up (a dropped SSH link) or SIGTERM writes the unsaved edits and hands the runs this
  // terminal drives back to the queue before the process ends: no node stays held by it.
  const restore = enterFullScreen(process.stdout, process, () =>
    Promise.all([options.session.flushDrafts(hostname()), options.runs?.close()]),
  );
  const layout = createLayoutService();
  const look = createLook(options.theme, options.glyphs);
  const unAscii = options.glyphs === "ascii" ? asciiOnly(process.stdout) : () => undefined;
  function Sized() {
    const size = useTerminalSize(process.stdout);
    return (
      <WeftApp
        session={options.session}
        runs={options.runs}
        onShown={onShown}
        keymap={options.keymap}
        look={look}
        layout={layout}
        start={options.start}
        cwd={options.cwd}
        redis={options.redis}
        width={size.columns}
        // One row short of the screen: a frame as tall as the terminal makes Ink clear and
        // redraw everything on each change instead of rewriting the lines that changed.
        height={Math.max(10, size.rows - 1)}
      />
    );
  }
  try {
    const instance = render(<Sized />, {
      exitOnCtrlC: false,
      patchConsole: true,
      // Each frame goes out as the cells that changed (frame-writer.ts), not as Ink's rewrite of
      // every line; Ink 6.8's own incremental mode is not used, it draws each frame one row lower
      // than the last when the frame ends in a newline (fixed in Ink 7, which needs Node 22).
      createLog: process.stdout.isTTY ? (stdout) => createFrameWriter(stdout) : undefined,
      maxFps: 60,
    });
    await instance.waitUntilExit();
  } finally {
    await options.runs?.close();
    layout.close();
    restore();
    unAscii();
  }
}
