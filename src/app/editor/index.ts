/** The designer's editor: a pure reducer over a workflow, with undo/redo, used by the TUI. */
export type { EditResult, Selection } from "./edits.js";
export type { FieldPath } from "./fields.js";
export { findNodes } from "./find.js";
export {
  canRedo,
  canUndo,
  createEditor,
  type EditorCommand,
  type EditorState,
  isDirty,
  reduce,
} from "./reducer.js";
