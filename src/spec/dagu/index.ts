/** Reading Dagu's YAML (both dialects) into weft's native model. */
export {
  type Converted,
  convertDagu,
  type DaguContext,
  looksLikeDagu,
  type Origin,
  workflowNameFrom,
} from "./convert.js";
