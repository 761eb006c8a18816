/**
 * The run monitor: the run's pinned workflow on the canvas, every node coloured, lettered and
 * badged by its live state, edges taken or skipped, a summary bar, node details with the log,
 * and the operator actions. It follows the run's event stream and redraws at most 30 times a
 * second however fast events arrive.
 */
import { Box, Text } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DesignerSession } from "../../../app/designer/session.js";
import { findNodes } from "../../../app/editor/index.js";
import type { RunSession } from "../../../app/runs/run-session.js";
import { edgeState } from "../../../app/runs/run-state.js";
import type { Command } from "../../../config/index.js";
import { boxOf, centreOn, positionText, rasterise, scrollToShow } from "../../../layout/index.js";
import { runToken } from "../../../model/run-model.js";
import type { Workflow } from "../../../spec/index.js";
import { CanvasView } from "../../canvas/canvas-view.js";
import type { LayoutService } from "../../canvas/layout-service.js";
import { isUndoLink, useGeometry } from "../../canvas/use-geometry.js";
import { ChoiceLine } from "../../components/choice-line.js";
import { Footer } from "../../components/footer.js";
import { Panel } from "../../components/panel.js";
import { Prompt } from "../../components/prompt.js";
import { useKeyHandler, useKeyOf } from "../../key-router.js";
import { useLook } from "../../theme.js";
import { TextView } from "../designer/overlays.js";
import {
  CANCEL_NOW_MARK,
  handleMonitorKey,
  type MonitorKeyContext,
  monitorContext,
  readCancelCode,
  type Ui,
} from "./monitor-keys.js";
import { detailLines, nodeBadge, nodeToken, summaryText } from "./monitor-view.js";
import { useLiveRun, useNodeDetails } from "./use-live-run.js";

export interface MonitorProps {
  runs: RunSession;
  designer: DesignerSession;
  layout: LayoutService;
  id: string;
  width: number;
  height: number;
  active?: boolean;
  /** A first message, e.g. what started the run. */
  notice?: string;
  onBack(): void;
  onOpenRun(id: string): void;
  onRuns(): void;
  /** Opens the dead letters (`D`). */
  onDeadLetters?(): void;
  onHelp(): void;
  onQuit(): void;
  /** After a frame that shows node changes: the changes' event times (the benchmark's lag). */
  onShown?(eventTimes: number[]): void;
}

const WIDE = 110;
const DETAILS_WIDTH = 52;
const EMPTY: Workflow = {
  name: "",
  parameters: {},
  defaults: {},
  limits: {},
  metadata: {},
  nodes: [],
  edges: [],
};

/** The monitor's footer, most useful first (help, back and quit are kept at any width). */
export const MONITOR_FOOTER: Command[] = [
  "help",
  "inspect",
  "cancelRun",
  "retryRun",
  "openChild",
  "follow",
  "runs",
  "deadLetters",
  "back",
  "quit",
];

const CHOICE_FOOTER: Command[] = ["moveRight", "submit", "back"];

