/**
 * The dead-letter view's reducer alone: keys and Redis's answers in, state and effects out.
 */
import { describe, expect, it } from "vitest";
import type { DeadLetter } from "../../src/app/runs/dead-letters.js";
import {
  cursorIn,
  initialLettersState,
  type LettersAction,
  type LettersState,
  lettersContext,
  reduceLetters,
} from "../../src/app/runs/letters-screen.js";
import type { Command } from "../../src/config/index.js";
import { replay } from "../support/reduce.js";

const letter = (run: string, node: string) => ({ run, node }) as DeadLetter;
const LIST = { total: 3, letters: [letter("r1", "a"), letter("r2", "b"), letter("r3", "c")] };
const env = { listHeight: 2, detailsVisible: 4, detailLineCount: 10 };

function play(state: LettersState, ...actions: (LettersAction | Command)[]) {
  return replay(reduceLetters, state, env, actions);
}

const listed = () => play(initialLettersState(), { type: "listed", list: LIST }).state;

describe("the dead-letter view's reducer", () => {
  it("asks before purging; any key but yes keeps the letter, yes purges and reads again", () => {
    const asked = play(listed(), "moveDown", "deleteNode");
    expect(lettersContext(asked.state)).toBe("prompt");
    const kept = play(asked.state, "moveDown");
    expect(kept.effects).toEqual([]);
    expect(kept.state.message?.text).toBe("not purged");
    expect(kept.state.mode.type).toBe("list");
    const purged = play(asked.state, "yes", { type: "settled", text: "purged", error: false });
    expect(purged.effects).toEqual([
      { type: "purge", letter: LIST.letters[1] },
      { type: "reload" },
    ]);
  });

  it("opens a letter's details with its log, scrolls them, and Esc closes them first", () => {
    const open = play(listed(), "inspect");
    expect(open.effects).toEqual([{ type: "readLog", letter: LIST.letters[0] }]);
    expect(lettersContext(open.state)).toBe("letter");
    const scrolled = play(open.state, "pageDown", "pageDown");
    expect(scrolled.state.mode).toMatchObject({ type: "details", scroll: 6 });
    const back = play(scrolled.state, "back");
    expect(back.state.mode.type).toBe("list");
    expect(back.effects).toEqual([]);
    expect(play(back.state, "back").effects).toEqual([{ type: "back" }]);
    expect(play(open.state, "inspect").effects).toEqual([{ type: "openRun", id: "r1" }]);
  });

  it("keeps the cursor on its letter when the list is read again, else at its place", () => {
    const on = play(listed(), "moveDown").state;
    const newer = { total: 4, letters: [letter("r0", "z"), ...LIST.letters] };
    const again = play(on, { type: "listed", list: newer }).state;
    expect(cursorIn(again.list!.letters, again.selected)).toBe(2);
    const gone = { total: 2, letters: [LIST.letters[0]!, LIST.letters[2]!] };
    const after = play(on, { type: "listed", list: gone }).state;
    expect(cursorIn(after.list!.letters, after.selected)).toBe(1);
  });

  it("says there is nothing to requeue or purge in an empty list, and why a read failed", () => {
    const empty = play(initialLettersState(), { type: "listed", list: { total: 0, letters: [] } });
    expect(play(empty.state, "run").state.message).toEqual({
      error: true,
      text: "no letter to requeue",
    });
    expect(play(empty.state, "deleteNode").state.message?.text).toBe("no letter to purge");
    expect(
      play(empty.state, { type: "listFailed", message: "Redis is away" }).state.readError,
    ).toBe("cannot read the dead letters: Redis is away");
  });
});
