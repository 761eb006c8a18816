/**
 * A one-line text prompt with a live check: the reason appears under the input as it is typed.
 * It takes its keys from the one key router, so keys that arrive together in one read (a paste,
 * a burst over SSH) are applied in order to the latest text, never to a stale copy.
 */
import { Box, Text } from "ink";
import { useRef, useState } from "react";
import { LAYER, useKeyHandler } from "../key-router.js";
import { useLook } from "../theme.js";

interface Field {
  text: string;
  cursor: number;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/** Where the word before `cursor` starts (blanks and punctuation before it skipped). */
function wordStart(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && !isWordChar(text[i - 1])) i--;
  while (i > 0 && isWordChar(text[i - 1])) i--;
  return i;
}

/** Where the word at or after `cursor` ends. */
function wordEnd(text: string, cursor: number): number {
  let i = cursor;
  while (i < text.length && !isWordChar(text[i])) i++;
  while (i < text.length && isWordChar(text[i])) i++;
  return i;
}

/** One key applied to the field, or undefined when the key is not for text editing. */
export function editField(
  field: Field,
  press: { name: string; ctrl: boolean; meta: boolean; text?: string },
): Field | undefined {
  const { text, cursor } = field;
  if (press.name === "paste" || (press.text !== undefined && !press.ctrl && !press.meta)) {
    const insert = (press.text ?? "").replace(/[\r\n]+/g, " ");
    return {
      text: text.slice(0, cursor) + insert + text.slice(cursor),
      cursor: cursor + insert.length,
    };
  }
  if (press.name === "backspace")
    return cursor === 0
      ? field
      : { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
  if (press.name === "delete")
    return { text: text.slice(0, cursor) + text.slice(cursor + 1), cursor };
  if (press.name === "left") return { text, cursor: Math.max(0, cursor - 1) };
  if (press.name === "right") return { text, cursor: Math.min(text.length, cursor + 1) };
  if (press.name === "home" || (press.ctrl && press.name === "a")) return { text, cursor: 0 };
  if (press.name === "end" || (press.ctrl && press.name === "e"))
    return { text, cursor: text.length };
  if (press.ctrl && press.name === "u") return { text: text.slice(cursor), cursor: 0 };
  // Words, as in readline: ctrl+w deletes the word before the cursor, alt+b / alt+f move by one.
  if (press.ctrl && press.name === "w") {
    const start = wordStart(text, cursor);
    return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
  }
  if (press.meta && press.name === "b") return { text, cursor: wordStart(text, cursor) };
  if (press.meta && press.name === "f") return { text, cursor: wordEnd(text, cursor) };
  if (press.ctrl && press.name === "k") return { text: text.slice(0, cursor), cursor };
  return undefined;
}

export function Prompt(props: {
  label: string;
  initial?: string;
  hint?: string;
  check?: (text: string) => string | undefined;
  onSubmit: (text: string) => void;
  onCancel: () => void;
}) {
  const look = useLook();
  const initial = props.initial ?? "";
  const field = useRef<Field>({ text: initial, cursor: initial.length });
  const [, redraw] = useState(0);
  useKeyHandler(
    (_command, press) => {
      if (press.name === "escape") return props.onCancel();
      if (press.name === "return") {
        if (!props.check?.(field.current.text)) props.onSubmit(field.current.text);
        return;
      }
      const next = editField(field.current, press);
      if (!next) return;
      field.current = next;
      redraw((n) => n + 1);
    },
    { layer: LAYER.dialog },
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
      {problem ? (
        <Text color={look.colour("finding.error")} wrap="truncate">
          {look.glyphs === "ascii" ? "x" : "✗"} {problem}
        </Text>
      ) : (
        <Text color={look.colour("text.secondary")} wrap="truncate">
          {props.hint ?? "Enter to confirm · Esc to cancel"}
        </Text>
      )}
    </Box>
  );
}
