/**
 * The designer application: the workflow list, the designer and help, over one key router and
 * one theme. `start` says what to open first: the list, a stored workflow or a file.
 */
import { Box, Text, useApp } from "ink";
import { useCallback, useEffect, useState } from "react";
import type { DesignerSession } from "../app/designer/session.js";
import { createWorkspace, type Workspace } from "../app/designer/workspace.js";
import type { Keymap } from "../config/index.js";
import { type Workflow, WorkflowSchema } from "../spec/index.js";
import type { LayoutService } from "./canvas/layout-service.js";
import { KeyRouter } from "./key-router.js";
import { Designer, type DesignerProps } from "./screens/designer/designer.js";
import { Help } from "./screens/help.js";
import { WorkflowList } from "./screens/workflow-list.js";
import { type Look, LookContext } from "./theme.js";

export type Start =
  | { type: "list" }
  | { type: "workflow"; ref: string }
  | { type: "file"; path: string };

type Screen =
  | { type: "list"; notice?: string }
  | { type: "opening"; what: string }
  | { type: "designer"; workspace: Workspace; draft?: DesignerProps["draft"]; id: number };

export interface AppProps {
  session: DesignerSession;
  keymap: Keymap;
  look: Look;
  layout: LayoutService;
  start: Start;
  cwd: string;
  width: number;
  height: number;
}

let opened = 0;

export function WeftApp(props: AppProps) {
  return (
    <LookContext.Provider value={props.look}>
      <KeyRouter keymap={props.keymap}>
        <Screens {...props} />
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
  const [help, setHelp] = useState(false);

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

  const quit = useCallback(() => app.exit(), [app]);
  const showHelp = useCallback(() => setHelp(true), []);

  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      {help ? (
        <Help
          keymap={props.keymap}
          width={props.width}
          height={props.height}
          onClose={() => setHelp(false)}
        />
      ) : null}
      <Box display={help ? "none" : "flex"} flexDirection="column">
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
          />
        )}
      </Box>
    </Box>
  );
}

function describe(start: Start): string {
  return start.type === "workflow" ? start.ref : start.type === "file" ? start.path : "workflows";
}
