/**
 * The designer's reducer alone: commands, prompt answers and effects' outcomes in, the next
 * state and the effects out, with no screen, timer, file or Redis. The ink and tmux tests drive
 * the same reducer through the real app.
 */
import { describe, expect, it } from "vitest";
import {
  type DesignerAction,
  type DesignerEnv,
  reduceDesigner,
} from "../../src/app/designer/screen/reducer.js";
import type { DesignerUi } from "../../src/app/designer/screen/state.js";
import { createWorkspace, currentEditor } from "../../src/app/designer/workspace.js";
import type { Command } from "../../src/config/index.js";
import type { CellGeometry } from "../../src/layout/index.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import { replay } from "../support/reduce.js";

const workflow = WorkflowSchema.parse({
  name: "flow",
  nodes: [
    { id: "a", kind: "task", handler: "noop" },
    { id: "b", kind: "task", handler: "noop" },
  ],
  edges: [{ from: "a", to: "b" }],
});

const geometry: CellGeometry = {
  width: 20,
  height: 60,
  options: { direction: "down", density: "full" },
  boxes: [
    { id: "a", kind: "task", label: "a", x: 0, y: 0, width: 10, height: 3 },
    { id: "b", kind: "task", label: "b", x: 0, y: 40, width: 10, height: 3 },
  ],
  edges: [],
};

const KEYS: Partial<Record<Command, string>> = {
  yes: "y",
  discard: "d",
  back: "Esc",
  save: "s",
  reload: "r",
};
const env: DesignerEnv = {
  geometry,
  viewport: { width: 20, height: 10 },
  findings: [],
  canRun: true,
  keyOf: (c) => KEYS[c] ?? c,
};

function opened(version = 1): DesignerUi {
  return {
    ws: createWorkspace("store", [{ workflow, version }]),
    direction: "down",
    density: "full",
    view: { x: 0, y: 0 },
    panels: { inspector: false, palette: false, findings: false },
    focus: "canvas",
    mode: { type: "none" },
    fieldCursor: 0,
    findingCursor: 0,
    paletteCursor: 0,
    hits: [],
  };
}

/** Each action (a command's name, or an action) in turn; the effects of all of them. */
function play(state: DesignerUi, ...actions: (DesignerAction | Command)[]) {
  return replay(reduceDesigner, state, env, actions);
}

describe("the designer's reducer", () => {
  it("quits at once when nothing is unsaved, and asks first when something is", () => {
    expect(play(opened(), "quit").effects).toEqual([{ type: "quit" }]);
    const asked = play(opened(), "nextNode", "duplicate", "quit");
    expect(asked.effects).toEqual([]);
    expect(asked.state.mode).toMatchObject({ type: "confirm", confirm: { kind: "quit" } });
    // Any other key stays, with the edit.
    const stayed = play(asked.state, "moveDown");
    expect(stayed.effects).toEqual([]);
    expect(stayed.state.mode.type).toBe("none");
    expect(currentEditor(stayed.state.ws).workflow.nodes).toHaveLength(3);
    expect(play(asked.state, "yes").effects).toEqual([{ type: "quit" }]);
  });

  it("saves through an effect, busy meanwhile, and takes the new version from its outcome", () => {
    const edited = play(opened(), "nextNode", "duplicate", "save", {
      type: "submit",
      text: "more",
    });
    expect(edited.state.mode).toEqual({ type: "busy", text: "saving…" });
    expect(edited.effects).toHaveLength(1);
    const [effect] = edited.effects;
    expect(effect).toMatchObject({ type: "save", message: "more" });
    expect(effect?.type === "save" && effect.parents.get("flow")).toBe(1);
    const saved = play(edited.state, {
      type: "saved",
      outcome: { kind: "saved", saved: [{ name: "flow", version: 2, created: true } as never] },
    });
    expect(saved.effects).toEqual([{ type: "refreshStored" }]);
    expect(saved.state.message).toEqual({ error: false, text: "saved flow as v2" });
    expect(currentEditor(saved.state.ws).baseVersion).toBe(2);
  });

  it("asks before overwriting an export, and overwrites only on yes", () => {
    const asked = play(opened(), "export", { type: "submit", text: "out.yaml" });
    expect(asked.effects).toEqual([
      { type: "export", path: "out.yaml", workflows: [workflow], overwrite: false },
    ]);
    const exists = play(asked.state, { type: "exportExists", path: "out.yaml" });
    expect(exists.state.mode).toMatchObject({
      type: "confirm",
      text: "out.yaml exists. Overwrite it? y overwrites, any other key keeps it",
    });
    expect(play(exists.state, "moveUp").state.message?.text).toBe("not exported");
    expect(play(exists.state, "yes").effects).toEqual([
      { type: "export", path: "out.yaml", workflows: [workflow], overwrite: true },
    ]);
  });

  it("keeps a draft on Esc or a stray key and drops it only on its own key", () => {
    const offered: DesignerUi = {
      ...opened(),
      mode: {
        type: "confirm",
        confirm: { kind: "draft", workflow, baseVersion: 1 },
        text: "You have unsaved changes…",
      },
    };
    for (const key of ["back", "moveDown", undefined] as const) {
      const kept = play(offered, { type: "command", command: key });
      expect(kept.effects).toEqual([]);
      expect(kept.state.message?.text).toBe("draft kept: it is offered again when you open flow");
    }
    expect(play(offered, "discard").effects).toEqual([{ type: "dropDraft", name: "flow" }]);
  });

  it("opens a past version read-only from the store's answer, and says how to go back", () => {
    const asked = play(opened(2), "versions");
    expect(asked.effects).toEqual([{ type: "versions", name: "flow" }]);
    const listed = play(asked.state, {
      type: "versionsListed",
      name: "flow",
      versions: [{ version: 1 }, { version: 2 }] as never,
    });
    expect(listed.state.mode).toMatchObject({ type: "versions", cursor: 1 });
    const picked = play(listed.state, "moveUp", "inspect");
    expect(picked.effects).toEqual([
      { type: "load", ref: "flow@1", purpose: { for: "past", name: "flow", version: 1 } },
    ]);
    const past = play(picked.state, {
      type: "loaded",
      stored: { name: "flow", version: 1, current: 2, workflow } as never,
      purpose: { for: "past", name: "flow", version: 1 },
    });
    expect(past.state.past?.readOnly).toBe(true);
    expect(past.state.message?.text).toBe("flow@1, read-only: Esc returns to your edit");
    expect(play(past.state, "deleteNode").state.message).toEqual({
      error: true,
      text: "a past version is read-only: Esc returns to your edit",
    });
  });

  it("scrolls a node into view when positions that place it arrive", () => {
    const { state } = play(opened(), { type: "reveal", id: "b" });
    expect(state.view.y).toBeGreaterThan(30);
  });

  it("a run from an unsaved workflow is refused with the key that saves", () => {
    const { state, effects } = play(opened(0), "run");
    expect(effects).toEqual([]);
    expect(state.message).toEqual({
      error: true,
      text: "flow is not saved yet: save it (s) first, runs use saved versions",
    });
    expect(play(opened(1), "run").effects).toEqual([{ type: "run", ref: "flow@1" }]);
  });
});
