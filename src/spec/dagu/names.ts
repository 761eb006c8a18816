import { WORKFLOW_NAME } from "../model.js";

/** Dagu names allow capitals; weft's are lower case. */
export const workflowNameFrom = (name: string): string =>
  WORKFLOW_NAME.test(name)
    ? name
    : name
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, "-")
        .replace(/^[^a-z0-9]+/, "") || "workflow";
