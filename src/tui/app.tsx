/**
 * The terminal application: the workflow list, the designer, the run screens (start form, runs
 * list, monitor, dead letters) and help, over one key router and one theme. `start` says what to open first:
 * the list, a stored workflow, a file, the runs or one run.
 */
import { Box, Text, useApp } from "ink";
import { useCallback, useEffect, useRef, useState } from "react";
import type { DesignerSession } from "../app/designer/session.js";
import { createWorkspace, type Workspace } from "../app/designer/workspace.js";
import type { RunSession } from "../app/runs/run-session.js";
import type { Context, Keymap } from "../config/index.js";
import { type Workflow, WorkflowSchema } from "../spec/index.js";
import type { LayoutService } from "./canvas/layout-service.js";
import { KeyRouter, useActiveContext } from "./key-router.js";
import { type RedisLink, RedisNoticeProvider } from "./redis-notice.js";
import { Designer, type DesignerProps } from "./screens/designer/designer.js";
import { Help } from "./screens/help.js";
import type { MonitorProps } from "./screens/monitor/monitor.js";
import { QuitDriving } from "./screens/quit-driving.js";
import { type RunScreen, RunScreens } from "./screens/run-screens.js";
import { WorkflowList } from "./screens/workflow-list.js";
import { type Look, LookContext } from "./theme.js";

export type Start =
  | { type: "list" }
  | { type: "runs"; workflow?: string }
  | { type: "run"; id: string }
  | { type: "workflow"; ref: string }
  | { type: "file"; path: string };

type Screen =
  | { type: "list"; notice?: string }
  | { type: "opening"; what: string }
  | { type: "designer"; workspace: Workspace; draft?: DesignerProps["draft"]; id: number };

export interface AppProps {
  session: DesignerSession;
  /** Runs: the list, the start form and the monitor (absent: the run keys say so). */
  runs?: RunSession;
  keymap: Keymap;
  look: Look;
  layout: LayoutService;
  start: Start;
  cwd: string;
  width: number;
  height: number;
  /** Passed to the run monitor (the benchmark's lag measurement). */
  onShown?: MonitorProps["onShown"];
  /** The connection's state: while it is down the status line says so. */
  redis?: RedisLink;
}

let opened = 0;

export function WeftApp(props: AppProps) {
  return (
    <LookContext.Provider value={props.look}>
      <KeyRouter keymap={props.keymap}>
        <RedisNoticeProvider link={props.redis}>
          <Screens {...props} />
        </RedisNoticeProvider>
      </KeyRouter>
    </LookContext.Provider>
  );
}

