import { describe, expect, it } from "vitest";
import { createKeyParser, type KeyPress, keyName } from "../../../src/tui/input/index.js";

/** Feed each chunk in turn, then flush: the keymap names of every key that came out. */
function names(...chunks: string[]): string[] {
  const parser = createKeyParser();
  const keys: KeyPress[] = [];
  for (const chunk of chunks) keys.push(...parser.feed(chunk));
  keys.push(...parser.flush());
  return keys.map(keyName);
}

const one = (sequence: string): KeyPress => {
  const parser = createKeyParser();
  const keys = [...parser.feed(sequence), ...parser.flush()];
  expect(keys).toHaveLength(1);
  return keys[0]!;
};

// Byte sequences as the terminals send them (xterm ctlseqs, the VT220 manual, the Linux
// console's keymap, rxvt-unicode's doc/rxvt.7, tmux and screen's terminfo).
const F_KEYS: Record<string, string[]> = {
  "xterm SS3 (F1-F4) and CSI ~ (F5-F12), also VTE, iTerm2, alacritty, kitty, tmux": [
    "\x1bOP",
    "\x1bOQ",
    "\x1bOR",
    "\x1bOS",
    "\x1b[15~",
    "\x1b[17~",
    "\x1b[18~",
    "\x1b[19~",
    "\x1b[20~",
    "\x1b[21~",
    "\x1b[23~",
    "\x1b[24~",
  ],
  "VT220, rxvt, PuTTY, screen: CSI 11~ .. 24~ (no 16, no 22)": [
    "\x1b[11~",
    "\x1b[12~",
    "\x1b[13~",
    "\x1b[14~",
    "\x1b[15~",
    "\x1b[17~",
    "\x1b[18~",
    "\x1b[19~",
    "\x1b[20~",
    "\x1b[21~",
    "\x1b[23~",
    "\x1b[24~",
  ],
  "Linux console: ESC [ [ A .. E, then CSI ~": [
    "\x1b[[A",
    "\x1b[[B",
    "\x1b[[C",
    "\x1b[[D",
    "\x1b[[E",
    "\x1b[17~",
    "\x1b[18~",
    "\x1b[19~",
    "\x1b[20~",
    "\x1b[21~",
    "\x1b[23~",
    "\x1b[24~",
  ],
};

describe("function keys", () => {
  for (const [terminal, sequences] of Object.entries(F_KEYS)) {
    it(`reads F1-F12 as ${terminal}`, () => {
      expect(sequences.map((s) => keyName(one(s)))).toEqual(
        Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
      );
    });
  }

  it("reads VT100 PF1-PF4 (SS3) as F1-F4", () => {
    expect(["\x1bOP", "\x1bOQ", "\x1bOR", "\x1bOS"].map((s) => keyName(one(s)))).toEqual([
      "f1",
      "f2",
      "f3",
      "f4",
    ]);
  });

  it.each([
    ["\x1b[1;2P", "shift+f1"], // xterm
    ["\x1b[1;5Q", "ctrl+f2"],
    ["\x1b[1;3R", "meta+f3"],
    ["\x1b[1;6S", "ctrl+shift+f4"],
    ["\x1b[15;5~", "ctrl+f5"],
    ["\x1b[21;2~", "shift+f10"],
    ["\x1b[24;7~", "ctrl+meta+f12"],
    ["\x1bO2P", "shift+f1"], // old xterm, konsole
    ["\x1b[11^", "ctrl+f1"], // rxvt
    ["\x1b[21^", "ctrl+f10"],
    ["\x1b[23$", "shift+f11"],
    ["\x1b[24@", "ctrl+shift+f12"],
    ["\x1b[25~", "f13"], // VT220 F13; rxvt and the Linux console send it for shift+F3
    ["\x1b[34~", "f20"],
  ])("reads %j with modifiers as %s", (sequence, expected) => {
    expect(keyName(one(sequence))).toBe(expected);
  });

  it("gives F16 and F22's missing codes no key name", () => {
    expect(one("\x1b[16~").name).toBe("unknown");
    expect(one("\x1b[22~").name).toBe("unknown");
  });
});

