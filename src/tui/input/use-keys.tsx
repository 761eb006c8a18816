/**
 * The one raw key reader. Ink's `useInput` cannot see F-keys or Insert (it hands over an
 * empty string and no flag), so weft listens to what Ink reads from stdin and parses it with
 * its own key parser.
 *
 * Ink (6.8) reads stdin itself once any component turns raw mode on, splits what it reads into
 * pieces (a run of text, or one escape sequence) and emits each piece as an `input` event on
 * the `internal_eventEmitter` it shares through `useStdin()`; `useInput` listens there too, and
 * so does ink-testing-library's `stdin.write`. The pieces put together are exactly the bytes
 * read, so re-parsing them loses nothing.
 *
 * Ctrl+C: Ink exits the app on `\x03` unless told not to, and still emits the key after
 * exiting. Render with `render(<App />, { exitOnCtrlC: false })` so that ctrl+c reaches the
 * keymap (bound to `quit`, which asks about unsaved changes) and nothing else acts on it.
 */
import { useStdin } from "ink";
import { useEffect, useRef } from "react";
import { createKeyParser } from "./key-parser.js";
import type { KeyPress } from "./key-press.js";

/**
 * How long an ESC waits for the rest of a sequence before it counts as the Escape key. Ink
 * gives up on a pending ESC after one turn of the event loop (setImmediate) and emits it
 * alone; the parser keeps it, so a sequence whose halves arrive a few milliseconds apart (a
 * slow SSH link) is still one key.
 */
export const ESCAPE_TIMEOUT_MS = 30;

export type KeysOptions = { isActive?: boolean };

export function useRawKeys(onKey: (press: KeyPress) => void, options: KeysOptions = {}): void {
  const { setRawMode, isRawModeSupported, internal_eventEmitter: inkInput } = useStdin();
  const isActive = options.isActive !== false;
  // The latest handler, so a new closure each render does not resubscribe (and drop a
  // half-read sequence).
  const handler = useRef(onKey);
  useEffect(() => {
    handler.current = onKey;
  });

  useEffect(() => {
    // Without raw mode (stdin is not a terminal) Ink reads nothing; asking throws.
    if (!isActive || !isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [isActive, isRawModeSupported, setRawMode]);

  useEffect(() => {
    if (!isActive) return;
    const parser = createKeyParser();
    let escapeTimer: NodeJS.Timeout | undefined;
    const deliver = (keys: KeyPress[]) => {
      for (const key of keys) handler.current(key);
    };
    const onInput = (chunk: string) => {
      clearTimeout(escapeTimer);
      deliver(parser.feed(chunk));
      if (parser.hasPending())
        escapeTimer = setTimeout(() => deliver(parser.flush()), ESCAPE_TIMEOUT_MS);
    };
    inkInput.on("input", onInput);
    return () => {
      inkInput.off("input", onInput);
      clearTimeout(escapeTimer);
    };
  }, [isActive, inkInput]);
}
