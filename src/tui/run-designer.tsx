/**
 * Starting the designer on the real terminal: full screen (alternate screen, hidden cursor,
 * bracketed paste) restored on every way out, Ink drawing at the terminal's size as it
 * changes, and the layout worker stopped at the end.
 */
import { render } from "ink";
import type { DesignerSession } from "../app/designer/session.js";
import type { Keymap, Theme } from "../config/index.js";
import { type Start, WeftApp } from "./app.js";
import { createLayoutService } from "./canvas/layout-service.js";
import { enterFullScreen } from "./terminal.js";
import { createLook } from "./theme.js";
import { useTerminalSize } from "./use-terminal-size.js";

export interface DesignerOptions {
  session: DesignerSession;
  keymap: Keymap;
  theme: Theme;
  glyphs: "unicode" | "ascii";
  start: Start;
  cwd: string;
}

export async function runDesigner(options: DesignerOptions): Promise<void> {
  const restore = enterFullScreen(process.stdout);
  const layout = createLayoutService();
  const look = createLook(options.theme, options.glyphs);
  function Sized() {
    const size = useTerminalSize(process.stdout);
    return (
      <WeftApp
        session={options.session}
        keymap={options.keymap}
        look={look}
        layout={layout}
        start={options.start}
        cwd={options.cwd}
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
      // Ink 6.8's incremental mode draws each frame one row lower than the last when the frame
      // ends in a newline, as ours does (shorter than the screen, see above): changed lines pile
      // up under their old copies. Its rewind is `cursorUp(previousVisible - 1)`, one row short;
      // Ink 7 fixes it (vadimdemedes/ink#909) but needs Node 22. Seen in tmux 3.3 with a
      // five-line Ink app as with the designer; the frame's height is not the cause.
      incrementalRendering: false,
      maxFps: 60,
    });
    await instance.waitUntilExit();
  } finally {
    layout.close();
    restore();
  }
}