function Screens(props: AppProps) {
  const app = useApp();
  const [screen, setScreen] = useState<Screen>(
    props.start.type === "list"
      ? { type: "list" }
      : { type: "opening", what: describe(props.start) },
  );
  /** Help, open on the context whose keys it lists (the one that had the keys when it opened). */
  const [help, setHelp] = useState<Context>();
  const activeContext = useActiveContext();
  const [stack, setStack] = useState<RunScreen[]>(() =>
    props.start.type === "runs"
      ? [{ type: "runs", workflow: props.start.workflow }]
      : props.start.type === "run"
        ? [{ type: "monitor", id: props.start.id }]
        : [],
  );
  const [runNotice, setRunNotice] = useState<string>();
  const push = useCallback((s: RunScreen) => setStack((st) => [...st, s]), []);
  const depth = useRef(stack.length);
  depth.current = stack.length;
  const quitOrPop = useCallback(() => {
    // Opened straight on runs (`weft monitor`): going back from the first screen quits.
    if (depth.current === 1 && (props.start.type === "runs" || props.start.type === "run"))
      return app.exit();
    setStack((st) => st.slice(0, -1));
  }, [app, props.start.type]);
  const runs = props.runs;
  const startRun = useCallback(
    (ref: string) => {
      if (!runs) return;
      setRunNotice(undefined);
      push({ type: "form", ref });
    },
    [runs, push],
  );
  const showRuns = useCallback(
    (workflow?: string) => (runs ? push({ type: "runs", workflow }) : undefined),
    [runs, push],
  );

  const openWorkflow = useCallback(
    (ref: string) => {
      setScreen({ type: "opening", what: ref });
      props.session.openFamily(ref).then(
        ({ root, children }) => {
          const readOnly = root.stored.version !== root.stored.current;
          const workspace = createWorkspace("store", [
            { workflow: root.stored.workflow, version: root.stored.version, readOnly },
            ...children.map((c) => ({
              workflow: c.workflow,
              version: c.version,
              readOnly: c.version !== c.current,
            })),
          ]);
          setScreen({ type: "designer", workspace, draft: root.draft, id: ++opened });
        },
        (cause: Error) => setScreen({ type: "list", notice: cause.message }),
      );
    },
    [props.session],
  );

  const openFile = useCallback(
    (path: string) => {
      setScreen({ type: "opening", what: path });
      props.session.openFile(path, props.cwd).then(
        ({ workflows, findings }) => {
          if (workflows.length === 0) {
            const first = findings[0];
            return setScreen({
              type: "list",
              notice: `${path}: no workflow could be read${first ? ` (${first.line ? `line ${first.line}:${first.col}: ` : ""}${first.message})` : ""}`,
            });
          }
          setScreen({
            type: "designer",
            workspace: createWorkspace(path, workflows),
            id: ++opened,
          });
        },
        (cause: Error) => setScreen({ type: "list", notice: `${path}: ${cause.message}` }),
      );
    },
    [props.session, props.cwd],
  );

  const newWorkflow = useCallback((name: string) => {
    const workflow: Workflow = WorkflowSchema.parse({ name });
    setScreen({
      type: "designer",
      workspace: createWorkspace("store", [{ workflow, version: 0 }]),
      id: ++opened,
    });
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: opens what the command line named, once
  useEffect(() => {
    if (props.start.type === "workflow") openWorkflow(props.start.ref);
    else if (props.start.type === "file") openFile(props.start.path);
  }, []);

  // Quitting while this terminal drives runs asks first (see quit-driving.tsx).
  const [quitAsk, setQuitAsk] = useState<string[]>();
  const quit = useCallback(() => {
    const driven = runs?.drivenRuns() ?? [];
    if (driven.length === 0) return app.exit();
    setQuitAsk(driven);
  }, [app, runs]);
  const cancelDrivenAndQuit = useCallback(() => {
    const ids = quitAsk ?? [];
    setQuitAsk(undefined);
    void Promise.all(
      ids.map((id) => runs?.cancel(id, "cancelled on quitting the terminal that drove it")),
    )
      .catch(() => undefined)
      .finally(() => app.exit());
  }, [app, runs, quitAsk]);
  const showHelp = useCallback(() => setHelp(activeContext() ?? "list"), [activeContext]);
  const top = stack.at(-1);

  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      {quitAsk ? (
        <QuitDriving
          runs={quitAsk}
          width={props.width}
          onHandBack={() => app.exit()}
          onCancel={cancelDrivenAndQuit}
          onStay={() => setQuitAsk(undefined)}
        />
      ) : null}
      {help ? (
        <Help
          keymap={props.keymap}
          width={props.width}
          height={props.height}
          onClose={() => setHelp(undefined)}
          unavailable={(command) => props.session.commandRefusal(command)}
          context={help}
        />
      ) : null}
      {runs
        ? stack.map((entry, i) => (
            <Box
              // Screens of the stack by depth: going back shows the one below as it was left.
              // biome-ignore lint/suspicious/noArrayIndexKey: a stack entry's identity is its depth
              key={i}
              display={help || quitAsk || i !== stack.length - 1 ? "none" : "flex"}
              flexDirection="column"
            >
              <RunScreens
                top={entry}
                active={i === stack.length - 1}
                runs={runs}
                session={props.session}
                layout={props.layout}
                width={props.width}
                height={props.height}
                onShown={props.onShown}
                notice={runNotice}
                onStarted={(id, note) => {
                  setRunNotice(note);
                  setStack((st) => [...st.slice(0, -1), { type: "monitor", id }]);
                }}
                onOpenRun={(id) => push({ type: "monitor", id })}
                onRuns={showRuns}
                onDeadLetters={() => push({ type: "dlq" })}
                onBack={quitOrPop}
                onHelp={showHelp}
                onQuit={quit}
              />
            </Box>
          ))
        : null}
      <Box display={help || quitAsk || top ? "none" : "flex"} flexDirection="column">
        {screen.type === "list" ? (
          <WorkflowList
            session={props.session}
            width={props.width}
            height={props.height}
            cwd={props.cwd}
            notice={screen.notice}
            onOpen={openWorkflow}
            onNew={newWorkflow}
            onHelp={showHelp}
            onQuit={quit}
            onRun={runs ? startRun : undefined}
            onRuns={runs ? () => showRuns() : undefined}
            active={!top}
          />
        ) : screen.type === "opening" ? (
          <Text>opening {screen.what}…</Text>
        ) : (
          <Designer
            key={screen.id}
            session={props.session}
            layout={props.layout}
            workspace={screen.workspace}
            draft={screen.draft}
            width={props.width}
            height={props.height}
            cwd={props.cwd}
            onExit={() => setScreen({ type: "list" })}
            onHelp={showHelp}
            onQuit={quit}
            onRun={runs ? startRun : undefined}
            onRuns={runs ? showRuns : undefined}
            active={!top}
          />
        )}
      </Box>
    </Box>
  );
}

function describe(start: Start): string {
  return start.type === "workflow" ? start.ref : start.type === "file" ? start.path : "workflows";
}
