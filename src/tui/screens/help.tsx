/**
 * Help, generated from the keymap for the context it was opened in (the canvas, the monitor, a
 * prompt...): that context's commands grouped, filtered as you type.
 */
import { Box, Text } from "ink";
import { useMemo, useState } from "react";
import type { Context, Keymap } from "../../config/index.js";
import { filterHelp, helpSections } from "../input/index.js";
import { LAYER, useDispatcher, useKeyHandler } from "../key-router.js";
import { useLook } from "../theme.js";

export function Help(props: {
  keymap: Keymap;
  width: number;
  height: number;
  onClose(): void;
  /** Why a command is unavailable to the connected role, shown beside it. */
  unavailable?: (command: string) => string | undefined;
  /** Where help was opened: only the keys of that context are listed. */
  context: Context;
}) {
  const look = useLook();
  const dispatcher = useDispatcher();
  const [query, setQuery] = useState("");
  const [scroll, setScroll] = useState(0);
  const sections = useMemo(
    () => filterHelp(helpSections(dispatcher.bindingsIn(props.context)), query),
    [dispatcher, props.context, query],
  );
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
    (command, typed) => {
      if (command === "back" || command === "help") return props.onClose();
      if (command === "moveDown")
        return setScroll((s) => Math.min(s + 1, Math.max(0, lines.length - visible)));
      if (command === "moveUp") return setScroll((s) => Math.max(0, s - 1));
      if (command === "pageDown")
        return setScroll((s) => Math.min(s + visible, Math.max(0, lines.length - visible)));
      if (command === "pageUp") return setScroll((s) => Math.max(0, s - visible));
      if (command === "deleteBack") return setQuery((q) => q.slice(0, -1));
      if (command === "clearLine") {
        setScroll(0);
        return setQuery("");
      }
      if (typed !== undefined) {
        setQuery((q) => q + typed);
        setScroll(0);
      }
    },
    { layer: LAYER.overlay, context: "help" },
  );
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold color={look.colour("text.accent")}>
        weft · help · {props.context} — keys from the {props.keymap.name} keymap
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
      <Text color={look.colour("ui.footer")} wrap="truncate">
        type to search ·{" "}
        {dispatcher.footer(["moveDown", "pageDown", "clearLine", "back"], props.width - 17, "help")}
      </Text>
    </Box>
  );
}
