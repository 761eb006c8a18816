import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { canonicalJson, canonicalJsonWith, canonicalStringify } from "../../src/spec/canonical.js";
import {
  loadWorkflowBytes,
  loadWorkflowText,
  stableStringify,
  toNativeYaml,
} from "../../src/spec/index.js";
import { readYamlDocuments, readYamlFast } from "../../src/spec/source.js";

/** A random valid DAG: nodes n0..nk of several kinds, edges only from lower to higher index. */
const dagArbitrary = fc
  .record({
    size: fc.integer({ min: 1, max: 25 }),
    pairs: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }),
    kinds: fc.array(fc.constantFrom("noop", "shell", "sleep", "parallel", "sub"), {
      minLength: 25,
      maxLength: 25,
    }),
    description: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    retries: fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), {
      minLength: 25,
      maxLength: 25,
    }),
    // Arbitrary text, but never `${`, which would be a (correctly reported) template.
    words: fc.array(
      fc.string({ minLength: 1, maxLength: 12 }).map((w) => w.replaceAll("${", "$ {")),
      { minLength: 25, maxLength: 25 },
    ),
  })
  .map(({ size, pairs, kinds, description, retries, words }) => {
    const nodes = Array.from({ length: size }, (_, i) => {
      const id = `n${i}`;
      const kind = kinds[i]!;
      if (kind === "parallel") return { id, kind: "parallel" };
      if (kind === "sub")
        return { id, kind: "subworkflow", workflow: "child", params: { word: words[i] } };
      const node: Record<string, unknown> = { id, kind: "task", handler: kind, name: words[i] };
      if (kind === "shell") node.with = { command: ["echo", words[i]] };
      if (kind === "sleep") node.with = { duration: `${i + 1}s` };
      if (retries[i] !== undefined) node.retries = { max: retries[i] };
      return node;
    });
    const seen = new Set<string>();
    const edges = pairs
      .map(([a, b]) => [a % size, b % size] as const)
      .filter(([a, b]) => a < b)
      .map(([a, b]) => ({ from: `n${a}`, to: `n${b}` }))
      .filter((e) => !seen.has(`${e.from}>${e.to}`) && seen.add(`${e.from}>${e.to}`));
    return { name: "random", ...(description ? { description } : {}), nodes, edges };
  });

const child =
  "---\nname: child\nparameters: { word: { type: string } }\nnodes: [{ id: c, kind: task, handler: noop }]\n";
const asYaml = (spec: object) => `${JSON.stringify(spec)}\n${child}`;

