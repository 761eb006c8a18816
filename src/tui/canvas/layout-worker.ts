/**
 * Entry of the layout worker thread: runs elk on each request it is sent and posts the geometry
 * back. Started by layout-service.ts; elk's seconds of work on big graphs happen here, never in
 * the thread that reads keys.
 */
import { parentPort } from "node:worker_threads";
import {
  type CellGeometry,
  type LayoutInput,
  type LayoutOptions,
  layoutWithElk,
} from "../../layout/index.js";

export interface LayoutRequest {
  id: number;
  input: LayoutInput;
  options: LayoutOptions;
}

export type LayoutReply = { id: number; geometry: CellGeometry } | { id: number; error: string };

parentPort?.on("message", async (request: LayoutRequest) => {
  let reply: LayoutReply;
  try {
    reply = { id: request.id, geometry: await layoutWithElk(request.input, request.options) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
