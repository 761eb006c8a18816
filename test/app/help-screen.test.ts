/** Help's reducer alone: the search and the scroll. */
import { describe, expect, it } from "vitest";
import { initialHelpState, reduceHelp } from "../../src/app/help-screen.js";
import type { Command } from "../../src/config/index.js";

const env = { lineCount: 30, visible: 10 };
const press = (state = initialHelpState(), command?: Command, typed?: string) =>
  reduceHelp(state, { type: "command", command, typed }, env);

describe("help's reducer", () => {
  it("searches as letters are typed, from the top; ctrl+u clears the search", () => {
    const scrolled = press(undefined, "pageDown").state;
    expect(scrolled.scroll).toBe(10);
    const typed = press(press(scrolled, undefined, "c").state, undefined, "o").state;
    expect(typed).toEqual({ query: "co", scroll: 0 });
    expect(press(typed, "deleteBack").state.query).toBe("c");
    expect(press(typed, "clearLine").state).toEqual({ query: "", scroll: 0 });
  });

  it("scrolls within the lines, and closes on Esc or on help's own key", () => {
    let state = initialHelpState();
    for (let i = 0; i < 5; i++) state = press(state, "pageDown").state;
    expect(state.scroll).toBe(20);
    expect(press(state, "moveUp").state.scroll).toBe(19);
    expect(press(state, "back").effects).toEqual([{ type: "close" }]);
    expect(press(state, "help").effects).toEqual([{ type: "close" }]);
  });
});
