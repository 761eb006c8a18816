/**
 * Routing keys: the one raw reader (`useRawKeys`) turns bytes into key presses, the keymap turns
 * them into `Command`s, and only the top-most handler (the open dialog, else the screen) gets
 * them. Screens handle commands; text prompts also see the press itself.
 */
import { createContext, type ReactNode, useContext, useLayoutEffect, useMemo, useRef } from "react";
import type { Command, Keymap } from "../config/index.js";
import { createDispatcher, type Dispatcher, type KeyPress, useRawKeys } from "./input/index.js";

export type KeyHandler = (command: Command | undefined, press: KeyPress) => void;

/** Higher layers win: an overlay (help) over a dialog over a screen. */
export const LAYER = { screen: 0, dialog: 1, overlay: 2 } as const;

interface Entry {
  handler: KeyHandler;
  layer: number;
}

interface Router {
  dispatcher: Dispatcher;
  push(entry: Entry): void;
  remove(entry: Entry): void;
}

const RouterContext = createContext<Router | null>(null);

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
    }),
    [keymap],
  );
  useRawKeys((press) => stack.current.at(-1)?.handler(router.dispatcher.commandFor(press), press));
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

/** Receives keys while mounted and `active`, unless a higher layer takes them. */
export function useKeyHandler(
  handler: KeyHandler,
  options: { active?: boolean; layer?: number } = {},
): void {
  const router = useRouter();
  const latest = useRef(handler);
  latest.current = handler;
  const active = options.active ?? true;
  const layer = options.layer ?? LAYER.screen;
  // A layout effect: registered in the same commit that draws the component, so a key that
  // arrives once the frame is on screen reaches it.
  useLayoutEffect(() => {
    if (!active) return;
    const entry: Entry = { layer, handler: (command, press) => latest.current(command, press) };
    router.push(entry);
    return () => router.remove(entry);
  }, [router, active, layer]);
}
