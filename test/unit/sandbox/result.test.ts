import { describe, expect, test } from "vitest";
import { createPiiInterceptor, policyFromManifest } from "../../../src/core/pii/index.js";
import { SkillsError } from "../../../src/errors.js";
import { resolveLimits } from "../../../src/sandbox/limits.js";
import { MAX_MESSAGE_BYTES } from "../../../src/sandbox/protocol.js";
import {
  type ResultContext,
  buildResult,
  cutBytes,
  wholeJsonTokens,
  wholeLines,
  workerOutputBytes,
  workerReplyBytes,
} from "../../../src/sandbox/result.js";

const ctx = (over: Partial<ResultContext>): ResultContext => ({
  reply: null,
  limits: resolveLimits({ cpuMs: 1000, memoryMb: 64, timeoutMs: 500, maxOutputBytes: 10 }),
  isolation: "bwrap",
  toolCalls: [],
  durationMs: 1.23456,
  hostCpuMs: null,
  logs: { text: "", dropped: 0 },
  stderr: { text: "", dropped: 0 },
  killedBy: null,
  violation: null,
  exit: { code: 0, signal: null },
  oomKilled: false,
  warnings: [],
  ...over,
});

describe("buildResult: why a run without an answer ended", () => {
  test.each([
    ["the host's timeout", { killedBy: "timeout" as const }, "timeout", "TIMEOUT"],
    ["SIGXCPU", { exit: { code: null, signal: "SIGXCPU" as const } }, "cpu", "CPU_LIMIT"],
    ["bwrap's 128+SIGXCPU", { exit: { code: 152, signal: null } }, "cpu", "CPU_LIMIT"],
    ["CPU near the budget then SIGKILL", { exit: { code: 137, signal: null }, hostCpuMs: 990 }, "cpu", "CPU_LIMIT"],
    ["the OOM killer", { oomKilled: true, exit: { code: 137, signal: null } }, "memory", "MEMORY_LIMIT"],
    [
      "node's heap limit",
      { stderr: { text: "FATAL ERROR: JavaScript heap out of memory", dropped: 0 }, exit: { code: 134, signal: null } },
      "memory",
      "MEMORY_LIMIT",
    ],
    [
      "a bridge violation",
      { killedBy: "bridge" as const, violation: "a bridge message is not valid JSON" },
      "bridge",
      "BRIDGE_PROTOCOL",
    ],
    ["a cancelled run", { killedBy: "signal" as const, violation: "cancelled" }, "signal", "CANCELLED"],
    ["a foreign signal", { exit: { code: null, signal: "SIGSEGV" as const } }, "signal", "SANDBOX_FAILED"],
    [
      "a plain exit",
      { exit: { code: 3, signal: null }, stderr: { text: "boom\n", dropped: 0 } },
      null,
      "SANDBOX_FAILED",
    ],
  ])("%s", (_name, over, killedBy, code) => {
    const result = buildResult(ctx(over));
    expect(result).toMatchObject({ ok: false, killedBy, error: { code }, timedOut: killedBy === "timeout" });
  });

  test("a plain exit names the last stderr lines", () => {
    expect(
      buildResult(ctx({ exit: { code: 3, signal: null }, stderr: { text: "a\nb\nc\nd\n", dropped: 0 } })).error
        ?.message,
    ).toBe("the program's process exited (code 3) before returning a result: b\nc\nd");
  });
});

describe("buildResult: answers", () => {
  test("a result over the budget is re-checked by the host (a forged answer) and replaced by a notice", () => {
    const result = buildResult(ctx({ reply: { ok: true, value: "0123456789abcdef" } }));
    expect(result.ok).toBe(true);
    expect(result.result).toEqual({
      truncated: true,
      notice: expect.stringMatching(/18 bytes of JSON, over the 10-byte limit/),
      preview: '"012345678',
    });
  });

  test("dropped log bytes become a visible notice", () => {
    const result = buildResult(ctx({ reply: { ok: true, value: 1 }, logs: { text: "abc", dropped: 5 } }));
    expect(result.logs).toBe("abc\n[skills: 5 more bytes of stdout were dropped: over the 1048576-byte log limit]\n");
    expect(result.truncated?.logs).toMatch(/5 more bytes/);
  });

  test("durations are rounded to microseconds; cpuMs is the host's measure when it has one, else the worker's", () => {
    const result = buildResult(ctx({ reply: { ok: true, value: 1, cpuMs: 2.5 }, hostCpuMs: 99.0004 }));
    expect(result).toMatchObject({ durationMs: 1.235, cpuMs: 99, result: 1, warnings: [] });
    const noCgroup = buildResult(ctx({ reply: { ok: true, value: 1, cpuMs: 2.5 }, hostCpuMs: null }));
    expect(noCgroup.cpuMs).toBe(2.5);
  });
});

