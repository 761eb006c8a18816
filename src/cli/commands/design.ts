/**
 * `weft design [WORKFLOW|FILE]`: the designer in the terminal, on the store (the embedded Redis
 * unless REDIS_URL is set). Without an argument it opens the workflow list.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { openSessions } from "../../app/sessions.js";
import { ConfigError, loadTheme, loadUserKeymap, themeName } from "../../config/index.js";
import type { Start } from "../../tui/app.js";
import { glyphsFor } from "../../tui/theme.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { withLiveStore } from "../store-session.js";

export async function designCommand(
  target: string | undefined,
  options: { theme?: string; keymap?: string; ascii?: boolean; start?: Start },
  io: CliIo,
): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY)
    throw new CliError(
      "weft design needs a terminal (stdin and stdout a TTY); in scripts use weft validate, import, export and run",
      EXIT.usage,
    );
  let keymap: ReturnType<typeof loadUserKeymap>;
  let theme: ReturnType<typeof loadTheme>;
  try {
    keymap = loadUserKeymap(io.env, options.keymap ?? io.env.WEFT_KEYMAP);
    theme = loadTheme(themeName(io.env, options.theme));
  } catch (cause) {
    if (cause instanceof ConfigError) throw new CliError(cause.message, EXIT.usage);
    throw cause;
  }
  const start: Start =
    options.start ??
    (target === undefined
      ? { type: "list" }
      : existsSync(resolve(io.cwd, target)) && statSync(resolve(io.cwd, target)).isFile()
        ? { type: "file", path: target }
        : { type: "workflow", ref: target });
  // The TUI lives on through a Redis restart: it says so in its status line and waits.
  return withLiveStore(io, async ({ connection, keys, actor, registry, engine }) => {
    const { designer: session, runs } = openSessions({
      redis: connection.redis,
      keys,
      actor,
      registry,
      engine,
    });
    // Ink draws nothing until exit when it believes it runs in CI (the `CI` variable, read
    // when Ink loads). This is an interactive terminal, whatever the environment says.
    delete process.env.CI;
    // A TUI allocates small, short-lived frames: a young generation of 2 MB semi-spaces (V8's
    // default grows to 16 MB each) keeps the resident size about 30 MB lower at no visible cost.
    setFlagsFromString("--max-semi-space-size=2");
    const { runDesigner } = await import("../../tui/run-designer.js");
    if (start.type === "run") await engine.status(start.id);
    await runDesigner({
      session,
      runs,
      keymap,
      theme,
      glyphs: options.ascii ? "ascii" : glyphsFor(io.env),
      start,
      cwd: io.cwd,
      redis: connection,
    });
    return EXIT.ok;
  });
}
