/** Names, ids, edges that point nowhere, duplicates, and parameter declarations. */
import { escapeControl } from "../escape.js";
import { type Draft, error, warning } from "../findings.js";
import {
  edgeId,
  MAX_NAME_LENGTH,
  NODE_ID,
  PARAMETER_NAME,
  type Parameter,
  WORKFLOW_NAME,
} from "../model.js";
import { isReservedName, reservedNameReason } from "../reserved.js";
import { slugify } from "../slug.js";
import { didYouMean } from "../suggest.js";
import type { Facts } from "./facts.js";

export function checkStructure(f: Facts): Draft[] {
  const out: Draft[] = [];
  const wf = f.workflow;
  if (wf.name.length > MAX_NAME_LENGTH) {
    out.push(
      error(
        "E_NAME_TOO_LONG",
        ["name"],
        `workflow name \`${shown(wf.name)}\` is ${wf.name.length} characters long; the limit is ${MAX_NAME_LENGTH}`,
        { hint: "use a shorter name and keep the long text as `description`" },
      ),
    );
  } else if (!WORKFLOW_NAME.test(wf.name)) {
    out.push(
      error("E_BAD_NAME", ["name"], `workflow name \`${shown(wf.name)}\` is not valid`, {
        hint: `names use lower-case letters, digits, \`_ . -\` and start with a letter or digit: try \`${shown(slugify(wf.name))}\``,
      }),
    );
  }
  if (wf.nodes.length === 0) {
    out.push(
      // Accepted, as Dagu loads a file with no steps (a base configuration, a schedule, handlers
      // only): it is kept, and a run of it is refused with the same words.
      warning("W_NO_NODES", ["nodes"], "the workflow has no nodes: there is nothing to run", {
        hint: "add at least one node under `nodes:` (Dagu: `steps:`)",
      }),
    );
  }
  const seen = new Map<string, number>();
  wf.nodes.forEach((node, index) => {
    if (node.id.length > MAX_NAME_LENGTH) {
      out.push(
        error(
          "E_ID_TOO_LONG",
          ["nodes", index, "id"],
          `node id \`${shown(node.id)}\` is ${node.id.length} characters long; the limit is ${MAX_NAME_LENGTH}`,
          { nodeId: node.id, hint: "use a shorter id and keep the long text as `name`" },
        ),
      );
    } else if (!NODE_ID.test(node.id)) {
      out.push(
        error("E_BAD_ID", ["nodes", index, "id"], `node id \`${shown(node.id)}\` is not valid`, {
          nodeId: node.id,
          hint: `ids use lower-case letters, digits, \`_\` and \`-\`: try \`${shown(slugify(node.id))}\` and keep the text as \`name\``,
        }),
      );
    }
    const first = seen.get(node.id);
    if (first !== undefined) {
      out.push(
        error(
          "E_DUPLICATE_ID",
          ["nodes", index, "id"],
          `node id \`${shown(node.id)}\` is used twice (first by node ${first + 1})`,
          {
            nodeId: node.id,
            hint: "give each node its own id",
          },
        ),
      );
    } else seen.set(node.id, index);
  });
  const edgesSeen = new Set<string>();
  wf.edges.forEach((edge, index) => {
    const id = edgeId(edge);
    for (const end of ["from", "to"] as const) {
      if (f.byId.has(edge[end])) continue;
      out.push(
        error(
          "E_DANGLING_EDGE",
          ["edges", index, end],
          `edge ${shown(id)} points at \`${shown(edge[end])}\`, which is not a node`,
          {
            edgeId: id,
            hint: didYouMean(edge[end], f.byId.keys()) ?? "add the node or remove the edge",
          },
        ),
      );
    }
    if (edgesSeen.has(id)) {
      out.push(
        error("E_DUPLICATE_EDGE", ["edges", index], `edge ${shown(id)} is declared twice`, {
          edgeId: id,
          hint: "remove one of them",
        }),
      );
    }
    edgesSeen.add(id);
  });
  for (const [name, parameter] of Object.entries(wf.parameters))
    out.push(...checkParameter(name, parameter));
  return out;
}

function checkParameter(name: string, p: Parameter): Draft[] {
  const path = ["parameters", name];
  const out: Draft[] = [];
  if (isReservedName(name)) {
    out.push(
      error("E_RESERVED_PARAMETER", path, `\`${name}\` ${reservedNameReason}`, {
        atKey: true,
        hint: "rename the parameter",
      }),
    );
  } else if (!PARAMETER_NAME.test(name)) {
    out.push(
      error("E_BAD_PARAMETER", path, `parameter name \`${shown(name)}\` is not valid`, {
        atKey: true,
        hint: "parameter names are identifiers (letters, digits, `_`), read in expressions as `params.<name>`",
      }),
    );
  }
  if (p.type === "enum" && (!p.enum || p.enum.length === 0)) {
    out.push(
      error(
        "E_BAD_PARAMETER",
        [...path, "type"],
        `parameter \`${name}\` is an enum without values`,
        { hint: "list the allowed values under `enum:`" },
      ),
    );
  }
  if (
    p.enum &&
    p.type !== "enum" &&
    p.type !== "string" &&
    p.type !== "number" &&
    p.type !== "integer"
  ) {
    out.push(
      error(
        "E_BAD_PARAMETER",
        [...path, "enum"],
        `\`enum\` values do not fit a parameter of type ${p.type}`,
      ),
    );
  }
  if (p.default !== undefined) {
    const problem = valueProblem(p, p.default);
    if (problem)
      out.push(error("E_BAD_DEFAULT", [...path, "default"], `default of \`${name}\` ${problem}`));
    if (p.required) {
      out.push(
        warning(
          "W_REQUIRED_WITH_DEFAULT",
          [...path, "required"],
          `parameter \`${name}\` is required but has a default, so it is never missing`,
          { hint: "drop `required: true` or the default" },
        ),
      );
    }
  }
  return out;
}

/** Someone's name or id as a message shows it: control characters escaped, a long one cut. */
export function shown(text: string): string {
  const escaped = escapeControl(text);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}…` : escaped;
}

/** Why `value` does not fit the parameter, or undefined when it does (also used by templates). */
export function valueProblem(
  p: Pick<Parameter, "type" | "enum">,
  value: unknown,
): string | undefined {
  const type = p.type;
  const ok =
    (type === "string" && typeof value === "string") ||
    (type === "number" && typeof value === "number" && Number.isFinite(value)) ||
    (type === "integer" && Number.isInteger(value)) ||
    (type === "boolean" && typeof value === "boolean") ||
    (type === "object" && value !== null && typeof value === "object" && !Array.isArray(value)) ||
    (type === "array" && Array.isArray(value)) ||
    type === "enum";
  if (!ok)
    return `must be ${type === "integer" ? "an integer" : type === "object" ? "a mapping" : type === "array" ? "a list" : `a ${type}`}, not ${JSON.stringify(value)}`;
  if (p.enum && !p.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    return `must be one of ${p.enum.map((v) => JSON.stringify(v)).join(", ")}, not ${JSON.stringify(value)}`;
  }
  return undefined;
}
