import { describe, expect, it } from "vitest";
import { WorkflowSchema } from "../../src/spec/model.js";
import { checkParams, parseParamAssignments } from "../../src/spec/params.js";

const declared = WorkflowSchema.parse({
  name: "tpl",
  parameters: {
    env: { type: "enum", enum: ["dev", "staging", "prod"], required: true },
    port: { type: "integer", default: 8080 },
    ratio: { type: "number" },
    dry_run: { type: "boolean", default: false },
    region: { type: "string", required: true },
    labels: { type: "object", default: { team: "ops" } },
    hosts: { type: "array" },
    level: { type: "enum", enum: [1, 2, 3] },
  },
}).parameters;

describe("checkParams", () => {
  it("accepts valid values and fills defaults for parameters not given", () => {
    const r = checkParams(declared, { env: "prod", region: "eu", port: 9000, hosts: ["a"] });
    expect(r).toEqual({
      ok: true,
      params: {
        env: "prod",
        region: "eu",
        port: 9000,
        hosts: ["a"],
        dry_run: false,
        labels: { team: "ops" },
      },
    });
  });

  it("leaves out optional parameters that have no default and were not given", () => {
    const r = checkParams(declared, { env: "dev", region: "eu" });
    expect(r.ok && Object.keys(r.params).sort()).toEqual([
      "dry_run",
      "env",
      "labels",
      "port",
      "region",
    ]);
  });

  it("copies defaults so editing the result cannot change the workflow", () => {
    const r = checkParams(declared, { env: "dev", region: "eu" });
    if (!r.ok) throw new Error("expected ok");
    (r.params.labels as Record<string, string>).team = "changed";
    expect(declared.labels!.default).toEqual({ team: "ops" });
  });

  it("reports every kind of problem together in one call", () => {
    const r = checkParams(declared, {
      prot: 1,
      env: "prdo",
      port: 1.5,
      dry_run: "yes",
      hosts: { a: 1 },
      level: 4,
    });
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          name: "dry_run",
          message: 'parameter `dry_run` must be a boolean, not "yes"',
        },
        {
          name: "env",
          message: 'parameter `env` must be one of "dev", "staging", "prod", not "prdo"',
          hint: "did you mean `prod`?",
        },
        { name: "hosts", message: 'parameter `hosts` must be a list, not {"a":1}' },
        { name: "level", message: "parameter `level` must be one of 1, 2, 3, not 4" },
        { name: "port", message: "parameter `port` must be an integer, not 1.5" },
        { name: "prot", message: "unknown parameter `prot`", hint: "did you mean `port`?" },
        {
          name: "region",
          message: "missing required parameter `region`",
          hint: "give it a string",
        },
      ],
    });
  });

  it("lists the declared names when an unknown name resembles none of them", () => {
    const r = checkParams({ a: declared.port! }, { zzzzzz: 1 });
    expect(r).toEqual({
      ok: false,
      problems: [
        { name: "zzzzzz", message: "unknown parameter `zzzzzz`", hint: "declared parameters: a" },
      ],
    });
    expect(checkParams({}, { x: 1 })).toMatchObject({
      problems: [{ hint: "this workflow declares no parameters" }],
    });
  });

  it("does not mistake inherited object properties for declarations", () => {
    const r = checkParams({}, { constructor: "x", toString: "y" });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.name)).toEqual(["constructor", "toString"]);
  });

  it("treats an undefined value as not given", () => {
    const r = checkParams(declared, {
      env: "dev",
      region: "eu",
      port: undefined,
      other: undefined,
    });
    expect(r.ok && r.params.port).toBe(8080);
  });

  it("does not report a required parameter that has a default as missing", () => {
    const p = WorkflowSchema.parse({
      name: "t",
      parameters: { day: { required: true, default: "today" } },
    }).parameters;
    expect(checkParams(p, {})).toEqual({ ok: true, params: { day: "today" } });
  });
});

describe("parseParamAssignments", () => {
  const parse = (...pairs: string[]) => parseParamAssignments(pairs, declared);

  it("keeps strings and enum text as strings", () => {
    expect(parse("region=eu-west=1", "env=prod", "region2=x")).toEqual({
      params: { region: "eu-west=1", env: "prod", region2: "x" },
      problems: [],
    });
  });

  it("parses the numbers of a numeric enum", () => {
    expect(parse("level=2").params).toEqual({ level: 2 });
    expect(parse("level=9").params).toEqual({ level: "9" });
  });

  it("parses numbers and integers", () => {
    expect(parse("port=9000", "ratio=-0.25", "ratio=1e3").params).toEqual({
      port: 9000,
      ratio: 1000,
    });
  });

  it("reports text that is not a decimal number", () => {
    expect(parse("ratio=abc", "port=0x10", "ratio=").problems).toEqual([
      { name: "ratio", message: 'parameter `ratio` must be a number, not "abc"' },
      { name: "port", message: 'parameter `port` must be an integer, not "0x10"' },
      { name: "ratio", message: 'parameter `ratio` must be a number, not ""' },
    ]);
  });

  it("reports a fractional integer", () => {
    expect(parse("port=1.5")).toEqual({
      params: {},
      problems: [{ name: "port", message: "parameter `port` must be an integer, not 1.5" }],
    });
  });

  it("accepts true/false, yes/no and 1/0 for booleans", () => {
    for (const [text, value] of [
      ["true", true],
      ["FALSE", false],
      ["yes", true],
      ["no", false],
      ["1", true],
      ["0", false],
    ] as const) {
      expect(parse(`dry_run=${text}`).params).toEqual({ dry_run: value });
    }
    expect(parse("dry_run=maybe").problems).toEqual([
      {
        name: "dry_run",
        message: 'parameter `dry_run` must be a boolean, not "maybe"',
        hint: "use true or false (yes/no and 1/0 also work)",
      },
    ]);
  });

  it("parses JSON for objects and arrays", () => {
    expect(parse('labels={"team":"data"}', 'hosts=["a","b"]').params).toEqual({
      labels: { team: "data" },
      hosts: ["a", "b"],
    });
  });

  it("reports invalid JSON with the parser's message", () => {
    const { params, problems } = parse("labels={team:data}");
    expect(params).toEqual({});
    expect(problems).toHaveLength(1);
    expect(problems[0]!.name).toBe("labels");
    expect(problems[0]!.message).toMatch(/^parameter `labels` is not valid JSON: \S/);
    expect(problems[0]!.hint).toContain(`labels='{"key":"value"}'`);
  });

  it("reports a pair without `=` or without a name", () => {
    expect(parse("dry_run", "=x").problems).toEqual([
      {
        name: "dry_run",
        message: "`dry_run` is not a `name=value` assignment",
        hint: "write `dry_run=true`",
      },
      { name: "", message: "`=x` has no parameter name before `=`", hint: "write `name=value`" },
    ]);
  });

  it("lets a later assignment win and drops a name whose last value failed", () => {
    expect(parse("port=1", "port=2").params).toEqual({ port: 2 });
    expect(parse("port=1", "port=x").params).toEqual({});
  });

  it("keeps undeclared names as strings for checkParams to report", () => {
    const parsed = parse("env=dev", "region=eu", "prot=80");
    expect(parsed).toEqual({ params: { env: "dev", region: "eu", prot: "80" }, problems: [] });
    expect(checkParams(declared, parsed.params)).toMatchObject({
      ok: false,
      problems: [{ name: "prot", hint: "did you mean `port`?" }],
    });
  });
});
