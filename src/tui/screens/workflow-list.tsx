/**
 * The workflow list: every workflow in the store, filtered as you type (names, descriptions,
 * the file a workflow was imported from, the workflows it calls); open, new, import, delete.
 */
import { Box, Text } from "ink";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { DesignerSession, WorkflowRow } from "../../app/designer/session.js";
import { WORKFLOW_NAME } from "../../spec/index.js";
import { cell } from "../components/cell.js";
import { Footer } from "../components/footer.js";
import { Prompt } from "../components/prompt.js";
import { useChoiceKeys, useKeyHandler, useKeyOf } from "../key-router.js";
import { useLook } from "../theme.js";

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

type Mode =
  | { type: "browse" }
  | { type: "new" }
  | { type: "import" }
  | { type: "delete"; name: string };

export function matches(row: WorkflowRow, filter: string): boolean {
  if (filter === "") return true;
  const needle = filter.toLowerCase();
  return [row.name, row.description, row.message, ...row.calls].some((s) =>
    s.toLowerCase().includes(needle),
  );
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
  const [rows, setRows] = useState<WorkflowRow[] | undefined>();
  const [filter, setFilter] = useState("");
  const [cursor, setCursor] = useState(0);
  const [mode, setMode] = useState<Mode>({ type: "browse" });
  const [message, setMessage] = useState<{ error: boolean; text: string } | undefined>(
    props.notice ? { error: false, text: props.notice } : undefined,
  );

  const reload = useCallback(async () => {
    try {
      setRows(await props.session.list());
    } catch (cause) {
      setMessage({ error: true, text: (cause as Error).message });
      setRows([]);
    }
  }, [props.session]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const shown = useMemo(() => (rows ?? []).filter((r) => matches(r, filter)), [rows, filter]);
  const selected = shown[Math.min(cursor, shown.length - 1)];
  const listHeight = Math.max(3, props.height - 6);
  const top = Math.max(0, Math.min(cursor - listHeight + 1, shown.length - listHeight));

  useKeyHandler(
    (command, typed) => {
      if (mode.type === "new" || mode.type === "import") return; // the prompt has the keys
      if (mode.type === "delete") {
        if (command === "yes") {
          const name = mode.name;
          setMode({ type: "browse" });
          props.session.remove(name).then(
            () => {
              setMessage({ error: false, text: `deleted ${name} (its versions are kept)` });
              void reload();
            },
            (cause: Error) => setMessage({ error: true, text: cause.message }),
          );
        } else {
          setMode({ type: "browse" });
          setMessage({ error: false, text: "not deleted" });
        }
        return;
      }
      if (typed !== undefined) {
        setFilter((f) => f + typed);
        setCursor(0);
        return;
      }
      switch (command) {
        case "moveDown":
          return setCursor((c) => Math.min(c + 1, Math.max(shown.length - 1, 0)));
        case "moveUp":
          return setCursor((c) => Math.max(c - 1, 0));
        case "pageDown":
          return setCursor((c) => Math.min(c + listHeight, shown.length - 1));
        case "pageUp":
          return setCursor((c) => Math.max(c - listHeight, 0));
        case "deleteBack":
          setFilter((f) => f.slice(0, -1));
          return setCursor(0);
        case "clearLine":
          setFilter("");
          return setCursor(0);
        case "inspect":
          if (selected) props.onOpen(selected.name);
          return;
        case "newWorkflow":
          return setMode({ type: "new" });
        case "importFile":
          return setMode({ type: "import" });
        case "deleteWorkflow":
          if (selected) setMode({ type: "delete", name: selected.name });
          return;
        case "run":
          if (selected) props.onRun?.(selected.name);
          return;
        case "runs":
          return props.onRuns?.();
        case "help":
          return props.onHelp();
        case "back":
          if (filter !== "") return setFilter("");
          return props.onQuit();
        case "quit":
          return props.onQuit();
        default:
          return;
      }
    },
    { active: props.active ?? true, context: mode.type === "delete" ? "prompt" : "list" },
  );

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
          onSubmit={(t) => {
            setMode({ type: "browse" });
            props.onNew(t);
          }}
          onCancel={() => setMode({ type: "browse" })}
        />
      ) : null}
      {mode.type === "import" ? (
        <Prompt
          label="Import file"
          hint={`a .yaml file, relative to ${props.cwd} · ${keyOf("submit", "text")} imports · ${keyOf("back", "text")} cancels`}
          onCancel={() => setMode({ type: "browse" })}
          onSubmit={(path) => {
            setMode({ type: "browse" });
            props.session.importFile(path, props.cwd).then(
              (outcome) => {
                if (outcome.ok) {
                  setMessage({
                    error: false,
                    text: `imported ${outcome.saved.map((s) => `${s.name}@${s.version}${s.created ? "" : " (unchanged)"}`).join(", ")}`,
                  });
                  void reload();
                } else {
                  const first = outcome.findings.find((f) => f.severity === "error");
                  setMessage({
                    error: true,
                    text: `${path}: not imported: ${first ? `${first.line ? `line ${first.line}:${first.col} ` : ""}${first.message}` : "no workflows in the file"}${outcome.findings.length > 1 ? ` (+${outcome.findings.length - 1} more; \`weft validate ${path}\` lists all)` : ""}`,
                  });
                }
              },
              (cause: Error) => setMessage({ error: true, text: cause.message }),
            );
          }}
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
