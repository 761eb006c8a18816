import { EventEmitter } from "node:events";
import { Text } from "ink";
import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { type ResizableOutput, useTerminalSize } from "../../src/tui/use-terminal-size.js";

const frame = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => cleanup());

function Size({ stdout }: { stdout?: ResizableOutput }) {
  const { columns, rows } = useTerminalSize(stdout);
  return <Text>{`${columns}x${rows}`}</Text>;
}

/** A terminal whose size the test changes, as a window manager would. */
class FakeTerminal extends EventEmitter {
  columns: number | undefined = 120;
  rows: number | undefined = 40;
  resize(columns: number | undefined, rows: number | undefined) {
    this.columns = columns;
    this.rows = rows;
    this.emit("resize");
  }
}

describe("useTerminalSize", () => {
  it("follows resize events", async () => {
    const terminal = new FakeTerminal();
    const { lastFrame } = render(<Size stdout={terminal} />);
    await frame();
    expect(lastFrame()).toBe("120x40");
    terminal.resize(60, 20);
    await frame();
    expect(lastFrame()).toBe("60x20");
    expect(terminal.listenerCount("resize")).toBe(1);
  });

  it("says 80x24 when the stream does not know", async () => {
    const terminal = new FakeTerminal();
    terminal.resize(undefined, undefined);
    const { lastFrame } = render(<Size stdout={terminal} />);
    await frame();
    expect(lastFrame()).toBe("80x24");
  });

  it("reads Ink's stdout when given none", async () => {
    const { lastFrame } = render(<Size />);
    await frame();
    expect(lastFrame()).toBe("100x24"); // ink-testing-library's stdout: 100 columns, no rows
  });

  it("stops listening when unmounted", async () => {
    const terminal = new FakeTerminal();
    const { unmount } = render(<Size stdout={terminal} />);
    await frame();
    unmount();
    expect(terminal.listenerCount("resize")).toBe(0);
  });
});
