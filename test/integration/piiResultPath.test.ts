/**
 * The sandbox's result path under PII, through the real path: runProgram starts a real python3 under bwrap, the
 * interceptor is the real one from src/core/pii. What leaves the run is checked whole and only then cut to
 * max_output_bytes / the log cap, so a value the cut would split can neither slip past the detectors (default) nor
 * past the refusal (strict); a refusal says which part held the value, where, how many of each type, and what to do.
 */
import { describe, expect, test } from "vitest";
import { renderRunResult } from "../../src/cli/render/run.js";
import { createStyle } from "../../src/cli/style.js";
import { createPiiInterceptor, policyFromManifest } from "../../src/core/pii/index.js";
import type { PiiMode } from "../../src/core/pii/index.js";
import { isSkillsError } from "../../src/errors.js";
import { createSession, runProgram } from "../../src/sandbox/index.js";
import { MAX_MESSAGE_BYTES } from "../../src/sandbox/protocol.js";
import type { RunLimits, RunResult } from "../../src/contracts/run.js";

const EMAIL = "ada.lovelace@example.com";
// The result's JSON: `{"note":"` (9) + 175 y + a space puts the address at byte 185, so a 200-byte cut keeps
// `ada.lovelace@ex` of it.
const NOTE = `${"y".repeat(175)} ${EMAIL} ${"z".repeat(40)}`;
const SPLIT_BY_THE_CUT = `result = {"note": ${JSON.stringify(NOTE)}}\n`;
// The address far past the first 200 bytes: only a check of the whole result sees it.
const PAST_THE_PREVIEW = `result = {"items": ["x" * 50 for _ in range(100)], "owner": "${EMAIL}"}\n`;

/** The refusal the interceptor itself throws for this value, to compare the run's hint with. */
function strictHint(): string {
  try {
    createPiiInterceptor(policyFromManifest(undefined, "strict")).checkOutput?.({ leak: EMAIL });
  } catch (error) {
    if (isSkillsError(error) && typeof error.data.hint === "string") return error.data.hint;
  }
  throw new Error("strict mode did not refuse an email");
}

function run(code: string, mode: PiiMode, limits: Partial<RunLimits> = { maxOutputBytes: 200 }): Promise<RunResult> {
  return runProgram({
    language: "python",
    code,
    tools: [],
    limits,
    requireIsolation: true,
    interceptor: createPiiInterceptor(policyFromManifest(undefined, mode)),
  });
}

function expectNoValue(result: RunResult): void {
  const text = JSON.stringify(result);
  expect(text).not.toContain(EMAIL);
  expect(text).not.toContain("ada.lovelace");
  expect(text).not.toContain("lovelace@");
}

