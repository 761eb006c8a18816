import { describe, expect, it } from "vitest";
import { editField } from "../../src/tui/components/prompt.js";

const key = (name: string, mods: { ctrl?: boolean; meta?: boolean } = {}) => ({
  name,
  ctrl: mods.ctrl ?? false,
  meta: mods.meta ?? false,
});

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
