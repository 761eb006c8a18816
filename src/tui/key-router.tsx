/**
 * Routing keys: the one raw reader (`useRawKeys`) turns bytes into key presses, the keymap turns
 * them into `Command`s in the context of the top-most handler (the open dialog, else the screen),
 * and only that handler gets them. Handlers never see the key itself, so every key the app
 * answers is one a keymap binds; a typing context (a text field, a filter) also gets the text a
 * printable key or a paste types.
 */
import { createContext, type ReactNode, useContext, useLayoutEffect, useMemo, useRef } from "react";
import { type Command, type Context, type Keymap, TYPING_CONTEXTS } from "../config/index.js";
import {
  createDispatcher,
  type Dispatcher,
  type KeyPress,
  keyLabel,
  useRawKeys,
} from "./input/index.js";

/** `command`: what the key means in the handler's context; `typed`: the text it types there. */
export type KeyHandler = (command: Command | undefined, typed?: string) => void;

/** Higher layers win: an overlay (help) over a dialog over a screen. */
export const LAYER = { screen: 0, dialog: 1, overlay: 2 } as const;

interface Entry {
  handler: KeyHandler;
  layer: number;
  context(): Context;
}

interface Router {
  dispatcher: Dispatcher;
  push(entry: Entry): void;
  remove(entry: Entry): void;
  /** The context of the handler that has the keys now. */
  activeContext(): Context | undefined;
}

const RouterContext = createContext<Router | null>(null);

/**
 * The text a press types, where typing is text: a printable character or a paste. Every typing
 * context is one line (a prompt, a filter, the help search), so a pasted line break is a space.
 */
function typedText(press: KeyPress): string | undefined {
  const text = press.name === "paste" || (!press.ctrl && !press.meta) ? press.text : undefined;
  return text?.replace(/[\r\n]+/g, " ");
}

export function KeyRouter({ keymap, children }: { keymap: Keymap; children: ReactNode }) {
  const stack = useRef<Entry[]>([]);
  const router = useMemo<Router>(
    () => ({
      dispatcher: createDispatcher(keymap),
      push: (entry) => {
        // Stable: among equal layers the one registered last is on top.
        stack.current = [...stack.current, entry].sort((a, b) => a.layer - b.layer);
      },
      remove: (entry) => {
        stack.current = stack.current.filter((x) => x !== entry);
      },
      activeContext: () => stack.current.at(-1)?.context(),
    }),
    [keymap],
  );
  useRawKeys((press) => {
    const top = stack.current.at(-1);
    if (!top) return;
    const context = top.context();
    const command = router.dispatcher.commandFor(press, context);
    const typed = !command && TYPING_CONTEXTS.has(context) ? typedText(press) : undefined;
    top.handler(command, typed);
  });
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error("key handlers need a KeyRouter above them");
  return router;
}

export function useDispatcher(): Dispatcher {
  return useRouter().dispatcher;
}

/** The context that has the keys now (read it when help opens, to list that context's keys). */
export function useActiveContext(): () => Context | undefined {
  return useRouter().activeContext;
}

/**
 * Receives keys while mounted and `active`, unless a higher layer takes them, read in `context`
 * (a function when the context follows the handler's state: the designer's focus and mode).
 */
export function useKeyHandler(
  handler: KeyHandler,
  options: { context: Context | (() => Context); active?: boolean; layer?: number },
): void {
  const router = useRouter();
  const latest = useRef({ handler, context: options.context });
  latest.current = { handler, context: options.context };
  const active = options.active ?? true;
  const layer = options.layer ?? LAYER.screen;
  // A layout effect: registered in the same commit that draws the component, so a key that
  // arrives once the frame is on screen reaches it.
  useLayoutEffect(() => {
    if (!active) return;
    const entry: Entry = {
      layer,
      handler: (command, typed) => latest.current.handler(command, typed),
      context: () => {
        const { context } = latest.current;
        return typeof context === "function" ? context() : context;
      },
    };
    router.push(entry);
    return () => router.remove(entry);
  }, [router, active, layer]);
}

/**
 * How a hint names a key: `keyOf("save", "canvas")` is the first key bound to `save` there
 * (`F10`), so a message says the keys that do what it says, whatever the keymap.
 */
export function useKeyOf(): (command: Command, context: Context) => string {
  const dispatcher = useDispatcher();
  return (command, context) => {
    const key = dispatcher.keysFor(command, context)[0];
    return key ? keyLabel(key) : `(${command}: no key)`;
  };
}

/** How a prompt names its choices: `key("yes")` is the first key bound to `yes` in `context`. */
export function useChoiceKeys(context: Context): (command: Command) => string {
  const keyOf = useKeyOf();
  return (command) => keyOf(command, context);
}
