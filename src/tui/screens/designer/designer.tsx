/**
 * The designer: canvas, inspector, palette, validator, status bar and footer around one
 * workspace. It draws the state of its reducer (src/app/designer/screen) and dispatches to it;
 * the effects the reducer asks for (the session's calls to Redis, files, leaving the screen) and
 * the timers (validation, drafts) run here, in one place.
 */

import { hostname } from "node:os";
import { Box, Text } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ageOf, draftChanges } from "../../../app/designer/draft-summary.js";
import type { DesignerEffect } from "../../../app/designer/screen/effects.js";
import {
  fieldProblem,
  renameProblem,
  workflowNameProblem,
} from "../../../app/designer/screen/field-keys.js";
import { shownEditor } from "../../../app/designer/screen/key-context.js";
import { designerContext } from "../../../app/designer/screen/keys.js";
import { type DesignerEnv, reduceDesigner } from "../../../app/designer/screen/reducer.js";
import type { DesignerUi } from "../../../app/designer/screen/state.js";
import type { DesignerSession } from "../../../app/designer/session.js";
import { breadcrumb, currentEditor, type Workspace } from "../../../app/designer/workspace.js";
import type { Command, Context } from "../../../config/index.js";
import { boxOf, positionText, rasterise } from "../../../layout/index.js";
import type { Finding } from "../../../spec/index.js";
import { CanvasView } from "../../canvas/canvas-view.js";
import type { LayoutService } from "../../canvas/layout-service.js";
import { isUndoLink, useGeometry } from "../../canvas/use-geometry.js";
import { CHOICE_LINES, ChoiceLine } from "../../components/choice-line.js";
import { Footer } from "../../components/footer.js";
import { Panel } from "../../components/panel.js";
import { PROMPT_LINES, Prompt } from "../../components/prompt.js";
import { wrapLines } from "../../components/wrap-lines.js";
import { useChoiceKeys, useKeyHandler, useKeyOf } from "../../key-router.js";
import { useLook } from "../../theme.js";
import { useScreen } from "../../use-screen.js";
import { editorDirty, hashOf, useSameItems } from "./derived.js";
import { runDesignerEffect } from "./effects.js";
import { TextView, VersionList } from "./overlays.js";
import { FindingsPanel, Inspector, Palette, StatusBar, statusLine } from "./panels.js";

export interface DesignerProps {
  session: DesignerSession;
  layout: LayoutService;
  workspace: Workspace;
  /** Unsaved edits found for the opened workflow: offered before anything else. */
  draft?: {
    workflow: import("../../../spec/index.js").Workflow;
    baseVersion: number;
    savedAt: number;
    host: string;
  };
  width: number;
  height: number;
  cwd: string;
  /** False while another screen is over the designer: it keeps its state but not the keys. */
  active?: boolean;
  onExit(): void;
  onHelp(): void;
  onQuit(): void;
  onRun?(ref: string): void;
  onRuns?(workflow: string): void;
}

const SIDE_WIDTH = 38;
/**
 * The designer's footer, most useful first: help, back and quit are kept at any width, then the
 * others from the front while they fit (help lists them all).
 */
export const FOOTER: Command[] = [
  "help",
  "inspect",
  "undo",
  "addNode",
  "connect",
  "deleteNode",
  "save",
  "run",
  "validate",
  "back",
  "quit",
];
/** The footer of the designer's dialogs: what their own keys do. */
const FOOTERS: Partial<Record<Context, Command[]>> = {
  palette: ["inspect", "moveDown", "help", "back"],
  text: ["submit", "back", "deleteWord", "clearLine"],
  choice: ["submit", "moveDown", "back"],
  prompt: ["back"],
  versions: ["inspect", "diffVersion", "help", "back"],
  viewer: ["moveDown", "pageDown", "help", "back"],
};
const WIDE = 100;
const VALIDATE_AFTER_MS = 150;
const DRAFT_AFTER_MS = 200;