describe("an over-long result is checked whole, then cut", () => {
  test("default: the address the cut would split is tokenized first; the preview shows its token", async () => {
    const result = await run(SPLIT_BY_THE_CUT, "default");
    const scrubbed = JSON.stringify({ note: NOTE.replace(EMAIL, "[EMAIL_1]") });
    const notice = `the result is ${scrubbed.length} bytes of JSON, over the 200-byte limit (max_output_bytes); only a preview is kept`;
    expect(result).toMatchObject({
      ok: true,
      isolation: "bwrap",
      result: { truncated: true, notice, preview: scrubbed.slice(0, 200) },
      truncated: { result: notice },
      warnings: [notice],
      pii: { mode: "default", types: { email: { scrubbed: 1 } }, refused: 0 },
    });
    expect((result.result as { preview: string }).preview).toMatch(/ \[EMAIL_1\] z+$/);
    expect(result.error).toBeUndefined();
    expectNoValue(result);
  });

  test("strict: the split address is refused, with the part, pointer, counts and hint", async () => {
    const result = await run(SPLIT_BY_THE_CUT, "strict");
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      code: "PII_LEAK",
      message: "the run's result still contains personal data (1 email) at /note",
      part: "result",
      pointer: "/note",
      types: { email: 1 },
      hint: strictHint(),
    });
    expect(result.result).toBeUndefined();
    expect(result.truncated).toBeUndefined();
    expect({ logs: result.logs, stderr: result.stderr, warnings: result.warnings }).toEqual({
      logs: "",
      stderr: "",
      warnings: [],
    });
    expect(result.pii).toMatchObject({ mode: "strict", refused: 1 });
    expectNoValue(result);
  });

  test("strict: an address past the kept preview is refused too (the whole result is checked)", async () => {
    const result = await run(PAST_THE_PREVIEW, "strict");
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "PII_LEAK",
        message: "the run's result still contains personal data (1 email) at /owner",
        part: "result",
        pointer: "/owner",
        types: { email: 1 },
      },
    });
    expectNoValue(result);
  });

  test("default: an address past the kept preview is tokenized in the whole result and counted", async () => {
    const result = await run(PAST_THE_PREVIEW, "default");
    const scrubbed = JSON.stringify({ items: Array(100).fill("x".repeat(50)), owner: "[EMAIL_1]" });
    expect(result).toMatchObject({
      ok: true,
      result: { truncated: true, preview: scrubbed.slice(0, 200) },
      pii: { types: { email: { scrubbed: 1 } } },
    });
    expect((result.result as { notice: string }).notice).toContain(`${scrubbed.length} bytes of JSON`);
    expectNoValue(result);
  });

  test("a result within the limit is tokenized and kept whole", async () => {
    const result = await run(`result = {"owner": "${EMAIL}"}\n`, "default");
    expect(result).toMatchObject({ ok: true, result: { owner: "[EMAIL_1]" }, warnings: [] });
    expect(result.truncated).toBeUndefined();
  });

  test("PII off: the worker cuts the result itself, as without an interceptor", async () => {
    const result = await run(SPLIT_BY_THE_CUT, "off");
    expect(result.ok).toBe(true);
    expect((result.result as { preview: string }).preview).toBe(JSON.stringify({ note: NOTE }).slice(0, 200));
    expect(result.pii).toMatchObject({ mode: "off" });
  });

  test("a result too large for one bridge message: the prefix that arrived is checked, then cut", async () => {
    const code = `result = "${"y".repeat(100)} ${EMAIL} " + "z" * (9 * 1024 * 1024)\n`;
    const value = `${"y".repeat(100)} [EMAIL_1] ${"z".repeat(100)}`;
    const fine = await run(code, "default");
    expect(fine.ok).toBe(true);
    expect((fine.result as { preview: string }).preview).toBe(JSON.stringify(value).slice(0, 200));
    // The JSON string: two quotes, 100 y, the address between two spaces, 9 MiB of z.
    const bytes = 2 + 100 + 1 + EMAIL.length + 1 + 9 * 1024 * 1024;
    expect((fine.result as { notice: string }).notice).toMatch(new RegExp(`^the result is ${bytes} bytes of JSON`));
    expect(fine.warnings).toContain(
      // the preview travels as a JSON string: its opening quote escaped and two quotes around it take 3 bytes
      `the result (${bytes} bytes) was too large to reach the host whole: only its first ${8 * 1024 * 1024 - 256 * 1024 - 3} bytes were checked for personal data`,
    );
    expectNoValue(fine);
    const refused = await run(code, "strict");
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "PII_LEAK", message: "the run's result still contains personal data (1 email)", part: "result" },
    });
    expect(refused.error?.pointer).toBeUndefined();
    expectNoValue(refused);
  }, 60_000);
});

