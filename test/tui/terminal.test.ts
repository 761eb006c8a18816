import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import {
  ENTER_FULL_SCREEN,
  enterFullScreen,
  LEAVE_FULL_SCREEN,
  type TerminalHost,
} from "../../src/tui/terminal.js";

/** A terminal that records what is written to it. */
function fakeTerminal(isTTY = true) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

/** A process stand-in: events come from the test, exits and stderr are recorded. */
class FakeHost extends EventEmitter implements TerminalHost {
  exits: number[] = [];
  errors: string[] = [];
  stderr = { write: (text: string) => this.errors.push(text) };
  exit(code: number) {
    this.exits.push(code);
  }
}

const listening = (host: FakeHost) =>
  ["exit", "SIGINT", "SIGTERM", "SIGHUP", "uncaughtException", "unhandledRejection"].map((e) =>
    host.listenerCount(e),
  );

describe("enterFullScreen", () => {
  it("switches to the alternate screen, hides the cursor and turns bracketed paste on", () => {
    const terminal = fakeTerminal();
    enterFullScreen(terminal, new FakeHost());
    expect(terminal.written).toEqual(["\x1b[?1049h\x1b[?25l\x1b[?2004h"]);
    expect(ENTER_FULL_SCREEN).toBe("\x1b[?1049h\x1b[?25l\x1b[?2004h");
  });

  it("restores exactly once, however often and from wherever it is asked", () => {
    const terminal = fakeTerminal();
    const host = new FakeHost();
    const restore = enterFullScreen(terminal, host);
    restore();
    restore();
    host.emit("exit", 0);
    host.emit("SIGTERM", "SIGTERM");
    expect(terminal.written).toEqual([ENTER_FULL_SCREEN, "\x1b[?2004l\x1b[?25h\x1b[?1049l"]);
    expect(LEAVE_FULL_SCREEN).toBe("\x1b[?2004l\x1b[?25h\x1b[?1049l");
    expect(listening(host)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(host.exits).toEqual([]);
  });

  it("restores on exit", () => {
    const terminal = fakeTerminal();
    const host = new FakeHost();
    enterFullScreen(terminal, host);
    host.emit("exit", 0);
    expect(terminal.written).toEqual([ENTER_FULL_SCREEN, LEAVE_FULL_SCREEN]);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ])("restores on %s and exits as the signal would have (%i)", (signal, code) => {
    const terminal = fakeTerminal();
    const host = new FakeHost();
    const restore = enterFullScreen(terminal, host);
    host.emit(signal, signal);
    restore();
    expect(terminal.written).toEqual([ENTER_FULL_SCREEN, LEAVE_FULL_SCREEN]);
    expect(host.exits).toEqual([code]);
  });

  it("restores before printing a crash, then exits 1", () => {
    const terminal = fakeTerminal();
    const host = new FakeHost();
    enterFullScreen(terminal, host);
    host.emit("uncaughtException", new Error("boom"));
    expect(terminal.written).toEqual([ENTER_FULL_SCREEN, LEAVE_FULL_SCREEN]);
    expect(host.errors[0]).toMatch(/^Error: boom\n\s+at /);
    expect(host.exits).toEqual([1]);
  });

  it("prints a rejection's reason even when it is not an Error", () => {
    const host = new FakeHost();
    enterFullScreen(fakeTerminal(), host);
    host.emit("unhandledRejection", { code: "E_GONE" });
    expect(host.errors).toEqual(["{ code: 'E_GONE' }\n"]);
    expect(host.exits).toEqual([1]);
  });

  it("survives a terminal that is already gone", () => {
    const host = new FakeHost();
    let calls = 0;
    const gone = {
      isTTY: true,
      write: () => {
        if (calls++ > 0) throw new Error("EIO");
      },
    };
    enterFullScreen(gone, host);
    expect(() => host.emit("SIGHUP", "SIGHUP")).not.toThrow();
    expect(host.exits).toEqual([129]);
  });

  it("leaves a stream that is not a terminal alone", () => {
    const terminal = fakeTerminal(false);
    const host = new FakeHost();
    const restore = enterFullScreen(terminal, host);
    restore();
    expect(terminal.written).toEqual([]);
    expect(listening(host)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe("a signal with work to finish", () => {
  it("restores the terminal, waits for the work (drafts), then exits with the signal's code", async () => {
    const terminal = fakeTerminal();
    const host = new FakeHost();
    let finish: () => void = () => undefined;
    const work = new Promise<void>((r) => {
      finish = r;
    });
    enterFullScreen(terminal, host, () => work);
    host.emit("SIGHUP", "SIGHUP");
    expect(terminal.written.at(-1)).toBe(LEAVE_FULL_SCREEN);
    await new Promise((r) => setTimeout(r, 20));
    expect(host.exits).toEqual([]);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(host.exits).toEqual([129]);
  });
});