export function Designer(props: DesignerProps) {
  const look = useLook();
  const wide = props.width >= WIDE;
  const choiceKey = useChoiceKeys("prompt");
  const keyOf = useKeyOf();
  const screen = useScreen(
    reduceDesigner,
    (): DesignerUi => ({
      ws: props.workspace,
      direction: "down",
      density: "full",
      view: { x: 0, y: 0 },
      panels: { inspector: wide, palette: wide && props.height >= 36, findings: false },
      focus: "canvas",
      mode: props.draft
        ? {
            type: "confirm",
            confirm: {
              kind: "draft",
              workflow: props.draft.workflow,
              baseVersion: props.draft.baseVersion,
            },
            text: `You have unsaved changes to ${props.draft.workflow.name} by ${props.session.user} on ${props.draft.host}, ${ageOf(Date.now() - props.draft.savedAt)} (${new Date(props.draft.savedAt).toLocaleString()}): ${draftChanges(currentEditor(props.workspace).workflow, props.draft.workflow)}. ${choiceKey("yes")} restores them · ${choiceKey("discard")} discards them · ${choiceKey("back")} (or any other key) keeps them for later`,
          }
        : { type: "none" },
      fieldCursor: 0,
      findingCursor: 0,
      paletteCursor: 0,
      hits: [],
    }),
  );
  const { state: ui, dispatch } = screen;

  // Which called workflows exist in the store, so calls to them validate.
  const [stored, setStored] = useState<Set<string>>(new Set());
  const refreshStored = useCallback(() => {
    props.session.list().then(
      (rows) => setStored(new Set(rows.map((r) => r.name))),
      () => undefined,
    );
  }, [props.session]);
  useEffect(refreshStored, [refreshStored]);

  const editor = shownEditor(ui);
  const current = currentEditor(ui.ws);
  const dirty = !ui.past && editorDirty(current);
  // Selection moves replace the workspace but keep every workflow: these stay the same then.
  const workflows = useSameItems(ui.ws.docs.map((d) => d.workflow));
  const edited = useSameItems(ui.ws.docs.filter((d) => !d.readOnly && editorDirty(d)));

  // The validator, debounced: typing fast validates once.
  const [findings, setFindings] = useState<Finding[]>([]);
  const shownName = editor.workflow.name;
  useEffect(() => {
    const timer = setTimeout(() => {
      const all = props.session.check(workflows, stored);
      setFindings(all.filter((f) => f.workflow === undefined || f.workflow === shownName));
    }, VALIDATE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [workflows, shownName, stored, props.session]);

  // Drafts: unsaved edits are copied to Redis 200 ms after the last change, and on a hang-up
  // (see run-designer.tsx), which reads them from the reducer's state: it is updated as a key
  // is handled, before any render. A workflow edited back to its saved state loses its draft,
  // so the next open offers nothing stale.
  useEffect(
    () =>
      props.session.watchUnsaved(() =>
        screen.current().ws.docs.filter((d) => !d.readOnly && editorDirty(d)),
      ),
    [props.session, screen.current],
  );
  const drafted = useRef(new Set<string>());
  useEffect(() => {
    const now = new Set(edited.map((d) => d.workflow.name));
    for (const name of drafted.current)
      if (!now.has(name)) void props.session.dropDraft(name).catch(() => undefined);
    drafted.current = now;
    if (edited.length === 0) return;
    const timer = setTimeout(
      () => void props.session.flushDrafts(hostname()).catch(() => undefined),
      DRAFT_AFTER_MS,
    );
    return () => clearTimeout(timer);
  }, [edited, props.session]);

  // Sizes: the canvas keeps most of the screen; at 80 columns side panels are toggles.
  const sideOpen = ui.panels.inspector || ui.panels.palette;
  const sideWidth = sideOpen ? Math.min(SIDE_WIDTH, Math.floor(props.width / 2)) : 0;
  const canvasWidth =
    props.width - (sideOpen ? sideWidth : ui.mode.type === "palette" ? SIDE_WIDTH : 0);
  const modeLines =
    ui.mode.type === "prompt"
      ? PROMPT_LINES
      : ui.mode.type === "choice"
        ? CHOICE_LINES
        : ui.mode.type === "confirm"
          ? Math.min(12, wrapLines(ui.mode.text, props.width).length + 1)
          : 0;
  const mainHeight = Math.max(6, props.height - 4 - modeLines);
  const findingsHeight = ui.panels.findings
    ? Math.min(10, Math.max(4, findings.length + 3), Math.floor(mainHeight / 2))
    : 0;
  const canvasHeight = mainHeight - findingsHeight;
  const viewport = {
    width: Math.max(10, canvasWidth - 2),
    height: Math.max(3, canvasHeight - 3),
  };

  const savedHash =
    !ui.past && !dirty && current.baseVersion > 0 ? hashOf(current.workflow) : undefined;
  const layoutOptions = useMemo(
    () => ({ direction: ui.direction, density: ui.density }),
    [ui.direction, ui.density],
  );
  const { geometry, pending } = useGeometry(editor.workflow, layoutOptions, {
    service: props.layout,
    session: props.session,
    savedHash,
  });

  const env: DesignerEnv = {
    geometry,
    viewport,
    findings,
    canRun: props.onRun !== undefined,
    keyOf,
  };
  const run = (effect: DesignerEffect) =>
    runDesignerEffect(effect, { ...props, dispatch, refreshStored });
  screen.provide(env, run);

  // A workflow just shown scrolls its selected node into view once its positions arrive (the
  // first node may sit below the fold, e.g. under a saga's compensations).
  const shownFor = useRef<string | undefined>(undefined);
  const selectedNow = editor.selection?.type === "node" ? editor.selection.id : undefined;
  useEffect(() => {
    const doc = `${ui.ws.current}:${editor.workflow.name}:${ui.past ? "past" : ""}`;
    if (!geometry || !selectedNow || shownFor.current === doc) return;
    shownFor.current = doc;
    dispatch({ type: "reveal", id: selectedNow });
  }, [geometry, selectedNow, ui.ws.current, ui.past, editor.workflow.name, dispatch]);

  // A node selected before its position is known (one just added) is scrolled into view when
  // the layout that places it arrives.
  const reveal = useRef<string | undefined>(undefined);
  const lastSelected = useRef(selectedNow);
  if (selectedNow !== lastSelected.current) {
    lastSelected.current = selectedNow;
    reveal.current = selectedNow;
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on a new selection too (reveal.current follows it)
  useEffect(() => {
    const id = reveal.current;
    if (!geometry || !id || !boxOf(geometry, id)) return;
    reveal.current = undefined;
    dispatch({ type: "reveal", id });
  }, [geometry, selectedNow, dispatch]);

  useKeyHandler((command, typed) => dispatch({ type: "command", command, typed }), {
    active: props.active ?? true,
    context: () => designerContext(screen.current()),
  });
  const keyContext = designerContext(ui);

  const selectedId = editor.selection?.type === "node" ? editor.selection.id : undefined;
  const connectFrom = ui.connectFrom;
  const marked = useMemo(() => {
    const set = new Set(ui.hits);
    if (connectFrom) set.add(connectFrom);
    if (editor.selection?.type === "edge")
      for (const end of editor.selection.id.split("->")) set.add(end);
    return set;
  }, [ui.hits, connectFrom, editor.selection]);
  const viewX = ui.view.x;
  const viewY = ui.view.y;
  const viewWidth = viewport.width;
  const viewHeight = viewport.height;
  const rows = useMemo(
    () =>
      geometry
        ? rasterise(
            geometry,
            { x: viewX, y: viewY, width: viewWidth, height: viewHeight },
            {
              glyphs: look.glyphs,
              selected: selectedId,
              marked,
              edgeToken: (id) =>
                editor.selection?.type === "edge" && editor.selection.id === id
                  ? "node.selected"
                  : isUndoLink(id)
                    ? "edge.skipped"
                    : "edge.line",
            },
          )
        : [],
    [
      geometry,
      viewX,
      viewY,
      viewWidth,
      viewHeight,
      look.glyphs,
      selectedId,
      marked,
      editor.selection,
    ],
  );

  const canvasTitle = `${editor.readOnly ? "Read-only " : ""}Canvas${geometry ? ` · ${positionText(geometry, { ...ui.view, ...viewport })}` : ""}${pending ? " · laying out…" : ""}${connectFrom ? ` · connecting from ${connectFrom}` : ""}`;
  const status = statusLine(editor, findings, dirty);
  const overlay = ui.mode.type === "versions" || ui.mode.type === "text";

  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold color={look.colour("text.accent")} wrap="truncate">
        {breadcrumb(ui.ws)}
        {ui.ws.docs.length > 1 ? `  (${ui.ws.current + 1}/${ui.ws.docs.length}, [ ] switch)` : ""}
      </Text>
      <Box height={mainHeight}>
        <Box flexDirection="column" width={canvasWidth}>
          {ui.mode.type === "versions" ? (
            <VersionList
              name={ui.mode.name}
              versions={ui.mode.versions}
              cursor={ui.mode.cursor}
              height={mainHeight}
            />
          ) : ui.mode.type === "text" ? (
            <TextView
              title={ui.mode.title}
              lines={ui.mode.lines}
              scroll={ui.mode.scroll}
              height={mainHeight}
            />
          ) : (
            // The rasteriser cuts rows to the viewport: nothing here needs clipping.
            <Panel
              title={canvasTitle}
              focused={ui.focus === "canvas"}
              height={canvasHeight}
              clip={false}
            >
              {editor.workflow.nodes.length === 0 ? (
                <Text color={look.colour("text.secondary")}>
                  Empty workflow: press n to add the first node.
                </Text>
              ) : (
                <CanvasView rows={rows} />
              )}
            </Panel>
          )}
          {ui.panels.findings && !overlay ? (
            <FindingsPanel
              findings={findings}
              cursor={ui.findingCursor}
              focused={ui.focus === "findings"}
              height={findingsHeight}
            />
          ) : null}
        </Box>
        {sideOpen ? (
          <Box flexDirection="column" width={sideWidth} flexShrink={0}>
            {ui.panels.inspector ? (
              <Inspector
                editor={editor}
                cursor={ui.fieldCursor}
                focused={ui.focus === "inspector"}
                height={
                  ui.panels.palette || ui.mode.type === "palette" ? mainHeight - 10 : mainHeight
                }
                width={sideWidth}
              />
            ) : null}
            {ui.panels.palette || ui.mode.type === "palette" ? (
              <Palette
                cursor={ui.paletteCursor}
                focused={ui.focus === "palette" || ui.mode.type === "palette"}
                adding={ui.mode.type === "palette"}
              />
            ) : null}
          </Box>
        ) : ui.mode.type === "palette" ? (
          <Box width={SIDE_WIDTH} flexDirection="column" flexShrink={0}>
            <Palette cursor={ui.paletteCursor} focused adding />
          </Box>
        ) : null}
      </Box>
      {ui.mode.type === "prompt" ? (
        <Prompt
          width={props.width}
          key={`${ui.mode.prompt}-${ui.mode.label}`}
          label={ui.mode.label}
          initial={ui.mode.initial}
          hint={
            ui.mode.field?.hint
              ? `${ui.mode.field.hint} · ${keyOf("submit", "text")} sets · ${keyOf("back", "text")} cancels`
              : undefined
          }
          check={
            ui.mode.prompt === "rename"
              ? (t) => renameProblem(screen.current(), t)
              : ui.mode.prompt === "saveAs"
                ? workflowNameProblem
                : ui.mode.field
                  ? (t) =>
                      fieldProblem(
                        screen.current(),
                        ui.mode.type === "prompt" ? ui.mode.field! : ({} as never),
                        t,
                      )
                  : undefined
          }
          onSubmit={(text) => dispatch({ type: "submit", text })}
          onCancel={() => dispatch({ type: "cancelPrompt" })}
        />
      ) : null}
      {ui.mode.type === "confirm" ? (
        <Box flexDirection="column" height={modeLines}>
          {wrapLines(ui.mode.text, props.width)
            .slice(0, modeLines)
            .map((line, i) => (
              <Text
                // biome-ignore lint/suspicious/noArrayIndexKey: lines of one message, by position
                key={i}
                color={look.colour(i === 0 ? "finding.warning" : "text.primary")}
                wrap="truncate"
              >
                {line === "" ? " " : line}
              </Text>
            ))}
        </Box>
      ) : null}
      {ui.mode.type === "choice" ? (
        <ChoiceLine
          width={props.width}
          label={ui.mode.field.label}
          choices={(ui.mode.field.choices ?? []).map((c) => c || "(none)")}
          cursor={ui.mode.cursor}
          hint={`${keyOf("moveUp", "choice")}${keyOf("moveDown", "choice")} choose · ${keyOf("submit", "choice")} sets · ${keyOf("back", "choice")} cancels`}
        />
      ) : null}
      <Text
        color={look.colour(ui.message?.error ? "finding.error" : "text.secondary")}
        wrap="truncate"
      >
        {ui.mode.type === "busy" ? ui.mode.text : (ui.message?.text ?? " ")}
      </Text>
      <StatusBar text={status} width={props.width} />
      <Footer commands={FOOTERS[keyContext] ?? FOOTER} width={props.width} context={keyContext} />
    </Box>
  );
}
