import { describe, expect, it } from "vitest";
import {
  COMMANDS,
  CONTEXTS,
  type Context,
  type Keymap,
  loadKeymap,
} from "../../../src/config/index.js";
import {
  canonicalKey,
  createDispatcher,
  createKeyParser,
  filterHelp,
  helpSections,
  type KeyPress,
  keyLabel,
} from "../../../src/tui/input/index.js";
import { FOOTER } from "../../../src/tui/screens/designer/designer.js";
import { MONITOR_FOOTER } from "../../../src/tui/screens/monitor/monitor.js";

const defaultKeymap = loadKeymap("default");
const vimKeymap = loadKeymap("vim");

/** What the terminal sends, through the real parser, to the dispatcher. */
function commandsFor(keymap: Keymap, input: string, context: Context = "canvas") {
  const parser = createKeyParser();
  const dispatcher = createDispatcher(keymap);
  const keys: KeyPress[] = [...parser.feed(input), ...parser.flush()];
  return keys.map((key) => dispatcher.commandFor(key, context));
}

describe("the dispatcher", () => {
  it("resolves the default keymap's keys, as terminals send them, to commands", () => {
    const table: [string, string][] = [
      ["\x1bOP", "help"], // F1, xterm
      ["\x1b[11~", "help"], // F1, rxvt
      ["\x1b[[A", "help"], // F1, Linux console
      ["?", "help"],
      ["\x1b[12~", "validate"],
      ["v", "validate"],
      ["\x1b[15~", "run"],
      ["\x1b[21~", "save"], // F10
      ["\x13", "save"], // ctrl+s
      ["q", "quit"],
      ["\x03", "quit"], // ctrl+c
      ["\x1b", "back"],
      ["\x1b[A", "moveUp"],
      ["\x1bOA", "moveUp"],
      ["k", "moveUp"],
      ["j", "moveDown"],
      ["\t", "nextNode"],
      ["\x1b[Z", "previousNode"],
      ["/", "find"],
      ["+", "zoom"],
      ["\x0c", "toggleDirection"], // ctrl+l
      ["\r", "inspect"],
      ["R", "rename"],
      ["u", "undo"],
      ["U", "redo"],
      ["\x19", "redo"], // ctrl+y
      ["V", "versions"],
    ];
    for (const [input, command] of table)
      expect(commandsFor(defaultKeymap, input)).toEqual([command]);
  });

  it("resolves the vim keymap's keys to commands", () => {
    expect(commandsFor(vimKeymap, ":wQ\x12ox")).toEqual([
      "validate",
      "save",
      "quit",
      "redo",
      "addNode",
      "deleteNode",
    ]);
    expect(commandsFor(vimKeymap, "hjkl")).toEqual(["moveLeft", "moveDown", "moveUp", "moveRight"]);
    expect(commandsFor(vimKeymap, "\x1b[21~\x1b[24~")).toEqual(["save", undefined]);
  });

  it("tells r from R and binds nothing to keys the keymap leaves free", () => {
    expect(commandsFor(defaultKeymap, "rRx\x1b[2~")).toEqual([
      "run",
      "rename",
      undefined,
      undefined,
    ]);
  });

  it("never turns a paste or an unknown sequence into a command", () => {
    expect(commandsFor(defaultKeymap, "\x1b[200~q\x1b[201~\x1b[99~")).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("lists every key of a command in keymap notation", () => {
    const dispatcher = createDispatcher(defaultKeymap);
    expect(dispatcher.keysFor("save", "canvas")).toEqual(["f10", "ctrl+s"]);
    expect(dispatcher.keysFor("save", "prompt")).toEqual(["s"]);
    expect(dispatcher.keysFor("previousNode", "canvas")).toEqual(["shift+tab"]);
    for (const command of COMMANDS)
      expect(
        CONTEXTS.some((c) => dispatcher.keysFor(command, c).length > 0),
        command,
      ).toBe(true);
  });

  it("reads keymap keys the way the terminal sends them", () => {
    expect(canonicalKey("shift+r")).toBe("R");
    expect(canonicalKey("ctrl+S")).toBe("ctrl+s");
    expect(canonicalKey("meta+ctrl+x")).toBe("ctrl+meta+x");
    expect(canonicalKey(" ")).toBe("space");
    expect(canonicalKey("+")).toBe("+");
  });
});

describe("the footer", () => {
  const dispatcher = createDispatcher(defaultKeymap);
  const main = ["help", "validate", "save", "quit"] as const;

  it("shows each command's keys and name, from the keymap", () => {
    expect(dispatcher.footer(main, 80, "canvas")).toBe(
      "F1/? Help  F2/v Validate  F10/^S Save  q/^C Quit",
    );
    expect(createDispatcher(vimKeymap).footer(main, 80, "canvas")).toBe(
      "F1/? Help  F2/: Validate  F10/w Save  Q/^C Quit",
    );
  });

  it("fits 80 columns with many commands, first keys only, dropping all but the way out (help, back, quit) from the end", () => {
    const many = [...COMMANDS];
    const line = dispatcher.footer(many, 80, "canvas");
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line.startsWith("F1 Help  F2 Validate  F5 Run  F10 Save  q Quit  Esc Back")).toBe(true);
    for (const width of [0, 5, 20, 40, 60, 120, 400])
      expect(dispatcher.footer(many, width, "canvas").length).toBeLessThanOrEqual(width);
    expect(dispatcher.footer(main, 30, "canvas")).toBe("F1 Help  F2 Validate  q Quit");
    expect(dispatcher.footer(main, 5, "canvas")).toBe("F1 H…");
  });

  it("keeps help, back and quit at 80 columns however many commands come first (issue 13, problem 5)", () => {
    const line = dispatcher.footer(FOOTER, 80, "canvas");
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line).toContain("F1 Help");
    expect(line.endsWith("q Quit")).toBe(true);
    const m = dispatcher.footer(MONITOR_FOOTER, 80, "monitor");
    expect(m).toContain("Esc Back");
    expect(m).toContain("q Quit");
    expect(m).toContain("F6 Runs");
    expect(m.length).toBeLessThanOrEqual(80);
  });

  it("labels keys the short way", () => {
    const labels = [
      "f1",
      "ctrl+s",
      "return",
      "escape",
      "up",
      "down",
      "shift+tab",
      "meta+x",
      "space",
    ];
    expect(labels.map(keyLabel)).toEqual([
      "F1",
      "^S",
      "Enter",
      "Esc",
      "↑",
      "↓",
      "S-Tab",
      "M-x",
      "Space",
    ]);
  });
});

