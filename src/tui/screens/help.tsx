/**
 * Help, generated from the keymap for the context it was opened in (the canvas, the monitor, a
 * prompt...): that context's commands grouped, filtered as you type.
 */
import { Box, Text } from "ink";
import { useMemo } from "react";
import { initialHelpState, reduceHelp } from "../../app/help-screen.js";
import type { Context, Keymap } from "../../config/index.js";
import { filterHelp, helpSections } from "../input/index.js";
import { LAYER, useDispatcher, useKeyHandler } from "../key-router.js";
import { useLook } from "../theme.js";
import { useScreen } from "../use-screen.js";

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
  const screen = useScreen(reduceHelp, initialHelpState);
  const { query, scroll } = screen.state;
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
  screen.provide({ lineCount: lines.length, visible }, () => props.onClose());
  useKeyHandler((command, typed) => screen.dispatch({ type: "command", command, typed }), {
    layer: LAYER.overlay,
    context: "help",
  });
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