describe("a result too large for one bridge message, in any shape, still comes back as a preview", () => {
  // Each character of these results takes more than one byte in the reply, where the preview travels as a JSON
  // string: `"` becomes `\"`, a CJK character takes 3 bytes. A preview cut by characters alone overflowed 8 MiB.
  const LIMIT = 256 * 1024;
  const cases = [
    { name: "Python, quotes everywhere", language: "python" as const, code: 'result = ["a"] * 2500000\n' },
    { name: "Python, three-byte characters", language: "python" as const, code: 'result = "\u65e5\u672c" * 3000000\n' },
    {
      name: "JavaScript, three-byte characters",
      language: "javascript" as const,
      code: 'export const result = "\u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8".repeat(1500000);\n',
    },
    {
      // Two UTF-16 units, four bytes each: a cut between the two would leave an escaped lone surrogate.
      name: "TypeScript, characters outside the BMP",
      language: "typescript" as const,
      code: 'export const result = "\u{1F600}x".repeat(2000000);\n',
    },
    {
      name: "TypeScript, quotes everywhere",
      language: "typescript" as const,
      code: 'export const result: string[] = Array(2500000).fill("a");\n',
    },
  ];
  for (const { name, language, code } of cases) {
    test(`${name}, PII default: a preview and the warning, not a bridge error`, async () => {
      const result = await runProgram({
        language,
        code,
        tools: [],
        requireIsolation: true,
        interceptor: createPiiInterceptor(policyFromManifest(undefined, "default")),
      });
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ ok: true, isolation: "bwrap", killedBy: null, result: { truncated: true } });
      const { preview, notice } = result.result as { preview: string; notice: string };
      expect(Buffer.byteLength(preview)).toBeLessThanOrEqual(LIMIT);
      expect(Buffer.byteLength(preview)).toBeGreaterThan(LIMIT - 8);
      expect(preview).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(notice).toMatch(new RegExp(`^the result is \\d+ bytes of JSON, over the ${LIMIT}-byte limit`));
      const checked = result.warnings.find((w) => w.includes("was too large to reach the host whole"));
      const [, bytes, first] =
        /^the result \((\d+) bytes\) .* only its first (\d+) bytes were checked/.exec(checked ?? "") ?? [];
      // The part checked is all that one reply could carry: under the message size, and far past the preview.
      expect(Number(first)).toBeLessThan(MAX_MESSAGE_BYTES);
      expect(Number(first)).toBeGreaterThan(4 * 1024 * 1024);
      expect(Number(bytes)).toBeGreaterThan(8 * 1024 * 1024);
      expect(result.pii).toMatchObject({ mode: "default" });
    }, 120_000);
  }

  for (const language of ["python", "typescript"] as const) {
    test(`${language}, no PII, max_output_bytes 20 MiB: a 12 MB result comes back cut to what one message carries`, async () => {
      const code =
        language === "python" ? 'result = "q" * 12000000\n' : 'export const result = "q".repeat(12000000);\n';
      const result = await runProgram({
        language,
        code,
        tools: [],
        limits: { maxOutputBytes: 20 * 1024 * 1024 },
        requireIsolation: true,
      });
      expect(result.error).toBeUndefined();
      const notice = `the result is 12000002 bytes of JSON, more than one ${MAX_MESSAGE_BYTES}-byte bridge message can carry; only a preview is kept`;
      expect(result).toMatchObject({ ok: true, killedBy: null, result: { truncated: true, notice } });
      expect(result.warnings).toEqual([notice]);
      const { preview } = result.result as { preview: string };
      // Cut to what the reply carries (the preview's JSON string: 2 quotes around it, its opening quote escaped),
      // one char short of the most: the cut dropped as many chars as the escaped closing quote and its `\` took.
      expect(Buffer.byteLength(JSON.stringify(preview))).toBe(MAX_MESSAGE_BYTES - 256 * 1024 - 1);
      expect(/^"q+$/.test(preview)).toBe(true);
    }, 120_000);
  }

  test("a session with PII: the reply leaves room for the logs that travel with it", async () => {
    const session = createSession({
      language: "python",
      tools: [],
      requireIsolation: true,
      interceptor: createPiiInterceptor(policyFromManifest(undefined, "default")),
    });
    try {
      const result = await session.execute('print("x" * 900000)\n["a"] * 2500000\n');
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ ok: true, result: { truncated: true } });
      expect(Buffer.byteLength((result.result as { preview: string }).preview)).toBeLessThanOrEqual(256 * 1024);
      expect(result.logs.length).toBeGreaterThanOrEqual(900000);
    } finally {
      await session.close();
    }
  }, 120_000);
});

describe("the other ways a result comes back", () => {
  test("a TypeScript program (node worker): tokenized before the cut, refused whole in strict", async () => {
    const code = `export const result = { note: ${JSON.stringify(NOTE)} };\n`;
    const interceptor = (mode: PiiMode) => createPiiInterceptor(policyFromManifest(undefined, mode));
    const request = { language: "typescript" as const, code, tools: [], limits: { maxOutputBytes: 200 } };
    const fine = await runProgram({ ...request, requireIsolation: true, interceptor: interceptor("default") });
    expect(fine).toMatchObject({
      ok: true,
      result: { preview: JSON.stringify({ note: NOTE.replace(EMAIL, "[EMAIL_1]") }).slice(0, 200) },
    });
    expectNoValue(fine);
    const refused = await runProgram({ ...request, requireIsolation: true, interceptor: interceptor("strict") });
    expect(refused.error).toMatchObject({ code: "PII_LEAK", part: "result", pointer: "/note", types: { email: 1 } });
    expectNoValue(refused);
  }, 60_000);

  test("a session cell (repl): the same, cell by cell", async () => {
    const session = createSession({
      language: "python",
      tools: [],
      limits: { maxOutputBytes: 200 },
      requireIsolation: true,
      interceptor: createPiiInterceptor(policyFromManifest(undefined, "strict")),
    });
    try {
      const refused = await session.execute(`note = ${JSON.stringify(NOTE)}\n{"note": note}`);
      expect(refused.error).toMatchObject({
        code: "PII_LEAK",
        message: "the run's result still contains personal data (1 email) at /note",
        part: "result",
      });
      expectNoValue(refused);
      const fine = await session.execute(`{"note": note.replace("${EMAIL}", "someone")}`);
      expect(fine).toMatchObject({ ok: true, result: { truncated: true } });
    } finally {
      await session.close();
    }
  }, 60_000);
});