describe("canonical form and content hash", () => {
  it("round-trips random DAGs through YAML with the same hash", () => {
    fc.assert(
      fc.property(dagArbitrary, (spec) => {
        const first = loadWorkflowText(asYaml(spec), "random.yaml");
        const errors = first.findings.filter((f) => f.severity === "error");
        if (errors.length > 0) throw new Error(JSON.stringify(errors));
        const written = toNativeYaml(first.workflows.map((w) => w.workflow));
        const second = loadWorkflowText(written, "written.yaml");
        expect(second.findings.filter((f) => f.severity === "error")).toEqual([]);
        expect(second.workflows.map((w) => w.hash)).toEqual(first.workflows.map((w) => w.hash));
        expect(toNativeYaml(second.workflows.map((w) => w.workflow))).toBe(written);
      }),
      { numRuns: 60 },
    );
  });

  it("ignores key order, node order, edge order, whitespace and comments", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.integer(), (spec, seed) => {
        const shuffle = <T>(items: T[]) =>
          items
            .map((v, i) => ({ v, k: Math.sin(seed + i) }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.v);
        const reorder = (o: unknown): unknown => {
          if (Array.isArray(o)) return o.map(reorder);
          if (o && typeof o === "object")
            return Object.fromEntries(shuffle(Object.entries(o)).map(([k, v]) => [k, reorder(v)]));
          return o;
        };
        const shuffled = reorder({
          ...spec,
          nodes: shuffle(spec.nodes),
          edges: shuffle(spec.edges),
        }) as object;
        const pretty = `# a comment\n${parseDocument(JSON.stringify(shuffled)).toString({ indent: 4 })}${child}`;
        const a = loadWorkflowText(asYaml(spec), "a.yaml").workflows[0]!.hash;
        const b = loadWorkflowText(pretty, "b.yaml").workflows[0]!.hash;
        return a === b;
      }),
      { numRuns: 60 },
    );
  });

  it("changes when anything that affects a run changes", () => {
    const base =
      "name: x\nnodes: [{id: a, kind: task, handler: shell, with: {command: [echo, hi]}}]\n";
    const hash = (text: string) => loadWorkflowText(text, "x.yaml").workflows[0]!.hash;
    expect(hash(base)).not.toBe(hash(base.replace("hi", "ho")));
    expect(hash(base)).not.toBe(
      hash(base.replace("handler: shell", "handler: shell, timeout: 5s")),
    );
    expect(hash(base)).toBe(hash(base.replace("[echo, hi]", '["echo", "hi"]')));
  });

  it("turns any random bytes into findings, never an exception", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const r = loadWorkflowBytes(bytes, "fuzz.yaml");
        return (
          Array.isArray(r.findings) &&
          r.findings.every((f) => typeof f.line === "number" && f.code.length > 0)
        );
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."ab:-[]{}&*!|>'\"#\n\t %@`,?0"), maxLength: 200 }),
        (text) => {
          const r = loadWorkflowText(text, "fuzz.yaml");
          return Array.isArray(r.findings);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the canonical writer", () => {
  it("writes the same canonical JSON from nodes and edges written one by one (the designer's dirty check)", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.string({ maxLength: 6 }), (spec, key) => {
        const { workflows } = loadWorkflowText(asYaml(spec), "random.yaml");
        for (const { workflow } of workflows) {
          // Integer-like and odd keys in a handler's arguments take the slow writer's path.
          const odd = workflow.nodes.map((n, i) =>
            i === 0 && n.kind === "task" ? { ...n, with: { ...n.with, [key]: 1, "10": [key] } } : n,
          );
          for (const w of [
            workflow,
            { ...workflow, nodes: odd.reverse(), edges: [...workflow.edges].reverse() },
          ])
            expect(canonicalJsonWith(w, canonicalStringify)).toBe(canonicalJson(w));
        }
      }),
      { numRuns: 100 },
    );
  });

  it("writes exactly what the reference serialiser writes, integer-like keys included", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 5 }),
        fc.dictionary(fc.constantFrom("2", "10", "a", "B", "0", "01", "__proto__"), fc.integer()),
        (value, odd) => {
          expect(canonicalStringify(value)).toBe(stableStringify(value));
          expect(canonicalStringify({ value, odd })).toBe(stableStringify({ value, odd }));
        },
      ),
      { numRuns: 400 },
    );
    expect(canonicalStringify({ b: 1, a: [undefined, Number.NaN], c: undefined })).toBe(
      '{"a":[null,null],"b":1}',
    );
  });
});

describe("the fast reader", () => {
  it("reads the same values as the yaml package whenever it takes a file", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (values, flow) => {
          const text = values
            .map((v) => stringify(v, { collectionStyle: flow ? "flow" : "block" }))
            .join("---\n");
          const fast = readYamlFast(text);
          if (!fast) return true;
          const full = readYamlDocuments(text);
          expect(full.problems).toEqual([]);
          // -0 and 0 are one number to a spec (canonical JSON writes both as 0); js-yaml
          // reads "-0" as 0 where the yaml package keeps the sign.
          const plain = (docs: { value: unknown }[]) =>
            docs.map((d) => JSON.parse(JSON.stringify(d.value) ?? "null"));
          expect(plain(fast.documents)).toEqual(plain(full.documents));
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it("leaves anchors, aliases and tags to the yaml package", () => {
    expect(readYamlFast("a: &x 1\nb: *x\n")).toBeUndefined();
    expect(readYamlFast("a: !!str 1\n")).toBeUndefined();
    expect(readYamlFast("a: [*x]\n")).toBeUndefined();
    expect(readYamlFast("name: plain\ncmd: a && b\n")).toBeDefined();
    expect(readYamlFast("name: x\n---\n---\nname: y\n")).toBeUndefined();
  });
});
