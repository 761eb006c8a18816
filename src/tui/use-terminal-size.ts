/**
 * The terminal's size, following `resize`. Ink re-lays out on resize itself but offers no
 * hook, and screens (the canvas viewport, the footer) need the numbers.
 */
import { useStdout } from "ink";
import { useEffect, useState } from "react";

export type TerminalSize = { columns: number; rows: number };

export type ResizableOutput = {
  columns?: number;
  rows?: number;
  on(event: "resize", listener: () => void): unknown;
  off(event: "resize", listener: () => void): unknown;
};

/** 80x24 when the stream does not know (not a terminal). */
export function terminalSize(stdout: Pick<ResizableOutput, "columns" | "rows">): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/** The size of `stdout`, or of the stdout Ink renders to when none is given. */
export function useTerminalSize(stdout?: ResizableOutput): TerminalSize {
  const inkStdout: ResizableOutput = useStdout().stdout;
  const stream = stdout ?? inkStdout;
  const [size, setSize] = useState(() => terminalSize(stream));
  useEffect(() => {
    const update = () =>
      setSize((previous) => {
        const next = terminalSize(stream);
        return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
      });
    update(); // the stream may have changed, or resized before we listened
    stream.on("resize", update);
    return () => {
      stream.off("resize", update);
    };
  }, [stream]);
  return size;
}