describe("cursor and editing keys", () => {
  it.each([
    ["\x1b[A", "up"], // xterm normal mode, VT100, Linux console, screen
    ["\x1b[B", "down"],
    ["\x1b[C", "right"],
    ["\x1b[D", "left"],
    ["\x1bOA", "up"], // application mode: xterm, tmux, screen, VT100
    ["\x1bOB", "down"],
    ["\x1bOC", "right"],
    ["\x1bOD", "left"],
    ["\x1b[1;5A", "ctrl+up"],
    ["\x1b[1;2B", "shift+down"],
    ["\x1b[1;3C", "meta+right"],
    ["\x1b[1;9D", "meta+left"], // iTerm2's meta
    ["\x1b[a", "shift+up"], // rxvt
    ["\x1bOd", "ctrl+left"], // rxvt
    ["\x1b\x1b[A", "meta+up"], // rxvt, PuTTY: ESC-prefixed
    ["\x1b[H", "home"], // xterm
    ["\x1b[F", "end"],
    ["\x1bOH", "home"],
    ["\x1bOF", "end"],
    ["\x1b[1~", "home"], // VT220, tmux, screen, Linux console
    ["\x1b[4~", "end"],
    ["\x1b[7~", "home"], // rxvt
    ["\x1b[8~", "end"],
    ["\x1b[1;5H", "ctrl+home"],
    ["\x1b[7^", "ctrl+home"],
    ["\x1b[2~", "insert"],
    ["\x1b[2$", "shift+insert"],
    ["\x1b[3~", "delete"],
    ["\x1b[3;5~", "ctrl+delete"],
    ["\x1b[5~", "pageup"],
    ["\x1b[6~", "pagedown"],
    ["\x1b[6;2~", "shift+pagedown"],
    ["\x1b[Z", "shift+tab"],
    ["\t", "tab"],
    ["\r", "return"],
    ["\n", "return"],
    ["\x1bOM", "return"], // keypad Enter in application mode
    ["\x7f", "backspace"],
    ["\b", "backspace"],
    ["\x1b\x7f", "meta+backspace"],
    [" ", "space"],
    ["\x00", "ctrl+space"],
  ])("reads %j as %s", (sequence, expected) => {
    expect(keyName(one(sequence))).toBe(expected);
  });

  it("keeps shift+tab's shift flag on a key named tab", () => {
    expect(one("\x1b[Z")).toMatchObject({ name: "tab", shift: true, ctrl: false, meta: false });
  });
});

describe("characters, ctrl and meta", () => {
  it("names characters as themselves, an uppercase letter without shift", () => {
    expect(one("a")).toEqual({
      name: "a",
      ctrl: false,
      shift: false,
      meta: false,
      sequence: "a",
      text: "a",
    });
    expect(one("R")).toMatchObject({ name: "R", shift: false, text: "R" });
    expect(names("?", "+", "/", ":")).toEqual(["?", "+", "/", ":"]);
  });

  it("reads ctrl+letter from its control byte, but not tab, return or backspace", () => {
    expect(keyName(one("\x13"))).toBe("ctrl+s");
    expect(keyName(one("\x03"))).toBe("ctrl+c");
    expect(keyName(one("\x0c"))).toBe("ctrl+l");
    expect(keyName(one("\x01"))).toBe("ctrl+a");
    expect(keyName(one("\x1a"))).toBe("ctrl+z");
    expect(one("\x13")).toMatchObject({ name: "s", ctrl: true });
    expect(one("\x13").text).toBeUndefined();
  });

  it("reads alt as an ESC prefix (meta)", () => {
    expect(one("\x1bx")).toMatchObject({ name: "x", meta: true, sequence: "\x1bx" });
    expect(keyName(one("\x1bx"))).toBe("meta+x");
    expect(keyName(one("\x1bX"))).toBe("meta+X");
    expect(keyName(one("\x1b\x13"))).toBe("ctrl+meta+s");
    expect(keyName(one("\x1b\r"))).toBe("meta+return");
    expect(one("\x1bx").text).toBeUndefined();
  });

  it("reads kitty's CSI u and xterm's modifyOtherKeys", () => {
    expect(keyName(one("\x1b[115;5u"))).toBe("ctrl+s");
    expect(keyName(one("\x1b[114;2u"))).toBe("R");
    expect(keyName(one("\x1b[27;5;115~"))).toBe("ctrl+s");
    expect(keyName(one("\x1b[13;2u"))).toBe("shift+return");
  });

  it("reads several keys from one chunk", () => {
    expect(names("jjk")).toEqual(["j", "j", "k"]);
    expect(names("j\x1b[Bk\x1bOP\x13")).toEqual(["j", "down", "k", "f1", "ctrl+s"]);
    expect(names("\x1b[A\x1b[A\x1b[B")).toEqual(["up", "up", "down"]);
  });

  it("reads a UTF-8 character, even one of several code points, as one key", () => {
    expect(names("é")).toEqual(["é"]);
    expect(names("e\u0301")).toEqual(["e\u0301"]);
    expect(names("👍")).toEqual(["👍"]);
    expect(names("👍🏽x")).toEqual(["👍🏽", "x"]);
    expect(names("日本")).toEqual(["日", "本"]);
    expect(one("👨‍👩‍👧")).toMatchObject({ name: "👨‍👩‍👧", text: "👨‍👩‍👧" });
  });
});

