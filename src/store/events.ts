/**
 * A run's event stream: each transition script appends one entry, "t" (ms) and then, per node
 * change, "node" id "status" s and any extra fields (attempt, worker, error, due, ...). A run
 * event has node "" and status "run:<status>". The kinds and their decoder are the run model's.
 */
export { entryEvents, type RunEvent } from "../model/run-model.js";
