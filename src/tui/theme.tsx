/**
 * The theme as React context: components ask for semantic tokens (`status.failed`,
 * `node.selected`), never raw colours. A token the theme leaves null draws without colour.
 */
import { createContext, useContext } from "react";
import type { Theme } from "../config/index.js";

export interface Look {
  theme: Theme;
  /** `node.task` -> the theme's colour for it, or undefined for none. */
  colour(token: string): string | undefined;
  glyphs: "unicode" | "ascii";
}

export function createLook(theme: Theme, glyphs: "unicode" | "ascii"): Look {
  const cache = new Map<string, string | undefined>();
  return {
    theme,
    glyphs,
    colour(token) {
      if (token === "") return undefined;
      if (cache.has(token)) return cache.get(token);
      const [group, name] = token.split(".");
      const table = (theme as unknown as Record<string, Record<string, string | null> | undefined>)[
        group ?? ""
      ];
      const value = table?.[name ?? ""] ?? undefined;
      cache.set(token, value ?? undefined);
      return value ?? undefined;
    },
  };
}

/** Unicode unless the locale says the terminal cannot show it (or WEFT_ASCII is set). */
export function glyphsFor(env: Record<string, string | undefined>): "unicode" | "ascii" {
  if (env.WEFT_ASCII) return "ascii";
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || "";
  if (locale === "" || /utf-?8/i.test(locale)) return "unicode";
  return "ascii";
}

export const LookContext = createContext<Look | null>(null);

export function useLook(): Look {
  const look = useContext(LookContext);
  if (!look) throw new Error("useLook outside a LookContext provider");
  return look;
}
