/** The designer screen's state: the workspace being edited plus what is open around the canvas. */

import type { Command } from "../../../config/index.js";
import type { Density, Direction } from "../../../layout/index.js";
import type { NodeKind, Workflow } from "../../../spec/index.js";
import type { VersionInfo } from "../../../store/index.js";
import type { FieldRow } from "../../editor/field-list.js";
import type { EditorState } from "../../editor/index.js";
import type { StatusMessage } from "../../screen-step.js";
import type { Workspace } from "../workspace.js";

export type Focus = "canvas" | "inspector" | "findings" | "palette";

export type Mode =
  | { type: "none" }
  | { type: "palette"; after?: string; edge?: string }
  | { type: "prompt"; prompt: PromptKind; label: string; initial: string; field?: FieldRow }
  | { type: "choice"; field: FieldRow; cursor: number }
  | { type: "confirm"; confirm: ConfirmKind; text: string }
  | { type: "versions"; name: string; versions: VersionInfo[]; cursor: number }
  | { type: "text"; title: string; lines: string[]; scroll: number }
  | { type: "busy"; text: string };

export type PromptKind = "save" | "rename" | "find" | "export" | "field" | "saveAs";
export type ConfirmKind =
  | { kind: "quit" }
  | { kind: "leave" }
  | { kind: "run"; ref: string }
  | { kind: "draft"; workflow: Workflow; baseVersion: number }
  | { kind: "conflict"; name: string }
  | { kind: "overwrite"; path: string };

export interface DesignerUi {
  ws: Workspace;
  /** A past version open read-only over the current workflow (Esc returns). */
  past?: EditorState;
  direction: Direction;
  density: Density;
  view: { x: number; y: number };
  panels: { inspector: boolean; palette: boolean; findings: boolean };
  focus: Focus;
  mode: Mode;
  fieldCursor: number;
  findingCursor: number;
  paletteCursor: number;
  /** Connecting: the source node, while the user moves (or finds) the target. */
  connectFrom?: string;
  /** The node whose edges `selectEdge` walks through. */
  edgeAnchor?: string;
  /** Node ids matching the find prompt. */
  hits: string[];
  message?: StatusMessage;
}

/** The palette's kinds, each picked by its command's key in the `palette` context. */
export const PALETTE: { kind: NodeKind; command: Command; label: string }[] = [
  { kind: "task", command: "addTask", label: "Task" },
  { kind: "decision", command: "addDecision", label: "Decision" },
  { kind: "exclusive", command: "addExclusive", label: "Exclusive gateway" },
  { kind: "parallel", command: "addParallel", label: "Parallel gateway" },
  { kind: "delay", command: "addDelay", label: "Delay (wait)" },
  { kind: "compensation", command: "addCompensation", label: "Compensation" },
  { kind: "subworkflow", command: "addSubworkflow", label: "Sub-workflow" },
];
