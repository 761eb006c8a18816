import { describe, expect, it } from "vitest";
import type { Workflow } from "../../src/spec/index.js";
import { codes, errors, find, load } from "../support/spec.js";

const edges = (w: Workflow) =>
  w.edges.map((e) => `${e.from}>${e.to}${e.condition === undefined ? "" : `:${e.condition}`}`);
const only = (r: ReturnType<typeof load>, i = 0) => r.workflows[i]!.workflow;

describe("Dagu shorthand", () => {
  it("turns steps into shell tasks, names into slug ids, and depends into edges", () => {
    const r = load(`
      name: nightly
      type: graph
      steps:
        - name: Fetch Files
          command: curl -O https://example.com/a.csv
        - name: load
          command: ./load.sh
          depends: Fetch Files
          output: ROWS
    `);
    expect(errors(r)).toEqual([]);
    const w = only(r);
    expect(w.nodes.map((n) => [n.id, n.name])).toEqual([
      ["fetch-files", "Fetch Files"],
      ["load", undefined],
    ]);
    expect(w.nodes[0]).toMatchObject({
      kind: "task",
      handler: "shell",
      with: { command: "curl -O https://example.com/a.csv", shell: true },
    });
    expect(w.nodes[1]).toMatchObject({ output: "ROWS" });
    expect(edges(w)).toEqual(["fetch-files>load"]);
    expect(r.workflows[0]!.format).toBe("dagu");
  });

  it("chains steps without depends in a chain file, honouring depends: [] and explicit depends", () => {
    const r = load(`
      name: c
      type: chain
      steps:
        - { name: one, command: a }
        - { name: two, command: b }
        - { name: three, command: c, depends: [] }
        - { name: four, command: d }
        - { name: five, command: e, depends: [one] }
    `);
    expect(edges(only(r))).toEqual(["one>two", "three>four", "one>five", "four>five"]);
  });

  it("runs steps without depends at once in a graph file", () => {
    const r = load(
      "type: graph\nsteps:\n  - { name: a, command: x }\n  - { name: b, command: y }\n",
    );
    expect(edges(only(r))).toEqual([]);
  });

  it("defaults to chain for files in the older camelCase style and to graph for snake_case ones", () => {
    const camel = load(
      "steps:\n  - { name: a, command: x }\n  - { name: b, command: y, continueOn: { failure: true } }\n",
    );
    expect(edges(only(camel))).toEqual(["a>b"]);
    const snake = load(
      "steps:\n  - { name: a, command: x }\n  - { name: b, command: y, continue_on: { failure: true } }\n",
    );
    expect(edges(only(snake))).toEqual([]);
    expect(only(snake).nodes[1]).toMatchObject({ continueOnFailure: true });
  });

  it("explains a cycle that Dagu's implicit chain creates", () => {
    const r = load(`
      steps:
        - { name: a, command: x, depends: [c] }
        - { name: b, command: y }
        - { name: c, command: z }
    `);
    expect(codes(r)).toEqual(["W_DAGU_IMPLICIT_CHAIN", "E_CYCLE"]);
  });

  it("generates names for unnamed and bare-string steps, skipping taken ones", () => {
    const r = load(`
      type: graph
      steps:
        - ./setup.sh
        - name: cmd_3
          command: make
        - script: echo hi
        - call: other
    `);
    expect(only(r).nodes.map((n) => n.id)).toEqual(["cmd_1", "cmd_3", "script_3", "dag_4"]);
  });

  it("reads steps written as a map of name to step, without chaining", () => {
    const r = load(
      "steps:\n  first:\n    command: a\n  second:\n    command: b\n    depends: first\n",
    );
    expect(only(r).nodes.map((n) => n.id)).toEqual(["first", "second"]);
    expect(edges(only(r))).toEqual(["first>second"]);
  });

  it("reads a nested list as a parallel group in a chain", () => {
    const r = load(
      "type: chain\nsteps:\n  - { name: prep, command: a }\n  - [{ name: x, command: b }, { name: y, command: c }]\n  - { name: done, command: d }\n",
    );
    expect(edges(only(r))).toEqual(["prep>x", "prep>y", "x>done", "y>done"]);
  });

  it("rejects duplicate names, duplicate ids, and an id that is another step's name", () => {
    expect(
      codes(load("steps:\n  - { name: a, command: x }\n  - { name: a, command: y }\n")),
    ).toEqual(["E_DUPLICATE_STEP"]);
    expect(
      codes(
        load("steps:\n  - { name: a, id: k, command: x }\n  - { name: b, id: k, command: y }\n"),
      ),
    ).toEqual(["E_DUPLICATE_STEP_ID"]);
    expect(
      codes(load("steps:\n  - { name: deploy, command: x }\n  - { id: deploy, command: y }\n")),
    ).toEqual(["E_DUPLICATE_STEP"]);
  });

  it("resolves depends by id as well as by name, and reports unknown ones with a hint", () => {
    const r = load(
      "type: graph\nsteps:\n  - { name: Build It, id: build, command: make }\n  - { name: test, command: t, depends: build }\n  - { name: ship, command: s, depends: tset }\n",
    );
    expect(edges(only(r))).toEqual(["build>test"]);
    expect(find(r, "E_DAGU_DEPENDS")).toMatchObject({ line: 5, hint: "did you mean `test`?" });
  });

  it("rejects a step with nothing to run, an unknown key and an unknown type", () => {
    const r = load("type: grahp\nsteps:\n  - name: idle\n  - { name: b, comand: x }\n");
    expect(codes(r).sort()).toEqual([
      "E_DAGU_NOTHING_TO_RUN",
      "E_DAGU_NOTHING_TO_RUN",
      "E_DAGU_TYPE",
      "E_UNKNOWN_KEY",
    ]);
    expect(find(r, "E_DAGU_TYPE").hint).toBe("did you mean `graph`?");
    expect(find(r, "E_UNKNOWN_KEY")).toMatchObject({ line: 4, hint: "did you mean `command`?" });
  });

  it("rejects a schedule that is not a five-field cron expression", () => {
    const r = load('schedule: "5"\nsteps:\n  - { name: a, command: x }\n');
    expect(find(r, "E_CRON")).toMatchObject({ line: 1, col: 11 });
    const ok = load(
      'schedule: { start: ["0 1 * * *"], stop: "0 2 * * 1-5" }\nsteps:\n  - { name: a, command: x }\n',
    );
    expect(errors(ok)).toEqual([]);
    expect(only(ok).schedule).toEqual(["0 1 * * *"]);
    expect(only(ok).metadata.schedule).toEqual({ stop: "0 2 * * 1-5" });
    const plain = load(
      'schedule: ["0 1 * * *", "CRON_TZ=Asia/Tokyo 30 9 * * 1-5"]\nsteps:\n  - { name: a, command: x }\n',
    );
    expect(only(plain).schedule).toEqual(["0 1 * * *", "CRON_TZ=Asia/Tokyo 30 9 * * 1-5"]);
    expect(errors(plain)).toEqual([]);
    // A zone that does not exist is an error at its line.
    const zone = load(
      'schedule: "CRON_TZ=Mars/Olympus 0 1 * * *"\nsteps:\n  - { name: a, command: x }\n',
    );
    expect(find(zone, "E_CRON")).toMatchObject({ line: 1 });
  });

  it("warns about fields weft does not carry out and keeps them in metadata", () => {
    const r = load(`
      name: m
      mailOn: { failure: true }
      steps:
        - { name: a, command: x, signalOnStop: SIGINT }
    `);
    expect(r.findings.map((f) => [f.code, f.line])).toEqual([
      ["W_DAGU_UNSUPPORTED", 2],
      ["W_DAGU_UNSUPPORTED", 4],
    ]);
    expect(only(r).metadata.dagu).toEqual({
      mailOn: { failure: true },
      steps: { a: { signalOnStop: "SIGINT" } },
    });
  });

  it("turns params, env and ${VAR} references into parameters, defaults and expressions", () => {
    const r = load(`
      params: "MODE=fast TARGET"
      env:
        - LOG_DIR: /tmp/logs
      type: graph
      steps:
        - name: count
          command: wc -l \${TARGET} > \${LOG_DIR}/n
          output: COUNT
        - name: report
          command: echo "$COUNT lines in $MODE mode, \${COUNT.total}"
          depends: count
    `);
    expect(errors(r)).toEqual([]);
    const w = only(r);
    expect(w.parameters).toEqual({
      MODE: { type: "string", required: false, default: "fast" },
      TARGET: { type: "string", required: true },
    });
    expect(w.defaults.env).toEqual({ LOG_DIR: "/tmp/logs" });
    expect(w.nodes[0]!.kind === "task" && w.nodes[0]!.with.command).toBe(
      "wc -l ${params.TARGET} > $${LOG_DIR}/n",
    );
    expect(w.nodes[1]!.kind === "task" && w.nodes[1]!.with.command).toBe(
      'echo "${nodes.count.output} lines in ${params.MODE} mode, ${nodes.count.output.total}"',
    );
  });

  it("maps retryPolicy and continueOn in both spellings", () => {
    const camel = load(
      "steps:\n  - name: a\n    command: x\n    retryPolicy: { limit: 3, intervalSec: 5, backoff: true, maxIntervalSec: 60 }\n",
    );
    const snake = load(
      "steps:\n  - name: a\n    command: x\n    retry_policy: { limit: 3, interval_sec: 5, backoff: 2.0, max_interval_sec: 60 }\n",
    );
    expect(only(camel).nodes[0]).toMatchObject({
      retries: { max: 3, initial: "5s", backoff: "exponential", factor: 2, maxDelay: "60s" },
    });
    expect(only(snake).nodes[0]).toEqual(only(camel).nodes[0]);
  });

  it("maps continueOn's exitCode, output and markSuccess, in every form Dagu reads", () => {
    const r = load(`
      steps:
        - name: a
          command: x
          continueOn: { exitCode: [1, "3"], output: [WARN, 're:^partial \\d+$'], markSuccess: true }
        - name: b
          command: y
          continue_on: { exit_code: 2, output: done }
        - name: c
          command: z
          continueOn: { failed: true, exitCode: 4, markSuccess: true }
        - name: d
          command: w
          continueOn: FAILED
        - name: e
          command: v
          continueOn:
    `);
    expect(r.findings).toEqual([]);
    const [a, b, c, d] = only(r).nodes;
    expect(a).toMatchObject({
      continueOnFailure: false,
      continueOn: { codes: [1, 3], output: ["WARN", "re:^partial \\d+$"], markSuccess: true },
    });
    expect(b).toMatchObject({ continueOn: { codes: [2], output: ["done"], markSuccess: false } });
    // Going on past every failure, the codes change nothing: only markSuccess is kept.
    expect(c).toMatchObject({
      continueOnFailure: true,
      continueOn: { codes: [], markSuccess: true },
    });
    expect(d).toMatchObject({ continueOnFailure: true });
    expect(d).not.toHaveProperty("continueOn");
    expect(only(r).nodes[4]).toMatchObject({ continueOnFailure: false });
  });

  it("says where a continueOn value is wrong, and what a step calling a workflow ignores", () => {
    const r = load(`
      steps:
        - { name: a, command: x, continueOn: { exitCode: [one] } }
        - { name: b, command: x, continueOn: { markSuccess: "yes" } }
        - { name: c, command: x, continueOn: { output: "re:(" } }
        - { name: d, call: child, continueOn: { exitCode: 1 } }
        - { name: e, command: x, continueOn: sometimes }
    `);
    expect(r.findings.map((f) => [f.code, f.line, f.message])).toEqual([
      ["E_TYPE", 2, 'exit code `"one"` is not an integer'],
      ["E_TYPE", 3, "`markSuccess` must be true or false"],
      ["E_PATTERN", 4, "`re:(`: /(/: Unterminated group"],
      ["W_SUBWORKFLOW_UNKNOWN", 5, expect.stringContaining("`child` is not in this file")],
      [
        "W_DAGU_UNSUPPORTED",
        5,
        "continueOn `exitCode` applies to commands; a step that calls a workflow only takes `failure`",
      ],
      ["E_TYPE", 6, "`continueOn: sometimes` is neither `failed` nor `skipped`"],
    ]);
  });

  it("turns preconditions into a decision in front of the step", () => {
    const r = load(`
      params: [ENV=dev]
      type: graph
      steps:
        - name: deploy
          command: ./deploy.sh
          preconditions:
            - condition: "\${ENV}"
              expected: "re:^(dev|staging)$"
    `);
    const w = only(r);
    expect(w.nodes.map((n) => `${n.kind}:${n.id}`)).toEqual([
      "decision:deploy-precondition",
      "task:deploy",
    ]);
    expect(w.nodes[0]).toMatchObject({
      condition: 'string(params.ENV).matches("^(dev|staging)$")',
    });
    expect(edges(w)).toEqual(["deploy-precondition>deploy:true"]);
    expect(codes(r)).toEqual(["W_DECISION_NO_FALSE_BRANCH"]);
  });

  it("runs a command precondition as a check task the decision reads, never at load time", () => {
    const r = load(
      "type: graph\nsteps:\n  - name: a\n    command: x\n    precondition: test -f /tmp/ready\n",
    );
    const w = only(r);
    expect(w.nodes.map((n) => n.id)).toEqual(["a-check", "a-precondition", "a"]);
    expect(w.nodes[0]).toMatchObject({
      handler: "shell",
      continueOnFailure: true,
      with: { command: "test -f /tmp/ready", shell: true },
    });
    expect(w.nodes[1]).toMatchObject({ condition: 'nodes["a-check"].status == "succeeded"' });
  });

  it("reads multi-document files by Dagu's rules: later documents need unique names", () => {
    const r = load(
      `
      steps:
        - { name: go, run: child, params: "N=1" }
      ---
      steps:
        - { name: x, command: y }
      ---
      name: child
      params: [N]
      steps:
        - { name: x, command: echo }
      ---
      name: child
      steps:
        - { name: x, command: echo }
    `,
      "dags/pipeline.yaml",
    );
    expect(r.findings.map((f) => [f.code, f.line])).toEqual([
      ["E_DAGU_NAME_REQUIRED", 4],
      ["E_DUPLICATE_WORKFLOW", 12],
    ]);
    expect(r.workflows.map((w) => [w.workflow.name, w.valid])).toEqual([
      ["pipeline", true],
      ["document-2", false],
      ["child", true],
    ]);
    expect(only(r).nodes[0]).toMatchObject({
      kind: "subworkflow",
      workflow: "child",
      params: { N: "1" },
    });
  });

  it("accepts call: and run: naming a workflow; run: with a command line is a shell step", () => {
    const r = load(
      "type: graph\nsteps:\n  - { name: a, call: other }\n  - { name: b, run: other }\n  - { name: c, run: echo hello }\n",
    );
    expect(only(r).nodes.map((n) => n.kind)).toEqual(["subworkflow", "subworkflow", "task"]);
    expect(codes(r)).toEqual(["W_SUBWORKFLOW_UNKNOWN", "W_SUBWORKFLOW_UNKNOWN"]);
  });

  it("makes a step with an executor weft lacks fail loudly when run, with a warning now", () => {
    const r = load("steps:\n  - name: mail\n    executor: { type: mail, config: { to: a@b.c } }\n");
    expect(codes(r)).toEqual(["W_DAGU_UNSUPPORTED"]);
    expect(only(r).nodes[0]).toMatchObject({ handler: "fail" });
  });

  it("rejects a document that is not a mapping", () => {
    expect(codes(load("just a string\n"))).toEqual(["E_NOT_A_MAPPING"]);
    expect(codes(load("- a\n- b\n"))).toEqual(["E_NOT_A_MAPPING"]);
  });
});
