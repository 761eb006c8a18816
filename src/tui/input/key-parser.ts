/**
 * Raw terminal input → key presses. Stateful only so that a sequence split across chunks
 * (`\x1b[2` then `1~`) and a bracketed paste split across many chunks still come out whole.
 * Time is not its business: whoever feeds it calls `flush()` when a pending ESC has waited
 * long enough to be the Escape key itself (see use-keys.tsx); that flush is also what keeps
 * an unfinished sequence from being held forever.
 */
import {
  decodeCsi,
  decodeLinuxConsole,
  decodeSs3,
  PASTE_END,
  PASTE_START,
} from "./escape-sequences.js";
import { type KeyPress, keyPress } from "./key-press.js";

export type { KeyPress } from "./key-press.js";

export type KeyParser = {
  feed(chunk: string): KeyPress[];
  /** Resolve whatever is pending (a lone ESC becomes `escape`); an open paste stays open. */
  flush(): KeyPress[];
  /** Something is held back waiting for more input, and `flush()` would resolve it. */
  hasPending(): boolean;
};

const ESC = "\x1b";
/** No grapheme a person types is longer; bounds the segmenter's work on long runs of text. */
const LONGEST_GRAPHEME = 64;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

type Read = { key: KeyPress; length: number } | "pending";

const pressOf = (key: KeyPress, length: number): Read => ({ key, length });

function control(code: number, sequence: string): KeyPress | undefined {
  if (sequence === "\r" || sequence === "\n") return keyPress("return", sequence);
  if (sequence === "\t") return keyPress("tab", sequence);
  if (sequence === "\x7f" || sequence === "\b") return keyPress("backspace", sequence);
  if (code === 0) return keyPress("space", sequence, { ctrl: true }); // ctrl+space, ctrl+@
  if (code <= 26) return keyPress(String.fromCharCode(code + 96), sequence, { ctrl: true });
  // ctrl+\ ctrl+] ctrl+^ ctrl+_
  if (code >= 28 && code <= 31) return keyPress("\\]^_"[code - 28]!, sequence, { ctrl: true });
  if (code >= 0x80 && code <= 0x9f) return keyPress("unknown", sequence); // 8-bit C1 controls
  return undefined;
}

/** One key that does not start with ESC: a control character or one grapheme. */
function readPlain(input: string, from: number, final: boolean): Read {
  const code = input.charCodeAt(from);
  const controlKey = control(code, input[from]!);
  if (controlKey) return pressOf(controlKey, 1);
  if (input[from] === " ") return pressOf(keyPress("space", " ", {}, " "), 1);
  const isHighSurrogate = code >= 0xd800 && code <= 0xdbff;
  if (isHighSurrogate && from + 1 === input.length && !final) return "pending";
  let end = from + 1;
  while (end < input.length && end - from < LONGEST_GRAPHEME) {
    const next = input.charCodeAt(end);
    if (next < 0x20 || (next >= 0x7f && next <= 0x9f)) break;
    end++;
  }
  const first = graphemes.segment(input.slice(from, end))[Symbol.iterator]().next();
  const grapheme = first.done ? input[from]! : first.value.segment;
  return pressOf(keyPress(grapheme, grapheme, {}, grapheme), grapheme.length);
}

/** `ESC [ ...` (or the Linux console's `ESC [ [ ...`): find the final byte, then name the whole. */
function readCsi(input: string, final: boolean): Read {
  if (input.length === 2) return final ? meta(readPlain(input, 1, true), 1) : "pending";
  const linuxConsole = input[2] === "[";
  const bodyStart = linuxConsole ? 3 : 2;
  for (let index = bodyStart; index < input.length; index++) {
    const byte = input.charCodeAt(index);
    const isParameter = byte >= 0x30 && byte <= 0x3f;
    // `$` is an intermediate byte to ECMA-48 but ends rxvt's shifted keys (`ESC [ 2 $`).
    const isIntermediate = byte >= 0x20 && byte <= 0x2f && byte !== 0x24;
    if (isParameter || isIntermediate) continue;
    const sequence = input.slice(0, index + 1);
    const body = input.slice(bodyStart, index);
    const finalByte = input[index]!;
    if ((byte >= 0x40 && byte <= 0x7e) || byte === 0x24) {
      const key = linuxConsole
        ? decodeLinuxConsole(body, finalByte, sequence)
        : decodeCsi(body, finalByte, sequence);
      return pressOf(key, index + 1);
    }
    // Not a byte a sequence may hold: what came so far is one unknown key.
    return pressOf(keyPress("unknown", input.slice(0, index)), index);
  }
  return final ? pressOf(keyPress("unknown", input), input.length) : "pending";
}

