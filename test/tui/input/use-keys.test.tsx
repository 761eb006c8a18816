import { Text } from "ink";
import { cleanup, render } from "ink-testing-library";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { type Context, loadKeymap } from "../../../src/config/index.js";
import {
  ESCAPE_TIMEOUT_MS,
  type KeyPress,
  keyName,
  useRawKeys,
} from "../../../src/tui/input/index.js";
import { KeyRouter, useKeyHandler } from "../../../src/tui/key-router.js";

const frame = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => cleanup());

/** Prints the last key it saw, and how many it has seen. */
function LastKey({ isActive = true }: { isActive?: boolean }) {
  const [seen, setSeen] = useState<KeyPress[]>([]);
  useRawKeys((press) => setSeen((keys) => [...keys, press]), { isActive });
  const last = seen.at(-1);
  const shown =
    last?.name === "paste" ? `paste:${JSON.stringify(last.text)}` : last && keyName(last);
  return <Text>{`${seen.length} ${shown ?? "none"}`}</Text>;
}

describe("useRawKeys", () => {
  it("receives the keys Ink's useInput cannot see, through Ink's own stdin", async () => {
    const { stdin, lastFrame } = render(<LastKey />);
    await frame();
    expect(lastFrame()).toBe("0 none");

    stdin.write("\x1b[21~");
    await frame();
    expect(lastFrame()).toBe("1 f10");

    stdin.write("\x1bOP");
    await frame();
    expect(lastFrame()).toBe("2 f1");

    stdin.write("\x1b[2~");
    await frame();
    expect(lastFrame()).toBe("3 insert");

    stdin.write("\x1b[Z");
    await frame();
    expect(lastFrame()).toBe("4 shift+tab");

    stdin.write("\x13");
    await frame();
    expect(lastFrame()).toBe("5 ctrl+s");

    stdin.write("jjk");
    await frame();
    expect(lastFrame()).toBe("8 k");
  });

  it("reads a lone ESC as Escape once the timer runs out", async () => {
    const { stdin, lastFrame } = render(<LastKey />);
    await frame();
    stdin.write("\x1b");
    await new Promise((resolve) => setTimeout(resolve, ESCAPE_TIMEOUT_MS * 3));
    expect(lastFrame()).toBe("1 escape");
  });

  it("joins a sequence whose halves arrive apart, though Ink emits the ESC alone", async () => {
    const { stdin, lastFrame } = render(<LastKey />);
    await frame();
    stdin.write("\x1b");
    await new Promise((resolve) => setTimeout(resolve, 5));
    stdin.write("[21~");
    await frame();
    expect(lastFrame()).toBe("1 f10");
  });

  it("reads a bracketed paste as one key, even split across writes", async () => {
    const { stdin, lastFrame } = render(<LastKey />);
    await frame();
    stdin.write("\x1b[200~first line\r");
    await frame();
    expect(lastFrame()).toBe("0 none");
    stdin.write("q and more\x1b[201~");
    await frame();
    expect(lastFrame()).toBe('1 paste:"first line\\nq and more"');
  });

  it("hears nothing while inactive", async () => {
    const { stdin, lastFrame, rerender } = render(<LastKey isActive={false} />);
    await frame();
    stdin.write("x");
    await frame();
    expect(lastFrame()).toBe("0 none");
    rerender(<LastKey isActive />);
    await frame();
    stdin.write("y");
    await frame();
    expect(lastFrame()).toBe("1 y");
  });
});

describe("the key router", () => {
  function LastCommand(props: { context: Context }) {
    const [seen, setSeen] = useState<string[]>([]);
    useKeyHandler(
      (command, typed) => setSeen((all) => [...all, command ?? `typed:${typed ?? "-"}`]),
      { context: props.context },
    );
    return <Text>{seen.join(",") || "none"}</Text>;
  }
  const routed = (context: Context) => (
    <KeyRouter keymap={loadKeymap("default")}>
      <LastCommand context={context} />
    </KeyRouter>
  );

  it("turns keys into the commands of the handler's context", async () => {
    const { stdin, lastFrame } = render(routed("canvas"));
    await frame();
    for (const input of ["\x1b[21~", "x", "\x1b[[A", "\x03", "R"]) {
      stdin.write(input);
      await frame();
    }
    // `x` is bound to nothing on the canvas: the handler hears no command and no text.
    expect(lastFrame()).toBe("save,typed:-,help,quit,rename");
  });

  it("gives a typing context the text, and the same letter another meaning elsewhere", async () => {
    const text = render(routed("text"));
    await frame();
    for (const input of ["d", "\x7f", "\x17"]) {
      text.stdin.write(input);
      await frame();
    }
    expect(text.lastFrame()).toBe("typed:d,deleteBack,deleteWord");
    const palette = render(routed("palette"));
    await frame();
    palette.stdin.write("d");
    await frame();
    expect(palette.lastFrame()).toBe("addDecision");
  });
});