export function Monitor(props: MonitorProps) {
  const look = useLook();
  const keyOf = useKeyOf();
  const [ui, setUiState] = useState<Ui>({
    view: { x: 0, y: 0 },
    direction: "down",
    density: "full",
    mode: { type: "none" },
    ...(props.notice ? { message: { error: false, text: props.notice } } : {}),
  });
  const uiRef = useRef(ui);
  const setUi = useCallback((change: (u: Ui) => Ui) => {
    uiRef.current = change(uiRef.current);
    setUiState(uiRef.current);
  }, []);
  const say = useCallback(
    (text: string, error = false) => setUi((u) => ({ ...u, message: { error, text } })),
    [setUi],
  );

  const { view, live, failure, running, served } = useLiveRun(props.runs, props.id, {
    active: props.active ?? true,
    onShown: props.onShown,
  });
  // First, the first node of the flow (compensations stand aside until a saga needs them).
  useEffect(() => {
    if (!view) return;
    const first =
      view.workflow.nodes.find((n) => n.kind !== "compensation") ?? view.workflow.nodes[0];
    setUi((u) => ({ ...u, selected: u.selected ?? first?.id }));
  }, [view, setUi]);

  const workflow = view?.workflow ?? EMPTY;
  const layoutOptions = useMemo(
    () => ({ direction: ui.direction, density: ui.density }),
    [ui.direction, ui.density],
  );
  const { geometry } = useGeometry(workflow, layoutOptions, {
    service: props.layout,
    session: props.designer,
    savedHash: view?.fields.hash,
  });

  // Bring the selected node into view when positions arrive (provisional, then elk's or the
  // stored ones), until the operator moves around.
  const placedFor = useRef<unknown>(undefined);
  const moved = useRef(false);
  useEffect(() => {
    if (moved.current || !geometry || !ui.selected || placedFor.current === geometry) return;
    placedFor.current = geometry;
    const at = scrollToShow(geometry, ui.selected, {
      ...uiRef.current.view,
      ...viewportRef.current,
    });
    setUi((u) => ({ ...u, view: at }));
  }, [geometry, ui.selected, setUi]);

  const detailsOpen = ui.mode.type === "details";
  const side = detailsOpen && props.width >= WIDE;
  const sideWidth = side ? DETAILS_WIDTH : 0;
  const modeLines =
    ui.mode.type === "cancel" || ui.mode.type === "find" ? 2 : ui.mode.type === "retry" ? 1 : 0;
  const mainHeight = Math.max(6, props.height - 5 - modeLines);
  const viewport = {
    width: Math.max(10, props.width - sideWidth - 2),
    height: Math.max(3, mainHeight - 3),
  };
  const viewportRef = useRef(viewport);
  viewportRef.current = viewport;

  const detailsNode = ui.mode.type === "details" ? ui.mode.node : undefined;
  const following = ui.mode.type === "details" && ui.mode.follow;
  const nodeState = detailsNode ? live?.nodes.get(detailsNode) : undefined;
  const details = useNodeDetails(
    props.runs,
    props.id,
    detailsNode,
    nodeState ? `${nodeState.status}-${nodeState.attempt}` : "",
    following,
    (message) => say(message, true),
  );

  const now = Date.now();
  const nodesById = useMemo(() => new Map(workflow.nodes.map((n) => [n.id, n])), [workflow]);
  // Both are drawn anew each frame (live states and the clock move): a viewport's worth of
  // cells, about a millisecond.
  const lines =
    details && detailsNode
      ? detailLines(details, nodesById.get(detailsNode), nodeState, now, following)
      : [];
  const detailsVisible = Math.max(1, mainHeight - 3);

  // Following the log keeps its end in view.
  useEffect(() => {
    if (!following) return;
    setUi((u) =>
      u.mode.type === "details"
        ? { ...u, mode: { ...u.mode, scroll: Math.max(0, lines.length - detailsVisible) } }
        : u,
    );
  }, [following, lines.length, detailsVisible, setUi]);

  const rows = (() => {
    if (!geometry || !live) return [];
    return rasterise(
      geometry,
      { ...ui.view, ...viewport },
      {
        glyphs: look.glyphs,
        selected: ui.selected,
        nodeToken: (id) => nodeToken(live.nodes.get(id)),
        nodeBadge: (id) =>
          nodeBadge(live.nodes.get(id), now, look.glyphs, (boxOf(geometry, id)?.width ?? 8) - 4),
        edgeToken: (id) => {
          // An undo link lights up once its compensation has run.
          if (isUndoLink(id))
            return live.nodes.get(id.split("~>")[1]!) ? "edge.taken" : "edge.skipped";
          const [from, to] = id.split("->");
          const s = edgeState(live, from!, to!);
          return s === "taken" ? "edge.taken" : s === "skipped" ? "edge.skipped" : "edge.line";
        },
      },
    );
  })();

  const select = (id: string | undefined, centre = false) => {
    if (!id || !geometry) return;
    moved.current = true;
    setUi((u) => ({
      ...u,
      selected: id,
      view: centre
        ? centreOn(geometry, id, viewport)
        : scrollToShow(geometry, id, { ...u.view, ...viewport }),
      mode: u.mode.type === "details" ? { ...u.mode, node: id, scroll: 0 } : u.mode,
    }));
  };

  const act = (what: Promise<string>, busy: string) => {
    setUi((u) => ({ ...u, mode: { type: "busy", text: busy } }));
    what.then(
      (text) => setUi((u) => ({ ...u, mode: { type: "none" }, message: { error: false, text } })),
      (cause: Error) =>
        setUi((u) => ({
          ...u,
          mode: { type: "none" },
          message: { error: true, text: cause.message },
        })),
    );
  };

  const hasSaga = workflow.nodes.some((n) => n.kind === "task" && n.compensation !== undefined);
  const retryChoices = [
    "failed and unfinished nodes",
    `from ${ui.selected ?? "the selected node"}`,
    "from scratch",
  ];

  const context: MonitorKeyContext = {
    id: props.id,
    runs: props.runs,
    ui: () => uiRef.current,
    update: setUi,
    say,
    act,
    select,
    served,
    workflow,
    nodesById,
    geometry,
    live,
    running,
    unserved: view?.unserved ?? [],
    detailsBeside: side,
    detailsVisible,
    detailLineCount: () => lines.length,
    back: props.onBack,
    quit: props.onQuit,
    help: props.onHelp,
    runsList: props.onRuns,
    deadLetters: () => props.onDeadLetters?.(),
    openRun: props.onOpenRun,
    keyOf,
  };
  useKeyHandler((command) => handleMonitorKey(context, command), {
    active: props.active ?? true,
    context: () => monitorContext(uiRef.current),
  });

  if (failure && !view)
    return (
      <Box flexDirection="column" width={props.width} height={props.height}>
        <Text color={look.colour("finding.error")}>{failure}</Text>
        <Text color={look.colour("text.secondary")}>{keyOf("back", "monitor")} goes back</Text>
      </Box>
    );
  if (!view || !live) return <Text>opening run {props.id}…</Text>;

  const f = view.fields;
  const last4 = props.id.slice(-4);
  const [enter, esc] = [keyOf("submit", "text"), keyOf("back", "text")];
  const sideways = `${keyOf("moveLeft", "choice")}${keyOf("moveRight", "choice")}`;
  const header = `Run ${props.id} · ${f.workflow}@${f.version} ${String(f.hash ?? "").slice(0, 8)} · by ${f.who ?? "?"}${f.parent ? ` · child of ${f.parent}` : ""}`;
  const warning =
    failure ??
    (view.unserved.length > 0 && running
      ? `no worker serves queue ${view.unserved.join(", ")}: ${keyOf("run", "monitor")} drives the run from here, or start \`weft worker${view.unserved.some((q) => q !== "default") ? ` --queues ${view.unserved.join(",")}` : ""}\``
      : props.runs.isDriven(props.id) && running
        ? "driven by this terminal (no worker was serving its queues)"
        : undefined);
  const summary = `${summaryText(live, now)}${f.reason && !running ? ` · ${f.reason}` : ""}`;
  const canvasTitle = `Canvas${geometry ? ` · ${positionText(geometry, { ...ui.view, ...viewport })}` : ""}`;
  const detailsPanel = detailsOpen ? (
    <TextView
      title={`Node ${detailsNode}${following ? " · following" : ""} · L follows`}
      lines={lines.length > 0 ? lines : ["reading…"]}
      scroll={ui.mode.type === "details" ? ui.mode.scroll : 0}
      height={mainHeight}
    />
  ) : null;

  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold color={look.colour("text.accent")} wrap="truncate">
        {header}
      </Text>
      <Box height={mainHeight}>
        {detailsOpen && !side ? (
          <Box flexDirection="column" width={props.width}>
            {detailsPanel}
          </Box>
        ) : (
          <Box flexDirection="column" width={props.width - sideWidth}>
            {/* The rasteriser cuts rows to the viewport: nothing here needs clipping. */}
            <Panel title={canvasTitle} focused={!detailsOpen} height={mainHeight} clip={false}>
              <CanvasView rows={rows} />
            </Panel>
          </Box>
        )}
        {side ? (
          <Box flexDirection="column" width={sideWidth} flexShrink={0}>
            {detailsPanel}
          </Box>
        ) : null}
      </Box>
      {ui.mode.type === "cancel" && ui.mode.step === "code" ? (
        <Prompt
          key="code"
          label={`Type ${last4} (the run id's end) to cancel it, ${last4}${CANCEL_NOW_MARK} to kill at once`}
          check={(t) =>
            t.split(CANCEL_NOW_MARK).join("").length >= 4 && !readCancelCode(t, last4).matches
              ? `that is not ${last4}`
              : undefined
          }
          onSubmit={(t) => {
            const { matches, now } = readCancelCode(t, last4);
            return matches
              ? setUi((x) => ({ ...x, mode: { type: "cancel", step: "reason", now } }))
              : say(`type ${last4} to cancel, or ${keyOf("back", "text")}`, true);
          }}
          onCancel={() => setUi((x) => ({ ...x, mode: { type: "none" }, message: undefined }))}
        />
      ) : null}
      {ui.mode.type === "cancel" && ui.mode.step === "reason" ? (
        <Prompt
          key="reason"
          label="Reason (optional)"
          hint={
            live?.status === "compensating"
              ? `${enter} stops undoing: what is not undone yet stays done · ${esc} lets the undo go on`
              : ui.mode.now
                ? `${enter} cancels, killing its tasks at once (no grace) · ${esc} keeps it running`
                : `${enter} cancels (tasks get SIGTERM, then a grace) · ${esc} keeps it running`
          }
          onSubmit={(t) => {
            const now = ui.mode.type === "cancel" && ui.mode.now === true;
            // A saga's run asks once more: stop only, or also undo what succeeded.
            if (hasSaga && live?.status !== "compensating")
              return setUi((x) => ({
                ...x,
                mode: { type: "cancel", step: "undo", now, reason: t.trim(), cursor: 0 },
              }));
            act(props.runs.cancel(props.id, t.trim(), { now }), "cancelling…");
          }}
          onCancel={() => setUi((x) => ({ ...x, mode: { type: "none" } }))}
        />
      ) : null}
      {ui.mode.type === "cancel" && ui.mode.step === "undo" ? (
        <ChoiceLine
          label="Cancel"
          choices={["stop only", "stop and undo what succeeded"]}
          cursor={ui.mode.cursor}
          hint={`${sideways} ${keyOf("submit", "choice")} · ${keyOf("back", "choice")} keeps running`}
        />
      ) : null}
      {ui.mode.type === "find" ? (
        <Prompt
          label="Find node"
          check={(t) =>
            t === "" || findNodes(workflow, t).length > 0 ? undefined : `no node matches “${t}”`
          }
          onSubmit={(t) => {
            setUi((x) => ({ ...x, mode: { type: "none" } }));
            select(findNodes(workflow, t)[0], true);
          }}
          onCancel={() => setUi((x) => ({ ...x, mode: { type: "none" } }))}
        />
      ) : null}
      {ui.mode.type === "retry" ? (
        <ChoiceLine
          label="Retry"
          choices={retryChoices}
          cursor={ui.mode.cursor}
          hint={`${sideways} choose · ${keyOf("submit", "choice")} retries · ${keyOf("back", "choice")}`}
        />
      ) : null}
      <Text
        color={look.colour(
          ui.message?.error ? "finding.error" : warning ? "finding.warning" : "text.secondary",
        )}
        wrap="truncate"
      >
        {ui.mode.type === "busy" ? ui.mode.text : (ui.message?.text ?? warning ?? " ")}
      </Text>
      <Text
        bold
        color={look.colour(runToken(live.status))}
        backgroundColor={look.colour("ui.statusBar")}
        wrap="truncate"
      >
        {summary.padEnd(props.width)}
      </Text>
      <Footer
        commands={monitorContext(ui) === "choice" ? CHOICE_FOOTER : MONITOR_FOOTER}
        width={props.width}
        context={monitorContext(ui)}
      />
    </Box>
  );
}