/** `ESC O [digits] final`. */
function readSs3(input: string, final: boolean): Read {
  if (input.length === 2) return final ? meta(readPlain(input, 1, true), 1) : "pending";
  let index = 2;
  while (index < input.length && index < 4 && /\d/.test(input[index]!)) index++;
  if (index === input.length)
    return final ? pressOf(keyPress("unknown", input), input.length) : "pending";
  const byte = input.charCodeAt(index);
  if (byte < 0x40 || byte > 0x7e) return meta(readPlain(input, 1, final), 1); // alt+O, then more
  const sequence = input.slice(0, index + 1);
  return pressOf(decodeSs3(input.slice(2, index), input[index]!, sequence), index + 1);
}

/** The key read after an ESC prefix, with meta (alt) on. */
function meta(read: Read, prefix: number): Read {
  if (read === "pending") return read;
  const { key } = read;
  const sequence = ESC + key.sequence;
  const pressed = keyPress(key.name, sequence, { ctrl: key.ctrl, shift: key.shift, meta: true });
  return pressOf(pressed, read.length + prefix);
}

/** A sequence starting with ESC (input[0] is ESC). */
function readEscaped(input: string, final: boolean): Read {
  if (input.length === 1) return final ? pressOf(keyPress("escape", ESC), 1) : "pending";
  if (input[1] === "[") return readCsi(input, final);
  if (input[1] === "O") return readSs3(input, final);
  if (input[1] === ESC) {
    // `ESC ESC [ A` is meta+up (rxvt, PuTTY); otherwise the first ESC is the Escape key.
    if (input.length === 2 && !final) return "pending";
    if (input[2] === "[" || input[2] === "O") return meta(readEscaped(input.slice(1), final), 1);
    return pressOf(keyPress("escape", ESC), 1);
  }
  return meta(readPlain(input, 1, final), 1);
}

function read(input: string, final: boolean): Read {
  return input[0] === ESC ? readEscaped(input, final) : readPlain(input, 0, final);
}

/** Terminals send a pasted newline as CR; text fields want `\n`. */
const pasteKey = (text: string): KeyPress =>
  keyPress("paste", PASTE_START + text + PASTE_END, {}, text.replace(/\r\n?/g, "\n"));

/** How much of the end of `text` could be the start of `marker`. */
function partialMarkerLength(text: string, marker: string): number {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length--)
    if (text.endsWith(marker.slice(0, length))) return length;
  return 0;
}

export function createKeyParser(): KeyParser {
  let buffer = "";
  let paste: string | undefined;

  function drain(final: boolean): KeyPress[] {
    const keys: KeyPress[] = [];
    while (buffer.length > 0) {
      if (paste !== undefined) {
        const end = buffer.indexOf(PASTE_END);
        if (end === -1) {
          // A paste ends only at its marker: ending it early would type the rest as commands.
          const keep = partialMarkerLength(buffer, PASTE_END);
          paste += buffer.slice(0, buffer.length - keep);
          buffer = buffer.slice(buffer.length - keep);
          break;
        }
        keys.push(pasteKey(paste + buffer.slice(0, end)));
        paste = undefined;
        buffer = buffer.slice(end + PASTE_END.length);
        continue;
      }
      const next = read(buffer, final);
      if (next === "pending") break;
      buffer = buffer.slice(next.length);
      if (next.key.sequence === PASTE_START) paste = "";
      else if (next.key.sequence !== PASTE_END) keys.push(next.key);
    }
    return keys;
  }

  return {
    feed(chunk) {
      buffer += chunk;
      return drain(false);
    },
    flush: () => drain(true),
    hasPending: () => paste === undefined && buffer.length > 0,
  };
}
