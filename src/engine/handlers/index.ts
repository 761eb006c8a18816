/** Handlers registered by name: the `handler` field of a task or compensation node. */
import type { HandlerName } from "../../spec/index.js";
import { fail, noop, sleep } from "./basic.js";
import { http } from "./http.js";
import { moduleHandler } from "./module.js";
import { shell } from "./shell.js";

export { parseOutput } from "./shell.js";

import type { Handler } from "./types.js";

export const HANDLERS: Record<HandlerName, Handler> = {
  shell,
  http,
  module: moduleHandler,
  noop,
  sleep,
  fail,
};
export {
  graceOf,
  type Handler,
  type HandlerContext,
  HandlerError,
  StopRequest,
  sleepFor,
} from "./types.js";
