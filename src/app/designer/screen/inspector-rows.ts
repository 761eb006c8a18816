/** The inspector's fields: of the selected node or edge, else of the workflow itself. */
import { edgeRows, type FieldRow, nodeRows, workflowRows } from "../../editor/field-list.js";
import type { EditorState } from "../../editor/index.js";

/** The rows the inspector shows for the selection (the workflow's own fields when none). */
export function inspectorRows(editor: EditorState): { title: string; rows: FieldRow[] } {
  const wf = editor.workflow;
  const sel = editor.selection;
  if (sel?.type === "node") {
    const node = wf.nodes.find((n) => n.id === sel.id);
    if (node) return { title: `Node ${node.id}`, rows: nodeRows(node) };
  }
  if (sel?.type === "edge") {
    const edge = wf.edges.find((e) => `${e.from}->${e.to}` === sel.id);
    if (edge)
      return {
        title: `Edge ${edge.from} → ${edge.to}`,
        rows: edgeRows(
          edge,
          wf.nodes.find((n) => n.id === edge.from),
        ),
      };
  }
  return { title: `Workflow ${wf.name}`, rows: workflowRows(wf) };
}
