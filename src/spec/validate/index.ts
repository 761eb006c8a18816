/** The validator: every finding at once, never an exception. */
import type { Draft } from "../findings.js";
import type { Workflow } from "../model.js";
import { checkExpressions } from "./expressions.js";
import { gatherFacts, type ValidateContext } from "./facts.js";
import { checkFields } from "./fields.js";
import { checkFlow } from "./flow.js";
import { checkHandlerSafety } from "./handler-safety.js";
import { checkReferences } from "./references.js";
import { checkSchedule } from "./schedule.js";
import { checkStructure } from "./structure.js";

export type { ValidateContext } from "./facts.js";
export { parseWorkflowRef } from "./references.js";

export function validateWorkflow(workflow: Workflow, context: ValidateContext = {}): Draft[] {
  const facts = gatherFacts(workflow, context);
  return [
    ...checkStructure(facts),
    ...checkFlow(facts),
    ...checkFields(facts),
    ...checkReferences(facts),
    ...checkExpressions(facts),
    ...checkHandlerSafety(facts),
    ...checkSchedule(facts),
  ];
}
