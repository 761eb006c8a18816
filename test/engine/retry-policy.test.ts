import { describe, expect, it } from "vitest";
import { compilePlan, type RetryPolicy } from "../../src/engine/plan.js";
import { decideFailure, goesOnPast, outageBackoffMs } from "../../src/engine/retry-policy.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import { isOutage, NotFoundError } from "../../src/store/index.js";

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  max: 2,
  backoff: "exponential",
  initialMs: 1_000,
  factor: 2,
  maxDelayMs: 60_000,
  jitter: false,
  nonRetryable: [],
  abortOn: [],
  ...over,
});

const failed = (over: Partial<Parameters<typeof decideFailure>[0]> = {}) =>
  decideFailure({
    retryable: true,
    attempt: 1,
    policy: policy(),
    continueOnFailure: false,
    now: 10_000,
    random: 0,
    ...over,
  });

describe("deciding a failed attempt", () => {
  it("retries while retries are left, each after a longer wait", () => {
    expect(failed({ attempt: 1 })).toEqual({ mode: "retry", dueMs: 11_000 });
    expect(failed({ attempt: 2 })).toEqual({ mode: "retry", dueMs: 12_000 });
  });

  it("fails once the retries are used up, at once", () => {
    expect(failed({ attempt: 3 })).toEqual({ mode: "fail", dueMs: 10_000 });
  });

  it("continues past the failure when the node says so", () => {
    expect(failed({ attempt: 3, continueOnFailure: true })).toEqual({
      mode: "continue",
      dueMs: 10_000,
    });
  });

  it("never retries a non-retryable error", () => {
    expect(failed({ retryable: false, attempt: 1 })).toEqual({ mode: "fail", dueMs: 10_000 });
    expect(failed({ retryable: false, continueOnFailure: true }).mode).toBe("continue");
  });

  it("fails at once with no retries", () => {
    expect(failed({ policy: policy({ max: 0 }) }).mode).toBe("fail");
  });

  it("waits the same with fixed backoff, capped by the longest wait", () => {
    expect(failed({ attempt: 2, policy: policy({ backoff: "fixed" }) }).dueMs).toBe(11_000);
    expect(failed({ attempt: 2, policy: policy({ max: 9, maxDelayMs: 1_500 }) }).dueMs).toBe(
      11_500,
    );
  });

  it("spreads retries with jitter between half and all of the wait", () => {
    const jittered = policy({ jitter: true });
    expect(failed({ policy: jittered, random: 0 }).dueMs).toBe(10_500);
    expect(failed({ policy: jittered, random: 0.999 }).dueMs).toBeGreaterThan(10_990);
  });
});

describe("waiting out Redis", () => {
  it("waits 100 ms, doubling up to 2 s", () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(outageBackoffMs)).toEqual([
      100, 200, 400, 800, 1_600, 2_000, 2_000,
    ]);
  });

  it("tells an outage from an answer", () => {
    const reply = (message: string) => Object.assign(new Error(message), { name: "ReplyError" });
    expect(isOutage(new Error("Connection is closed."))).toBe(true);
    expect(
      isOutage(
        Object.assign(new Error("Reached the max retries"), { name: "MaxRetriesPerRequestError" }),
      ),
    ).toBe(true);
    expect(isOutage(reply("LOADING Redis is loading the dataset in memory"))).toBe(true);
    expect(isOutage(reply("WRONGTYPE Operation against a key holding the wrong kind"))).toBe(false);
    expect(isOutage(new NotFoundError("no run `x`"))).toBe(false);
    expect(isOutage(new TypeError("x is undefined"))).toBe(false);
  });
});

describe("which failures a node goes on past (continueOn)", () => {
  const planned = (extra: Record<string, unknown>) =>
    compilePlan(
      WorkflowSchema.parse({
        name: "w",
        nodes: [{ id: "t", kind: "task", handler: "shell", with: { command: "x" }, ...extra }],
      }),
    ).nodes.get("t")!;

  it("goes on past any failure with continueOnFailure, and past none without a rule", () => {
    expect(goesOnPast(planned({ continueOnFailure: true }), { code: 9 })).toBe(true);
    expect(goesOnPast(planned({}), { code: 1, stdout: "anything" })).toBe(false);
  });

  it("matches codes as numbers or text, and stdout line by line", () => {
    const node = planned({
      continueOn: { codes: [3, "ETIMEDOUT"], output: ["WARN", "re:(?i)^done \\d+$"] },
    });
    expect(goesOnPast(node, { code: 3 })).toBe(true);
    expect(goesOnPast(node, { code: "3" })).toBe(true);
    expect(goesOnPast(node, { code: "ETIMEDOUT" })).toBe(true);
    expect(goesOnPast(node, { code: 4 })).toBe(false);
    expect(goesOnPast(node, { code: 4, stdout: "ok\na WARNing\n" })).toBe(true);
    expect(goesOnPast(node, { code: 4, stdout: "first\nDONE 12\n" })).toBe(true);
    // `^...$` holds for one line, not across two.
    expect(goesOnPast(node, { code: 4, stdout: "done\n12" })).toBe(false);
    expect(goesOnPast(node, { code: 4 })).toBe(false);
  });

  it("matches an empty stdout as one empty line, as Dagu does", () => {
    expect(goesOnPast(planned({ continueOn: { output: ["re:^$"] } }), { stdout: "" })).toBe(true);
    expect(goesOnPast(planned({ continueOn: { output: ["re:^$"] } }), { stdout: "x\n" })).toBe(
      false,
    );
  });
});
