/**
 * The workflow list: every workflow in the store, filtered as you type (names, descriptions,
 * the file a workflow was imported from, the workflows it calls); open, new, import, delete.
 * It draws the state of its reducer (src/app/designer/list-screen.ts) and runs its effects.
 */
import { Box, Text } from "ink";
import { useEffect } from "react";
import {
  initialListState,
  type ListEffect,
  reduceList,
  shownRows,
} from "../../app/designer/list-screen.js";
import type { DesignerSession } from "../../app/designer/session.js";
import { WORKFLOW_NAME } from "../../spec/index.js";
import { cell } from "../components/cell.js";
import { Footer } from "../components/footer.js";
import { PROMPT_LINES, Prompt } from "../components/prompt.js";
import { useChoiceKeys, useKeyHandler, useKeyOf } from "../key-router.js";
import { useLook } from "../theme.js";
import { useScreen } from "../use-screen.js";

export interface ListProps {
  session: DesignerSession;
  width: number;
  height: number;
  cwd: string;
  notice?: string;
  onOpen(name: string): void;
  onNew(name: string): void;
  onHelp(): void;
  onQuit(): void;
  /** Start a run of the selected workflow (F5), list runs (F6). */
  onRun?(name: string): void;
  onRuns?(): void;
  active?: boolean;
}

export function ago(time: number, now: number): string {
  const s = Math.max(0, Math.round((now - time) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

export function WorkflowList(props: ListProps) {
  const look = useLook();
  const choiceKey = useChoiceKeys("prompt");
  const keyOf = useKeyOf();
  const screen = useScreen(reduceList, () => initialListState(props.notice));
  const { state, dispatch } = screen;
  const { rows, filter, cursor, mode, message } = state;
  const prompting = mode.type === "new" || mode.type === "import";
  const listHeight = Math.max(3, props.height - 4 - (prompting ? PROMPT_LINES : 2));
  const run = (effect: ListEffect) => {
    const failed = (cause: Error) => dispatch({ type: "failed", message: cause.message });
    switch (effect.type) {
      case "open":
        return props.onOpen(effect.name);
      case "create":
        return props.onNew(effect.name);
      case "run":
        return props.onRun?.(effect.name);
      case "runs":
        return props.onRuns?.();
      case "help":
        return props.onHelp();
      case "quit":
        return props.onQuit();
      case "reload":
        return void props.session.list().then(
          (listed) => dispatch({ type: "listed", rows: listed }),
          (cause: Error) => dispatch({ type: "failed", message: cause.message, listing: true }),
        );
      case "remove":
        return void props.session
          .remove(effect.name)
          .then(() => dispatch({ type: "deleted", name: effect.name }), failed);
      case "import":
        return void props.session
          .importFile(effect.path, props.cwd)
          .then((outcome) => dispatch({ type: "imported", path: effect.path, outcome }), failed);
    }
  };
  screen.provide({ pageSize: listHeight }, run);
  useEffect(() => dispatch({ type: "opened" }), [dispatch]);

  const shown = shownRows(state);
  const top = Math.max(0, Math.min(cursor - listHeight + 1, shown.length - listHeight));
  useKeyHandler((command, typed) => dispatch({ type: "command", command, typed }), {
    active: props.active ?? true,
    context: mode.type === "delete" ? "prompt" : "list",
  });

  const now = Date.now();
  const nameWidth = Math.max(12, Math.min(28, props.width - 60));
  const header = `${cell("NAME", nameWidth)} ${cell("VER", 4)} ${cell("NODES", 5)} ${cell("UPDATED", 8)} ${cell("BY", 10)} SOURCE`;
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold color={look.colour("text.accent")}>
        weft · workflows{rows ? ` (${shown.length}/${rows.length})` : ""}
      </Text>
      <Text>
        <Text color={look.colour("text.secondary")}>filter › </Text>
        {filter}
        <Text inverse> </Text>
      </Text>
      <Text color={look.colour("text.secondary")} wrap="truncate">
        {header}
      </Text>
      <Box flexDirection="column" height={listHeight}>
        {rows === undefined ? <Text>loading…</Text> : null}
        {rows !== undefined && shown.length === 0 ? (
          <Text color={look.colour("text.secondary")}>
            {rows.length === 0
              ? `No workflows yet: ${keyOf("newWorkflow", "list")} creates one, ${keyOf("importFile", "list")} imports a YAML file.`
              : `Nothing matches “${filter}”. ${keyOf("deleteBack", "list")} edits the filter, ${keyOf("back", "list")} clears it.`}
          </Text>
        ) : null}
        {shown.slice(top, top + listHeight).map((r, i) => {
          const isSelected = top + i === Math.min(cursor, shown.length - 1);
          const line = `${isSelected ? "›" : " "}${cell(r.name, nameWidth - 1)} ${cell(`v${r.version}`, 4)} ${cell(String(r.nodes), 5)} ${cell(ago(r.updated, now), 8)} ${cell(r.updatedBy, 10)} ${r.message}`;
          return (
            <Text
              key={r.name}
              inverse={isSelected}
              color={isSelected ? look.colour("node.selected") : undefined}
              wrap="truncate"
            >
              {line}
            </Text>
          );
        })}
      </Box>
      {mode.type === "new" ? (
        <Prompt
          width={props.width}
          label="New workflow name"
          check={(t) =>
            t === ""
              ? "type a name"
              : WORKFLOW_NAME.test(t)
                ? rows?.some((r) => r.name === t)
                  ? `\`${t}\` exists: open it instead`
                  : undefined
                : "lower case letters, digits and _ . - (start with a letter or digit)"
          }
          onSubmit={(name) => dispatch({ type: "submitNew", name })}
          onCancel={() => dispatch({ type: "closePrompt" })}
        />
      ) : null}
      {mode.type === "import" ? (
        <Prompt
          width={props.width}
          label="Import file"
          hint={`a .yaml file, relative to ${props.cwd} · ${keyOf("submit", "text")} imports · ${keyOf("back", "text")} cancels`}
          onCancel={() => dispatch({ type: "closePrompt" })}
          onSubmit={(path) => dispatch({ type: "submitImport", path })}
        />
      ) : null}
      {mode.type === "delete" ? (
        <Text color={look.colour("finding.warning")}>
          Delete {mode.name}? Its versions stay readable as {mode.name}@N. {choiceKey("yes")}{" "}
          deletes, any other key keeps it.
        </Text>
      ) : null}
      {message && mode.type === "browse" ? (
        <Text
          color={look.colour(message.error ? "finding.error" : "text.secondary")}
          wrap="truncate"
        >
          {message.text}
        </Text>
      ) : null}
      <Box flexGrow={1} />
      <Footer
        commands={[
          "inspect",
          "newWorkflow",
          "importFile",
          "deleteWorkflow",
          "run",
          "runs",
          "help",
          "back",
        ]}
        width={props.width}
        context="list"
      />
    </Box>
  );
}
