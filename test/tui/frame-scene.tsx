/**
 * The scene frame-pipeline.test.tsx draws: the designer's parts on screen (the canvas as the
 * rasteriser draws it, a bordered panel of properties, a footer) in the dark theme, as a plain
 * function of a state the test changes. Imported only after the test has let Ink draw (CI).
 */

import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Box, Text } from "ink";
import { loadTheme } from "../../src/config/index.js";
import {
  type CellGeometry,
  type LayoutInput,
  provisionalLayout,
  rasterise,
} from "../../src/layout/index.js";
import { CanvasView } from "../../src/tui/canvas/canvas-view.js";
import { createLook, LookContext } from "../../src/tui/theme.js";

/** Colours on, as in a truecolor terminal: Ink's own chalk decides at load, from the env. */
export async function colourOn(): Promise<void> {
  const fromInk = createRequire(createRequire(import.meta.url).resolve("ink"));
  const chalk = (await import(pathToFileURL(fromInk.resolve("chalk")).href)) as {
    default: { level: number };
  };
  chalk.default.level = 3;
}

const look = createLook(loadTheme("dark"), "unicode");

function workflow(): LayoutInput {
  const nodes = Array.from({ length: 40 }, (_, i) => ({
    id: `n${i}`,
    kind: ["task", "decision", "parallel", "delay"][i % 4]!,
    label: i % 7 === 3 ? `字 wide ${i}` : `step ${"x".repeat(i % 9)} ${i}`,
  }));
  const edges = nodes.slice(1).map((n, i) => ({
    id: `e${i}`,
    from: `n${Math.floor(i / 2)}`,
    to: n.id,
  }));
  return { nodes, edges };
}

const PROPERTIES = ["id", "kind", "name", "handler", "with.command", "timeout", "retries.max"];
const VALUES = ["—", "shell", "echo hi", "30s", "字符串", "a much longer value than fits", "3", ""];

export interface Scene {
  geometry: CellGeometry;
  selected: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The panel's width: changing it moves what is beside the canvas at the same screen width. */
  panel: number;
  values: string[];
  status: string;
}

export function initialScene(columns: number, lines: number): Scene {
  return {
    geometry: provisionalLayout(workflow(), { direction: "down", density: "full" }),
    selected: 0,
    x: 0,
    y: 0,
    width: columns,
    height: lines - 1,
    panel: 36,
    values: PROPERTIES.map(() => "—"),
    status: "Valid ✓ · Nodes 40",
  };
}

export const moveSelection = (s: Scene, n: number) => {
  s.selected = n % s.geometry.boxes.length;
};
export const pan = (s: Scene, dx: number, dy: number) => {
  s.x = Math.max(0, s.x + dx * 3);
  s.y = Math.max(0, s.y + dy * 2);
};
export const widen = (s: Scene, n: number) => {
  s.panel = 20 + (n % 24);
};
export const edit = (s: Scene, n: number) => {
  s.values[n % s.values.length] = VALUES[n % VALUES.length]!;
  s.status = n % 3 === 0 ? "Saved v3 · 2 findings" : `Valid ✓ · Nodes 40 · edit ${n}`;
};

export function sceneElement(s: Scene) {
  const panel = Math.min(s.panel, Math.floor(s.width / 3));
  const canvasWidth = s.width - panel - 2;
  const canvasHeight = Math.max(1, s.height - 4);
  const rows = rasterise(
    s.geometry,
    { x: s.x, y: s.y, width: canvasWidth, height: canvasHeight },
    { glyphs: "unicode", selected: s.geometry.boxes[s.selected]?.id },
  );
  return (
    <LookContext.Provider value={look}>
      <Box flexDirection="column" width={s.width} height={s.height}>
        <Box>
          <Box borderStyle="double" borderColor="cyan" width={canvasWidth + 2}>
            <CanvasView rows={rows} />
          </Box>
          <Box borderStyle="single" flexDirection="column" width={panel} overflow="hidden">
            <Text bold>Properties · {s.geometry.boxes[s.selected]?.id}</Text>
            {PROPERTIES.map((p, i) => (
              <Text key={p} wrap="truncate">
                <Text color="gray">{p.padEnd(14)}</Text>
                <Text color={i % 2 ? "#d0a060" : undefined}>{s.values[i]}</Text>
              </Text>
            ))}
          </Box>
        </Box>
        <Text inverse={s.status.startsWith("Saved")}>{s.status}</Text>
      </Box>
    </LookContext.Provider>
  );
}

/** A keyboard that never types: Ink wants a stdin to listen to. */
export function quietStdin() {
  return Object.assign(new EventEmitter(), {
    isTTY: true,
    setRawMode() {},
    setEncoding() {},
    read: () => null,
    resume() {},
    pause() {},
    ref() {},
    unref() {},
  });
}

/** The scene rendered by an Ink instance of its own (nothing kept from earlier frames). */
export function renderWhole(ink: typeof import("ink"), s: Scene, columns: number): string {
  let frame = "";
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows: s.height + 1,
    write(data: string) {
      frame = data;
      return true;
    },
  });
  const app = ink.render(sceneElement(s), {
    stdout: stdout as never,
    stdin: quietStdin() as never,
    debug: true,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  app.unmount();
  return frame;
}