describe("the help screen's content", () => {
  it("has one section per keymap group, one row per binding, in keymap order", () => {
    const sections = helpSections(createDispatcher(defaultKeymap).bindingsIn("canvas"));
    expect(sections.map((s) => s.group)).toEqual([
      "General",
      "Canvas",
      "Edit",
      "File",
      "Panels",
      "Runs",
    ]);
    expect(sections[0]!.rows[0]).toEqual({
      keys: "F1, ?",
      description: "Show help",
      command: "help",
    });
    const rows = sections.flatMap((s) => s.rows);
    expect(rows.map((r) => r.command)).toEqual(
      defaultKeymap.bindings.filter((b) => b.contexts.includes("canvas")).map((b) => b.command),
    );
    expect(rows.find((r) => r.command === "save")!.keys).toBe("F10, ^S");
  });

  it("follows the keymap it is given", () => {
    const rows = helpSections(createDispatcher(vimKeymap).bindingsIn("canvas")).flatMap(
      (s) => s.rows,
    );
    expect(rows.find((r) => r.command === "deleteNode")!.keys).toBe("x");
  });

  it("filters rows by every word of the query, dropping empty sections", () => {
    const sections = helpSections(createDispatcher(defaultKeymap).bindingsIn("canvas"));
    expect(filterHelp(sections, "")).toEqual(sections);
    const undo = filterHelp(sections, "UNDO");
    expect(undo).toEqual([
      { group: "Edit", rows: [{ keys: "u, ^Z", description: "Undo", command: "undo" }] },
    ]);
    const commands = (query: string) =>
      filterHelp(sections, query).flatMap((s) => s.rows.map((r) => r.command));
    expect(commands("nearest")).toEqual(["moveUp", "moveDown", "moveLeft", "moveRight"]);
    expect(commands("select next")).toEqual(["nextNode"]);
    expect(commands("^S")).toEqual(["save"]);
    expect(filterHelp(sections, "export yaml").map((s) => s.group)).toEqual(["File"]);
    expect(filterHelp(sections, "no such thing")).toEqual([]);
  });
});
