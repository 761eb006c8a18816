/**
 * A question's choices on one line, the current one in reverse video, and on the next the keys
 * that answer it, wrapped to the width (CHOICE_LINES in all).
 */
import { Box, Text } from "ink";
import { useLook } from "../theme.js";
import { wrappedAtMost } from "./wrap-lines.js";

/** The lines a choice line takes: the choices, then the hint. */
export const CHOICE_LINES = 2;

export function ChoiceLine(props: {
  label: string;
  choices: readonly string[];
  cursor: number;
  hint: string;
  width: number;
}) {
  const look = useLook();
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        {props.label}:{" "}
        {props.choices.map((c, i) => (
          <Text key={c} inverse={i === props.cursor}>
            {` ${c} `}
          </Text>
        ))}
      </Text>
      <Text color={look.colour("text.secondary")} wrap="truncate">
        {wrappedAtMost(props.hint, props.width, 1)[0]}
      </Text>
    </Box>
  );
}
