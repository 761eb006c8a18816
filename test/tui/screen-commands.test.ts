import { describe, expect, it } from "vitest";
import { COMMANDS, loadKeymap } from "../../src/config/index.js";
import { answers, SCREEN_COMMANDS, type ScreenName } from "../../src/tui/screen-commands.js";

const SCREENS: ScreenName[] = [
  ...(Object.keys(SCREEN_COMMANDS) as (keyof typeof SCREEN_COMMANDS)[]),
  "designer",
];

describe("every binding is reachable on a screen (issue 13, in part)", () => {
  for (const name of ["default", "vim"])
    it(`${name}: each command of the keymap is answered by at least one screen`, () => {
      const keymap = loadKeymap(name);
      const unreached = keymap.bindings
        .map((b) => b.command)
        .filter((command) => !SCREENS.some((screen) => answers(screen, command)));
      expect(unreached).toEqual([]);
    });

  it("every screen offers the way out: help, back and quit", () => {
    for (const screen of SCREENS)
      for (const command of ["help", "back", "quit"] as const)
        expect(answers(screen, command), `${screen} ${command}`).toBe(true);
    expect(COMMANDS.length).toBeGreaterThan(40);
  });
});