describe("logs, stderr and errors", () => {
  // 9 bytes, then a line whose address straddles the 300-byte log cap (`ada.lovela` is kept of it).
  const CUT_LOG = `print("line one")\nprint("y" * 280, "${EMAIL}")\n`;
  const CUT_LOG_BYTES = 9 + 280 + 1 + EMAIL.length + 1;

  test("default: a log cut mid-address loses the cut line, counted in the notice", async () => {
    const result = await run(CUT_LOG, "default", { maxLogBytes: 300 });
    const notice = `[skills: ${CUT_LOG_BYTES - 9} more bytes of stdout were dropped: over the 300-byte log limit]`;
    expect(result).toMatchObject({ ok: true, logs: `line one\n${notice}\n`, truncated: { logs: notice } });
    expectNoValue(result);
  });

  test("strict: the cut line is dropped before the check, so the run stands", async () => {
    const result = await run(CUT_LOG, "strict", { maxLogBytes: 300 });
    expect(result.ok).toBe(true);
    expect(result.logs.startsWith("line one\n[skills: ")).toBe(true);
    expectNoValue(result);
  });

  test("without PII the cut log keeps its cut line (nothing to protect)", async () => {
    const result = await runProgram({ language: "python", code: CUT_LOG, tools: [], limits: { maxLogBytes: 300 } });
    expect(result.logs).toBe(
      `line one\n${"y".repeat(280)} ada.lovela\n[skills: ${CUT_LOG_BYTES - 300} more bytes of stdout were dropped: over the 300-byte log limit]\n`,
    );
  });

  test.each([
    ["logs", `print("contact: ${EMAIL}")\n`, "the run's logs still contain personal data (1 email)"],
    [
      "stderr",
      `import sys\nprint("contact: ${EMAIL}", file=sys.stderr)\n`,
      "the run's stderr still contains personal data (1 email)",
    ],
  ])("strict: an address in the %s is refused, naming the part", async (part, code, message) => {
    const result = await run(code, "strict");
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({ code: "PII_LEAK", message, part, types: { email: 1 }, hint: strictHint() });
    expect({ logs: result.logs, stderr: result.stderr }).toEqual({ logs: "", stderr: "" });
    expectNoValue(result);
  });

  test("strict: an address in the program's error is refused, with the pointer into the error", async () => {
    const result = await run(`raise ValueError("no such user ${EMAIL}")\n`, "strict");
    expect(result.ok).toBe(false);
    // Once in the message, and in the traceback: in the line of source it shows, and in its last line.
    expect(result.error).toEqual({
      code: "PII_LEAK",
      message: "the run's error still contains personal data (3 email) at /message",
      part: "error",
      pointer: "/message",
      types: { email: 3 },
      hint: strictHint(),
    });
    expectNoValue(result);
  });

  test("default: the program's error is tokenized, and the run's own error stays", async () => {
    const result = await run(`raise ValueError("no such user ${EMAIL}")\n`, "default");
    expect(result.error).toMatchObject({ code: "PROGRAM_ERROR", message: "ValueError: no such user [EMAIL_1]" });
    expectNoValue(result);
  });
});

describe("the CLI shows the refusal with its place and its hint", () => {
  test("error line, pointer once, hint", async () => {
    const result = await run(`result = {"leak": "${EMAIL}"}\n`, "strict");
    const text = renderRunResult(result, createStyle(false), { title: "exec python" });
    const lines = text.split("\n");
    const at = lines.findIndex((line) => line.startsWith("error PII_LEAK"));
    expect(lines.slice(at, at + 2)).toEqual([
      "error PII_LEAK  the run's result still contains personal data (1 email) at /leak",
      `  hint: ${strictHint()}`,
    ]);
    expect(text).not.toContain(EMAIL);
  });
});
