/** Help, generated from the keymap: every command grouped, filtered as you type. */
import { Box, Text } from "ink";
import { useMemo, useState } from "react";
import type { Keymap } from "../../config/index.js";
import { filterHelp, type HelpSection, helpSections } from "../input/index.js";
import { LAYER, useKeyHandler } from "../key-router.js";
import { answers, SCREEN_MEANINGS, type ScreenName } from "../screen-commands.js";
import { useLook } from "../theme.js";

/**
 * The screen's own words for commands that mean something else there, in a group of the
 * screen's own (first, as what the screen is for).
 */
function meantOn(screen: ScreenName, sections: readonly HelpSection[]): HelpSection[] {
  const meanings = SCREEN_MEANINGS[screen];
  if (!meanings) return [...sections];
  const own: HelpSection = { group: meanings.group, rows: [] };
  const rest = sections.map((s) => ({
    group: s.group,
    rows: s.rows.filter((r) => {
      const meant = meanings.commands[r.command];
      if (meant) own.rows.push({ ...r, description: meant.description });
      return !meant;
    }),
  }));
  return [own, ...rest].filter((s) => s.rows.length > 0);
}

export function Help(props: {
  keymap: Keymap;
  width: number;
  height: number;
  onClose(): void;
  /** Why a command is unavailable to the connected role, shown beside it. */
  unavailable?: (command: string) => string | undefined;
  /** The screen help was opened on: only the keys it answers are listed. */
  screen?: ScreenName;
}) {
  const look = useLook();
  const [query, setQuery] = useState("");
  const [scroll, setScroll] = useState(0);
  const sections = useMemo(() => {
    // On the list, printable characters filter it: only the other keys are commands there.
    const all = helpSections(props.keymap, { typing: props.screen === "list" })
      .map((s) => ({
        ...s,
        rows: s.rows.filter((r) => !props.screen || answers(props.screen, r.command)),
      }))
      .filter((s) => s.rows.length > 0);
    return filterHelp(props.screen ? meantOn(props.screen, all) : all, query);
  }, [props.keymap, props.screen, query]);
  const lines = sections.flatMap((s) => [
    { text: s.group, heading: true },
    ...s.rows.flatMap((r) => {
      const refused = props.unavailable?.(r.command);
      const row = { text: `  ${r.keys.padEnd(18)} ${r.description}`, heading: false };
      // On a line of its own, so a narrow terminal still shows the reason whole.
      return refused ? [row, { text: `    unavailable: ${refused}`, heading: false }] : [row];
    }),
  ]);
  const visible = Math.max(1, props.height - 4);
  useKeyHandler(
    (command, press) => {
      if (press.name === "escape" || (command === "help" && press.name !== "?"))
        return props.onClose();
      if (press.name === "down")
        return setScroll((s) => Math.min(s + 1, Math.max(0, lines.length - visible)));
      if (press.name === "up") return setScroll((s) => Math.max(0, s - 1));
      if (press.name === "backspace") return setQuery((q) => q.slice(0, -1));
      if (press.ctrl && press.name === "u") {
        setScroll(0);
        return setQuery("");
      }
      if (!press.ctrl && !press.meta && [...press.name].length === 1) {
        setQuery((q) => q + press.name);
        setScroll(0);
      }
    },
    { layer: LAYER.overlay },
  );
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold color={look.colour("text.accent")}>
        weft · help{props.screen ? ` · ${props.screen}` : ""} — keys from the {props.keymap.name}{" "}
        keymap
      </Text>
      <Text>
        <Text color={look.colour("text.secondary")}>search › </Text>
        {query}
        <Text inverse> </Text>
      </Text>
      <Box flexDirection="column" height={visible}>
        {lines.length === 0 ? <Text>No key matches “{query}”.</Text> : null}
        {lines.slice(scroll, scroll + visible).map((l, i) => (
          <Text
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of the generated help, by position
            key={scroll + i}
            bold={l.heading}
            color={l.heading ? look.colour("text.accent") : undefined}
            wrap="truncate"
          >
            {l.text}
          </Text>
        ))}
      </Box>
      <Text color={look.colour("ui.footer")}>type to search · ↑↓ scroll · Esc or F1 closes</Text>
    </Box>
  );
}
