/**
 * Driving the rendered app (ink-testing-library) the way a person does: keys, pastes, and
 * waiting for what the frame shows.
 */
import { resolve } from "node:path";
import { render } from "ink-testing-library";
import { type Keymap, loadKeymap, loadTheme } from "../../src/config/index.js";
import { type AppProps, WeftApp } from "../../src/tui/app.js";
import { createLook } from "../../src/tui/theme.js";

const root = resolve(import.meta.dirname, "../..");
const mounted: { unmount(): void }[] = [];

/**
 * The whole app at a size (default keymap, no colour, the repository as working directory);
 * `unmountAll` in afterEach takes it down.
 */
/** The app on the default keymap unless `props.keymap` says otherwise. */
export function openWeft(
  props: Omit<AppProps, "keymap" | "look" | "cwd" | "width" | "height"> & { keymap?: Keymap },
  size: { width: number; height: number },
) {
  const app = render(
    <WeftApp
      look={createLook(loadTheme("no-color"), "unicode")}
      cwd={root}
      width={size.width}
      height={size.height}
      {...props}
      keymap={props.keymap ?? loadKeymap("default")}
    />,
  );
  mounted.push(app);
  return { ...drive(app), unmount: () => app.unmount() };
}

export function unmountAll(): void {
  for (const m of mounted.splice(0)) m.unmount();
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Rendered {
  lastFrame(): string | undefined;
  stdin: { write(data: string): void };
}

export function drive(app: Rendered) {
  const frame = () => app.lastFrame() ?? "";
  return {
    frame,
    /** Key sequences one at a time; a lone Esc is told apart from Alt+key by a 30 ms pause. */
    async press(...sequences: string[]) {
      for (const s of sequences) {
        app.stdin.write(s);
        await sleep(s === "\x1b" ? 60 : 30);
      }
    },
    /** Text in one chunk, as a paste or a burst of keys over SSH arrives. */
    async type(text: string) {
      app.stdin.write(text);
      await sleep(40);
    },
    /** Waits for the frame to contain `text` (or satisfy the check). */
    async until(check: string | RegExp | ((f: string) => boolean), timeout = 8000) {
      const ok =
        typeof check === "string"
          ? (f: string) => f.includes(check)
          : check instanceof RegExp
            ? (f: string) => check.test(f)
            : check;
      const start = Date.now();
      while (!ok(frame())) {
        if (Date.now() - start > timeout)
          throw new Error(`timed out waiting for ${String(check)}; frame:\n${frame()}`);
        await sleep(20);
      }
      return frame();
    },
  };
}
