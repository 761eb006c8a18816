/**
 * A line of text being edited: the keys of the `text` context (by word, to either end, delete,
 * kill) applied to the text and its cursor, as the prompts and the designer's inline edit share.
 */
import type { Command } from "../../config/index.js";

export interface Field {
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

/**
 * A key of the `text` context applied to the field: the command the keymap gives it, or the
 * text it types. Undefined when it is not for text editing (Enter and Esc are the prompt's).
 */
export function editField(
  field: Field,
  command: Command | undefined,
  typed?: string,
): Field | undefined {
  const { text, cursor } = field;
  if (typed !== undefined)
    return {
      text: text.slice(0, cursor) + typed + text.slice(cursor),
      cursor: cursor + typed.length,
    };
  switch (command) {
    case "deleteBack":
      return cursor === 0
        ? field
        : { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
    case "deleteForward":
      return { text: text.slice(0, cursor) + text.slice(cursor + 1), cursor };
    case "cursorLeft":
      return { text, cursor: Math.max(0, cursor - 1) };
    case "cursorRight":
      return { text, cursor: Math.min(text.length, cursor + 1) };
    case "lineStart":
      return { text, cursor: 0 };
    case "lineEnd":
      return { text, cursor: text.length };
    case "clearLine":
      return { text: text.slice(cursor), cursor: 0 };
    // Words, as in readline: ctrl+w deletes the word before the cursor, alt+b / alt+f move by one.
    case "deleteWord": {
      const start = wordStart(text, cursor);
      return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
    }
    case "wordLeft":
      return { text, cursor: wordStart(text, cursor) };
    case "wordRight":
      return { text, cursor: wordEnd(text, cursor) };
    case "killLine":
      return { text: text.slice(0, cursor), cursor };
    default:
      return undefined;
  }
}