describe("buildResult under PII: checked whole, then cut", () => {
  const EMAIL = "ada.lovelace@example.com";
  const pii = (mode: "off" | "default" | "strict") => createPiiInterceptor(policyFromManifest(undefined, mode));
  const piiLimits = resolveLimits({ maxOutputBytes: 40, maxLogBytes: 100 });

  test("a worker-cut preview that the kept preview reaches loses its cut string (it was checked only in part)", () => {
    const result = buildResult(
      ctx({
        limits: resolveLimits({ maxOutputBytes: 100 }),
        reply: { ok: true, truncated: { bytes: 5000, preview: `{"a":"x","b":"${EMAIL.slice(0, 14)}` } },
        interceptor: pii("default"),
      }),
    );
    expect(result).toMatchObject({ ok: true, result: { truncated: true, preview: '{"a":"x","b":' } });
    expect(result.warnings).toContain(
      "the result (5000 bytes) was too large to reach the host whole: only its first 28 bytes were checked for personal data",
    );
  });

  test("without PII the worker-cut preview is kept as it came", () => {
    const result = buildResult(
      ctx({
        limits: resolveLimits({ maxOutputBytes: 100 }),
        reply: { ok: true, truncated: { bytes: 5000, preview: '{"a":"x","b":"ada.lov' } },
      }),
    );
    expect((result.result as { preview: string }).preview).toBe('{"a":"x","b":"ada.lov');
    expect(result.warnings).toHaveLength(1);
  });

  test("a log without a newline loses its cut word; the notice counts it", () => {
    const text = `note ${EMAIL.slice(0, 10)}`;
    const result = buildResult(
      ctx({
        limits: piiLimits,
        reply: { ok: true, value: 1 },
        logs: { text, dropped: 14 },
        interceptor: pii("strict"),
      }),
    );
    expect(result).toMatchObject({ ok: true, result: 1 });
    expect(result.logs).toBe("note \n[skills: 24 more bytes of stdout were dropped: over the 100-byte log limit]\n");
  });

  test("the output schema is checked on the whole result when it fits", () => {
    const result = buildResult(
      ctx({
        limits: piiLimits,
        reply: { ok: true, value: { owner: EMAIL } },
        outputSchema: { type: "object", required: ["owner"] },
        interceptor: pii("default"),
      }),
    );
    // 20 bytes of JSON once tokenized: within the limit, no truncation, no schema warning.
    expect(result).toMatchObject({ ok: true, result: { owner: "[EMAIL_1]" }, warnings: [] });
  });

  test("strict: a refusal drops the result, logs and stderr, and keeps what the interceptor said", () => {
    const result = buildResult(
      ctx({
        limits: piiLimits,
        reply: { ok: true, value: { pad: "x".repeat(100), owner: EMAIL } },
        logs: { text: "fine\n", dropped: 0 },
        stderr: { text: "also fine\n", dropped: 0 },
        interceptor: pii("strict"),
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      logs: "",
      stderr: "",
      error: {
        code: "PII_LEAK",
        message: "the run's result still contains personal data (1 email) at /owner",
        part: "result",
        pointer: "/owner",
        types: { email: 1 },
        hint: expect.stringContaining("privacy.ignore_fields"),
      },
      warnings: [],
      pii: { mode: "strict", refused: 1 },
    });
    expect(result.result).toBeUndefined();
    expect(result.truncated).toBeUndefined();
  });

  test("an interceptor that fails for another reason fails the run (closed) and says so", () => {
    const broken = {
      beforeCall: (_s: string, _t: string, args: Record<string, unknown>) => args,
      afterCall: (_s: string, _t: string, result: unknown) => result,
      checkOutput: () => {
        throw new SkillsError("INTERNAL", "detector crashed");
      },
    };
    const result = buildResult(ctx({ reply: { ok: true, value: 1 }, interceptor: broken }));
    expect(result.error).toEqual({
      code: "INTERNAL",
      message: "the run's result could not be checked for personal data: detector crashed",
      part: "result",
    });
    const thrown = buildResult(
      ctx({
        reply: { ok: true, value: 1 },
        interceptor: {
          ...broken,
          checkOutput: () => {
            throw new TypeError("boom");
          },
        },
      }),
    );
    expect(thrown.error).toEqual({
      code: "PII_LEAK",
      message: "the run's result could not be checked for personal data: boom",
      part: "result",
    });
  });

  test("PII off: nothing is checked or trimmed, the audit is still attached", () => {
    const result = buildResult(
      ctx({
        limits: piiLimits,
        reply: { ok: true, value: EMAIL },
        logs: { text: "a b", dropped: 3 },
        interceptor: pii("off"),
      }),
    );
    expect(result).toMatchObject({ ok: true, result: EMAIL, pii: { mode: "off" } });
    expect(result.logs.startsWith("a b\n")).toBe(true);
  });
});

describe("the helpers of the cut", () => {
  test("cutBytes never splits a character", () => {
    expect(cutBytes("abc", 10)).toBe("abc");
    expect(cutBytes("aé€😀", 2)).toBe("a");
    expect(cutBytes("aé€😀", 3)).toBe("aé");
    expect(cutBytes("aé€😀", 6)).toBe("aé€");
    expect(cutBytes("aé€😀", 9)).toBe("aé€");
    expect(cutBytes("aé€😀", 10)).toBe("aé€😀");
  });

  test.each([
    ['{"a":"x","b":"ada.lov', '{"a":"x","b":'],
    ['{"a":"x\\"y","b":"ada', '{"a":"x\\"y","b":'],
    ['{"a":"x\\\\","b":41555', '{"a":"x\\\\","b":'],
    ['{"a":[true,fal', '{"a":[true,'],
    ['{"a":"x"', '{"a":"x"'],
    ['{"a":"x",', '{"a":"x",'],
    ['"whole string cut', ""],
  ])("wholeJsonTokens(%s)", (prefix, kept) => {
    expect(wholeJsonTokens(prefix)).toBe(kept);
  });

  test("wholeLines drops the cut line only when bytes were dropped", () => {
    expect(wholeLines({ text: "a\nb c", dropped: 0 })).toEqual({ text: "a\nb c", dropped: 0 });
    expect(wholeLines({ text: "a\nb c", dropped: 2 })).toEqual({ text: "a\n", dropped: 5 });
    expect(wholeLines({ text: "a\n", dropped: 2 })).toEqual({ text: "a\n", dropped: 2 });
    expect(wholeLines({ text: "ab c", dropped: 1 })).toEqual({ text: "ab ", dropped: 2 });
    expect(wholeLines({ text: "abc", dropped: 1 })).toEqual({ text: "", dropped: 4 });
    expect(wholeLines({ text: "é\né", dropped: 1 })).toEqual({ text: "é\n", dropped: 3 });
  });

  test("workerOutputBytes: the whole result under PII, up to what one bridge message holds", () => {
    const limits = resolveLimits({ maxOutputBytes: 200, maxLogBytes: 1024 * 1024 });
    const on = createPiiInterceptor(policyFromManifest(undefined, "default"));
    expect(workerOutputBytes(limits, undefined)).toBe(200);
    expect(workerOutputBytes(limits, createPiiInterceptor(policyFromManifest(undefined, "off")))).toBe(200);
    expect(workerOutputBytes(limits, on)).toBe(MAX_MESSAGE_BYTES - 256 * 1024);
    expect(workerOutputBytes(limits, on, true)).toBe(MAX_MESSAGE_BYTES - 2 * 1024 * 1024 - 256 * 1024);
    expect(workerOutputBytes(resolveLimits({ maxOutputBytes: 16 * 1024 * 1024 }), on)).toBe(16 * 1024 * 1024);
  });

  test("workerReplyBytes: what one bridge message carries for the result, with or without PII", () => {
    const limits = resolveLimits({ maxOutputBytes: 200, maxLogBytes: 1024 * 1024 });
    expect(workerReplyBytes(limits)).toBe(MAX_MESSAGE_BYTES - 256 * 1024);
    expect(workerReplyBytes(limits, true)).toBe(MAX_MESSAGE_BYTES - 2 * 1024 * 1024 - 256 * 1024);
    // A max_output_bytes over what a message holds does not raise it: the worker cuts to what fits.
    expect(workerReplyBytes(resolveLimits({ maxOutputBytes: 20 * 1024 * 1024 }))).toBe(MAX_MESSAGE_BYTES - 256 * 1024);
    // Session logs that would fill the message still leave room for a short preview.
    expect(workerReplyBytes(resolveLimits({ maxLogBytes: 8 * 1024 * 1024 }), true)).toBe(4 * 1024);
    const on = createPiiInterceptor(policyFromManifest(undefined, "default"));
    expect(workerOutputBytes(limits, on)).toBe(workerReplyBytes(limits));
  });

  test("a result under max_output_bytes that the worker still had to cut says why (one bridge message)", () => {
    const result = buildResult(
      ctx({
        limits: resolveLimits({ maxOutputBytes: 20 * 1024 * 1024 }),
        reply: { ok: true, truncated: { bytes: 12_000_000, preview: '["a","a' } },
      }),
    );
    const notice = `the result is 12000000 bytes of JSON, more than one ${MAX_MESSAGE_BYTES}-byte bridge message can carry; only a preview is kept`;
    expect(result).toMatchObject({ ok: true, result: { truncated: true, notice, preview: '["a","a' } });
    expect(result.warnings).toEqual([notice]);
    expect(result.truncated).toEqual({ result: notice });
  });
});
