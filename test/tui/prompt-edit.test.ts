import { describe, expect, it } from "vitest";
import { editField } from "../../src/app/editor/text-field.js";
import { loadKeymap } from "../../src/config/index.js";
import { createDispatcher, keyPress } from "../../src/tui/input/index.js";

/** A key as the `text` context of the default keymap reads it. */
const dispatcher = createDispatcher(loadKeymap("default"));
const key = (name: string, mods: { ctrl?: boolean; meta?: boolean } = {}) =>
  dispatcher.commandFor(keyPress(name, "", mods), "text");

describe("text fields edit by word (issue 13, problem 11)", () => {
  it("deletes the word before the cursor with ctrl+w and moves by word with alt+b / alt+f", () => {
    const field = { text: "rm -f /tmp/scratch", cursor: 18 };
    expect(editField(field, key("w", { ctrl: true }))).toEqual({ text: "rm -f /tmp/", cursor: 11 });
    expect(editField(field, key("b", { meta: true }))).toEqual({ ...field, cursor: 11 });
    expect(editField({ ...field, cursor: 0 }, key("f", { meta: true }))).toEqual({
      ...field,
      cursor: 2,
    });
    expect(editField({ text: "a  b", cursor: 4 }, key("w", { ctrl: true }))).toEqual({
      text: "a  ",
      cursor: 3,
    });
    expect(editField({ text: "", cursor: 0 }, key("w", { ctrl: true }))).toEqual({
      text: "",
      cursor: 0,
    });
  });
});
