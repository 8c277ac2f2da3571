/** Readable expected-vs-actual renderings: a line diff of pretty JSON, and the diff of two tool calls. */

const MAX_LINES = 400;
const CONTEXT = 3;

export function prettyJson(value: unknown): string {
  if (value === undefined) return "(nothing)";
  return JSON.stringify(value, null, 2) ?? String(value);
}

type Op = { kind: " " | "-" | "+"; text: string };

/** Longest-common-subsequence line diff; inputs beyond MAX_LINES are cut with a notice. */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i]!;
    const below = table[i + 1]!;
    for (let j = m - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? below[j + 1]! + 1 : Math.max(below[j]!, row[j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: " ", text: a[i]! });
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) ops.push({ kind: "-", text: a[i++]! });
    else ops.push({ kind: "+", text: b[j++]! });
  }
  while (i < n) ops.push({ kind: "-", text: a[i++]! });
  while (j < m) ops.push({ kind: "+", text: b[j++]! });
  return ops;
}

function cut(lines: string[]): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `… ${lines.length - MAX_LINES} more lines`];
}

/**
 * `- expected` / `+ actual` line diff with three lines of context around each change. Identical inputs give "".
 */
export function renderDiff(
  expected: unknown,
  actual: unknown,
  labels = { expected: "expected", actual: "actual" },
): string {
  const a = cut(prettyJson(expected).split("\n"));
  const b = cut(prettyJson(actual).split("\n"));
  const ops = diffLines(a, b);
  if (ops.every((op) => op.kind === " ")) return "";
  const keep = new Array<boolean>(ops.length).fill(false);
  ops.forEach((op, index) => {
    if (op.kind === " ") return;
    for (let k = Math.max(0, index - CONTEXT); k <= Math.min(ops.length - 1, index + CONTEXT); k++) keep[k] = true;
  });
  const out = [`- ${labels.expected}`, `+ ${labels.actual}`, ""];
  let skipped = false;
  ops.forEach((op, index) => {
    if (!keep[index]) {
      if (!skipped) out.push("  …");
      skipped = true;
      return;
    }
    skipped = false;
    out.push(`${op.kind} ${op.text}`);
  });
  return out.join("\n");
}

export interface CallShape {
  server: string;
  tool: string;
  arguments: unknown;
}

/** Diff of the call the cassette expected next and the call the program made (either may be missing). */
export function renderCallDiff(expected: CallShape | undefined, actual: CallShape | undefined): string {
  const shape = (call: CallShape | undefined) =>
    call ? { tool: `${call.server}/${call.tool}`, arguments: call.arguments } : undefined;
  const text = renderDiff(shape(expected), shape(actual), {
    expected: "expected call (cassette)",
    actual: "actual call (program)",
  });
  return text || "(calls are equal)";
}
