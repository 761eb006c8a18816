/**
 * Colour themes as data (themes/*.json): semantic tokens such as `status.failed`, never raw
 * colours in components. A token is an Ink colour name or `#rrggbb`, or null for "no colour".
 */
import { z } from "zod";
import { NODE_STATES as RUN_MODEL_NODE_STATES } from "../model/run-model.js";

const colour = z
  .string()
  .regex(
    /^(#[0-9a-fA-F]{6}|[a-z]+(Bright)?)$/,
    "a colour is `#rrggbb` or an Ink colour name such as `cyan`",
  )
  .nullable();
const group = <K extends string>(keys: readonly K[]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, colour])) as Record<K, typeof colour>);

/** A colour per node state of the run model. */
export const NODE_STATES = RUN_MODEL_NODE_STATES;

export const ThemeSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  text: group(["primary", "secondary", "accent", "inverse"]),
  node: group([
    "border",
    "selected",
    "label",
    "task",
    "gateway",
    "delay",
    "compensation",
    "subworkflow",
  ]),
  edge: group(["line", "taken", "skipped", "label"]),
  status: group(NODE_STATES),
  finding: group(["error", "warning"]),
  ui: group(["border", "focusBorder", "statusBar", "footer"]),
});

export type Theme = z.output<typeof ThemeSchema>;
