/**
 * The panels around the canvas: inspector, palette, validator findings and the status bar. Each
 * is memoised: a key press re-renders only the panels whose input it changed.
 */
import { Box, Text } from "ink";
import { memo } from "react";
import { inspectorRows } from "../../../app/designer/screen/inspector-rows.js";
import { PALETTE } from "../../../app/designer/screen/state.js";
import { displayValue } from "../../../app/editor/field-list.js";
import type { EditorState } from "../../../app/editor/index.js";
import type { Finding } from "../../../spec/index.js";
import { Panel } from "../../components/panel.js";
import { useChoiceKeys, useKeyOf } from "../../key-router.js";
import { useLook } from "../../theme.js";

interface InspectorProps {
  editor: EditorState;
  cursor: number;
  focused: boolean;
  height: number;
  width: number;
}

/** Only the workflow and the selection of the editor are drawn: other changes (undo history, notices) skip it. */
export const Inspector = memo(
  InspectorPanel,
  (a, b) =>
    a.editor.workflow === b.editor.workflow &&
    a.editor.selection === b.editor.selection &&
    a.cursor === b.cursor &&
    a.focused === b.focused &&
    a.height === b.height &&
    a.width === b.width,
);

function InspectorPanel(props: InspectorProps) {
  const look = useLook();
  const { title, rows } = inspectorRows(props.editor);
  const visible = Math.max(1, props.height - 3);
  const cursor = Math.min(props.cursor, rows.length - 1);
  const top = Math.max(0, Math.min(cursor - Math.floor(visible / 2), rows.length - visible));
  // One space always parts a label from its value; a label too long for the column is cut.
  const labelWidth = Math.min(24, Math.max(...rows.map((r) => r.label.length)) + 1);
  const label = (text: string) =>
    text.length < labelWidth ? text.padEnd(labelWidth) : `${text.slice(0, labelWidth - 2)}… `;
  return (
    <Panel title={`Properties · ${title}`} focused={props.focused} height={props.height}>
      {rows.slice(top, top + visible).map((r, i) => {
        const selected = props.focused && top + i === cursor;
        return (
          <Text key={r.path.join(".")} inverse={selected} wrap="truncate">
            <Text color={look.colour("text.secondary")}>
              {selected ? "›" : " "}
              {label(r.label)}
            </Text>
            {displayValue(r)}
          </Text>
        );
      })}
    </Panel>
  );
}

export const Palette = memo(function Palette(props: {
  cursor: number;
  focused: boolean;
  adding: boolean;
}) {
  const look = useLook();
  // The palette's keys as the keymap binds them, so a remapped letter shows as remapped.
  const key = useChoiceKeys("palette");
  return (
    <Panel
      title={props.adding ? `Add node · letter or ${key("inspect")}` : "Node palette"}
      focused={props.focused}
    >
      {PALETTE.map((p, i) => (
        <Text key={p.kind} inverse={props.focused && i === props.cursor} wrap="truncate">
          <Text color={look.colour(`node.${kindToken(p.kind)}`)}>[{key(p.command)}]</Text> {p.label}
        </Text>
      ))}
    </Panel>
  );
});

export const kindToken = (kind: string) =>
  kind === "exclusive" || kind === "parallel" || kind === "decision" ? "gateway" : kind;

export const FindingsPanel = memo(function FindingsPanel(props: {
  findings: Finding[];
  cursor: number;
  focused: boolean;
  height: number;
}) {
  const look = useLook();
  const keyOf = useKeyOf();
  const visible = Math.max(1, props.height - 3);
  const cursor = Math.min(props.cursor, props.findings.length - 1);
  const top = Math.max(0, Math.min(cursor - visible + 1, props.findings.length - visible));
  return (
    <Panel
      title={`Validator · ${props.findings.length === 0 ? "no findings" : `${props.findings.length} finding(s) · ${keyOf("inspect", "findings")} jumps to it`}`}
      focused={props.focused}
      height={props.height}
    >
      {props.findings.slice(top, top + visible).map((f, i) => {
        const where = f.nodeId
          ? `node ${f.nodeId}`
          : f.edgeId
            ? `edge ${f.edgeId}`
            : f.path || "workflow";
        const selected = props.focused && top + i === cursor;
        return (
          <Text
            key={`${f.code}-${f.path}-${f.nodeId ?? f.edgeId ?? ""}-${f.message}`}
            inverse={selected}
            wrap="truncate"
          >
            <Text color={look.colour(f.severity === "error" ? "finding.error" : "finding.warning")}>
              {f.severity === "error" ? "E" : "W"} {f.code}
            </Text>{" "}
            {where}: {f.message}
            {f.hint ? ` (${f.hint})` : ""}
          </Text>
        );
      })}
    </Panel>
  );
});

export function statusLine(editor: EditorState, findings: Finding[], dirty: boolean): string {
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  const verdict =
    errors > 0
      ? `${errors} error${errors === 1 ? "" : "s"}`
      : warnings > 0
        ? `Valid ✓ (${warnings} warning${warnings === 1 ? "" : "s"})`
        : "Valid ✓";
  const wf = editor.workflow;
  const version =
    editor.baseVersion === 0
      ? "new"
      : `v${editor.baseVersion}${editor.readOnly ? " (read-only)" : ""}`;
  return `${verdict} · Nodes ${wf.nodes.length} · Edges ${wf.edges.length} · ${version}${dirty ? " (unsaved)" : ""}`;
}

export const StatusBar = memo(function StatusBar(props: {
  text: string;
  message?: { error: boolean; text: string };
  width: number;
}) {
  const look = useLook();
  const room = Math.max(0, props.width - props.text.length - 3);
  const message = props.message ? props.message.text.slice(0, room) : "";
  return (
    <Box width={props.width}>
      <Text bold wrap="truncate">
        {props.text}
      </Text>
      {message ? (
        <Text
          color={look.colour(props.message?.error ? "finding.error" : "text.secondary")}
          wrap="truncate"
        >
          {" · "}
          {message}
        </Text>
      ) : null}
    </Box>
  );
});