describe("escape and split sequences", () => {
  it("holds a lone ESC until flushed, then it is the Escape key", () => {
    const parser = createKeyParser();
    expect(parser.feed("\x1b")).toEqual([]);
    expect(parser.hasPending()).toBe(true);
    expect(parser.flush().map(keyName)).toEqual(["escape"]);
    expect(parser.hasPending()).toBe(false);
  });

  it("reads two ESCs flushed together as two Escape presses", () => {
    expect(names("\x1b\x1b")).toEqual(["escape", "escape"]);
  });

  it("reads a sequence split across chunks as one key", () => {
    expect(names("\x1b", "[21~")).toEqual(["f10"]);
    expect(names("\x1b[", "2", "1", "~")).toEqual(["f10"]);
    expect(names("\x1bO", "P")).toEqual(["f1"]);
    expect(names("\x1b[1;", "5A")).toEqual(["ctrl+up"]);
    expect(names("j\x1b", "[[", "A", "k")).toEqual(["j", "f1", "k"]);
    expect(names("\ud83d", "\udc4d")).toEqual(["👍"]);
  });

  it("reads ESC followed by a key as meta, and flushed halves as what they are", () => {
    expect(names("\x1b[")).toEqual(["meta+["]);
    expect(names("\x1bO")).toEqual(["meta+O"]);
  });

  it("makes one unknown key of a sequence it does not know, never several garbage keys", () => {
    expect(names("\x1b[99~")).toEqual(["unknown"]);
    expect(names("\x1b[?1;2c")).toEqual(["unknown"]); // a device attributes reply
    expect(names("\x1b[1;2X", "j")).toEqual(["unknown", "j"]);
    expect(names("\x1b[1;5", "\x13")).toEqual(["unknown", "ctrl+s"]);
    expect(names("\x1b[1;")).toEqual(["unknown"]);
    expect(names("\x1b[[5~j")).toEqual(["unknown", "j"]);
    expect(names(`\x1b[${"1;".repeat(40)}`, "1;1")).toEqual(["unknown"]);
  });
});

describe("bracketed paste", () => {
  it("reads a paste as one key with its text, newlines as \\n", () => {
    const parser = createKeyParser();
    const keys = parser.feed("\x1b[200~hello\r\nq world\rj\x1b[201~k");
    expect(keys.map((k) => k.name)).toEqual(["paste", "k"]);
    expect(keys[0]).toMatchObject({ name: "paste", text: "hello\nq world\nj" });
  });

  it("reads a paste split across chunks, markers split too", () => {
    const parser = createKeyParser();
    const chunks = ["x\x1b[20", "0~abc", "\x1b", "[A is text", "\x1b[20", "1", "~y"];
    const keys = chunks.flatMap((chunk) => parser.feed(chunk));
    expect(keys.map((k) => [k.name, k.text])).toEqual([
      ["x", "x"],
      ["paste", "abc\x1b[A is text"],
      ["y", "y"],
    ]);
  });

  it("keeps a paste open through a flush: its text is never typed as keys", () => {
    const parser = createKeyParser();
    expect(parser.feed("\x1b[200~dd")).toEqual([]);
    expect(parser.hasPending()).toBe(false);
    expect(parser.flush()).toEqual([]);
    expect(parser.feed("q\x1b[201~").map((k) => k.text)).toEqual(["ddq"]);
  });

  it("reads an empty paste", () => {
    expect(names("\x1b[200~\x1b[201~")).toEqual(["paste"]);
  });
});
