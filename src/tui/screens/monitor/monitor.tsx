/**
 * The run monitor: the run's pinned workflow on the canvas, every node coloured, lettered and
 * badged by its live state, edges taken or skipped, a summary bar, node details with the log,
 * and the operator actions. It follows the run's event stream and redraws at most 30 times a
 * second however fast events arrive.
 */
import { Box, Text } from "ink";
import { useEffect, useMemo } from "react";
import type { DesignerSession } from "../../../app/designer/session.js";
import { findNodes } from "../../../app/editor/index.js";
import { reduceMonitor } from "../../../app/monitor/screen.js";
import {
  CANCEL_NOW_MARK,
  initialMonitorState,
  type MonitorEffect,
  type MonitorEnv,
  monitorContext,
  readCancelCode,
  retryChoices,
} from "../../../app/monitor/state.js";
import type { RunSession } from "../../../app/runs/run-session.js";
import { edgeState } from "../../../app/runs/run-state.js";
import type { Command } from "../../../config/index.js";
import { boxOf, positionText, rasterise } from "../../../layout/index.js";
import { runToken } from "../../../model/run-model.js";
import type { Workflow } from "../../../spec/index.js";
import { CanvasView } from "../../canvas/canvas-view.js";
import type { LayoutService } from "../../canvas/layout-service.js";
import { isUndoLink, useGeometry } from "../../canvas/use-geometry.js";
import { CHOICE_LINES, ChoiceLine } from "../../components/choice-line.js";
import { Footer } from "../../components/footer.js";
import { Panel } from "../../components/panel.js";
import { PROMPT_LINES, Prompt } from "../../components/prompt.js";
import { useKeyHandler, useKeyOf } from "../../key-router.js";
import { useLook } from "../../theme.js";
import { settle, useScreen } from "../../use-screen.js";
import { TextView } from "../designer/overlays.js";
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
  "runs",
  "openChild",
  "follow",
  "deadLetters",
  "back",
  "quit",
];

const CHOICE_FOOTER: Command[] = ["moveRight", "submit", "back"];

export function Monitor(props: MonitorProps) {
  const look = useLook();
  const keyOf = useKeyOf();
  const screen = useScreen(reduceMonitor, () => initialMonitorState(props.notice));
  const { state: ui, dispatch } = screen;
  const say = (text: string, error = false) => dispatch({ type: "say", text, error });
  const { view, live, failure, running, served } = useLiveRun(props.runs, props.id, {
    active: props.active ?? true,
    onShown: props.onShown,
  });
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

  const detailsOpen = ui.mode.type === "details";
  const side = detailsOpen && props.width >= WIDE;
  const sideWidth = side ? DETAILS_WIDTH : 0;
  const modeLines =
    ui.mode.type === "retry" || (ui.mode.type === "cancel" && ui.mode.step === "undo")
      ? CHOICE_LINES
      : ui.mode.type === "cancel" || ui.mode.type === "find"
        ? PROMPT_LINES
        : 0;
  const mainHeight = Math.max(6, props.height - 5 - modeLines);
  const viewport = {
    width: Math.max(10, props.width - sideWidth - 2),
    height: Math.max(3, mainHeight - 3),
  };

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

  const env: MonitorEnv = {
    id: props.id,
    workflow,
    nodesById,
    geometry,
    viewport,
    live,
    running,
    unserved: view?.unserved ?? [],
    detailsBeside: side,
    detailsVisible,
    detailLineCount: lines.length,
    refusal: (name) => props.runs.actions(live?.status ?? "").find((a) => a.name === name)?.reason,
    keyOf,
  };
  const run = (effect: MonitorEffect) => {
    switch (effect.type) {
      case "back":
        return props.onBack();
      case "quit":
        return props.onQuit();
      case "help":
        return props.onHelp();
      case "runsList":
        return props.onRuns();
      case "deadLetters":
        return props.onDeadLetters?.();
      case "openRun":
        return props.onOpenRun(effect.id);
      case "cancel":
        return settle(dispatch, props.runs.cancel(props.id, effect.reason, effect));
      case "retry":
        return settle(dispatch, props.runs.retry(props.id, effect.options));
      case "drive":
        return settle(
          dispatch,
          props.runs.drive(props.id).then(() => {
            served();
            return `driving run ${props.id} from this terminal until it ends or you leave`;
          }),
        );
    }
  };
  screen.provide(env, run);

  // The run's workflow arrived: select the first node of the flow.
  useEffect(() => {
    if (view) dispatch({ type: "opened" });
  }, [view, dispatch]);
  // Bring the selected node into view when positions arrive (provisional, then elk's or the
  // stored ones), until the operator moves around.
  useEffect(() => {
    if (geometry && ui.selected) dispatch({ type: "placed" });
  }, [geometry, ui.selected, dispatch]);
  // Following the log keeps its end in view (the reducer reads the line count from env).
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new line moves the end
  useEffect(() => {
    if (following) dispatch({ type: "followed" });
  }, [following, lines.length, detailsVisible, dispatch]);

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

  useKeyHandler((command) => dispatch({ type: "command", command }), {
    active: props.active ?? true,
    context: () => monitorContext(screen.current()),
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
      title={`Node ${detailsNode}${following ? " · following" : ""} · ${keyOf("follow", "details")} follows`}
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
          width={props.width}
          key="code"
          label={`Type ${last4} (the run id's end) to cancel it, ${last4}${CANCEL_NOW_MARK} to kill at once`}
          check={(t) =>
            t.split(CANCEL_NOW_MARK).join("").length >= 4 && !readCancelCode(t, last4).matches
              ? `that is not ${last4}`
              : undefined
          }
          onSubmit={(text) => dispatch({ type: "cancelCode", text })}
          onCancel={() => dispatch({ type: "closePrompt", quiet: true })}
        />
      ) : null}
      {ui.mode.type === "cancel" && ui.mode.step === "reason" ? (
        <Prompt
          width={props.width}
          key="reason"
          label="Reason (optional)"
          hint={
            live?.status === "compensating"
              ? `${enter} stops undoing: what is not undone yet stays done · ${esc} lets the undo go on`
              : ui.mode.now
                ? `${enter} cancels, killing its tasks at once (no grace) · ${esc} keeps it running`
                : `${enter} cancels (tasks get SIGTERM, then a grace) · ${esc} keeps it running`
          }
          onSubmit={(text) => dispatch({ type: "cancelReason", text })}
          onCancel={() => dispatch({ type: "closePrompt" })}
        />
      ) : null}
      {ui.mode.type === "cancel" && ui.mode.step === "undo" ? (
        <ChoiceLine
          width={props.width}
          label="Cancel"
          choices={["stop only", "stop and undo what succeeded"]}
          cursor={ui.mode.cursor}
          hint={`${sideways} ${keyOf("submit", "choice")} · ${keyOf("back", "choice")} keeps running`}
        />
      ) : null}
      {ui.mode.type === "find" ? (
        <Prompt
          width={props.width}
          label="Find node"
          check={(t) =>
            t === "" || findNodes(workflow, t).length > 0 ? undefined : `no node matches “${t}”`
          }
          onSubmit={(text) => dispatch({ type: "findNode", text })}
          onCancel={() => dispatch({ type: "closePrompt" })}
        />
      ) : null}
      {ui.mode.type === "retry" ? (
        <ChoiceLine
          width={props.width}
          label="Retry"
          choices={retryChoices(ui)}
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
