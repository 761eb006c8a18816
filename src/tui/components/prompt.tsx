/**
 * A one-line text prompt with a live check: the reason appears under the input as it is typed,
 * or else the hint, either wrapped to the width in at most two lines (PROMPT_LINES in all).
 * It takes its keys from the one key router, so keys that arrive together in one read (a paste,
 * a burst over SSH) are applied in order to the latest text, never to a stale copy.
 */
import { Box, Text } from "ink";
import { useRef, useState } from "react";
import { editField, type Field } from "../../app/editor/text-field.js";
import { LAYER, useDispatcher, useKeyHandler } from "../key-router.js";
import { useLook } from "../theme.js";
import { wrappedAtMost } from "./wrap-lines.js";

/** The lines a prompt may take: its text, then two for the hint or the reason. */
export const PROMPT_LINES = 3;

export function Prompt(props: {
  label: string;
  /** The screen's width: the hint and the reason wrap to it. */
  width: number;
  initial?: string;
  hint?: string;
  check?: (text: string) => string | undefined;
  onSubmit: (text: string) => void;
  onCancel: () => void;
}) {
  const look = useLook();
  const dispatcher = useDispatcher();
  const initial = props.initial ?? "";
  const field = useRef<Field>({ text: initial, cursor: initial.length });
  const [, redraw] = useState(0);
  useKeyHandler(
    (command, typed) => {
      if (command === "back") return props.onCancel();
      if (command === "submit") {
        if (!props.check?.(field.current.text)) props.onSubmit(field.current.text);
        return;
      }
      const next = editField(field.current, command, typed);
      if (!next) return;
      field.current = next;
      redraw((n) => n + 1);
    },
    { layer: LAYER.dialog, context: "text" },
  );
  const { text, cursor } = field.current;
  const problem = props.check?.(text);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-start">
        <Text bold>{props.label}: </Text>
        {text.slice(0, cursor)}
        <Text inverse>{text[cursor] ?? " "}</Text>
        {text.slice(cursor + 1)}
      </Text>
      {wrappedAtMost(
        problem
          ? `${look.glyphs === "ascii" ? "x" : "✗"} ${problem}`
          : (props.hint ?? dispatcher.footer(["submit", "back"], props.width, "text")),
        props.width,
        PROMPT_LINES - 1,
      ).map((line, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of one message, by position
          key={i}
          color={look.colour(problem ? "finding.error" : "text.secondary")}
          wrap="truncate"
        >
          {line}
        </Text>
      ))}
    </Box>
  );
}
