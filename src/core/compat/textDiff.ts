/** A unified diff of two texts (line-based, 3 lines of context), for printing what `skills compat --fix` changed. */

export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return "";
  const a = before.split("\n");
  const b = after.split("\n");
  // common head and tail first: the changes of a fix are small and local
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops = middleOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const lines: { op: " " | "-" | "+"; text: string; aLine: number; bLine: number }[] = [];
  let ai = 0;
  let bi = 0;
  const push = (op: " " | "-" | "+", text: string) => {
    lines.push({ op, text, aLine: ai, bLine: bi });
    if (op !== "+") ai++;
    if (op !== "-") bi++;
  };
  for (let i = 0; i < head; i++) push(" ", a[i]!);
  for (const [op, text] of ops) push(op, text);
  for (let i = a.length - tail; i < a.length; i++) push(" ", a[i]!);
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let index = 0;
  while (index < lines.length) {
    if (lines[index]!.op === " ") {
      index++;
      continue;
    }
    let start = Math.max(0, index - context);
    let end = index;
    // extend the hunk while the next change is within 2 * context lines
    for (;;) {
      while (end < lines.length && lines[end]!.op !== " ") end++;
      let next = end;
      while (next < lines.length && lines[next]!.op === " ") next++;
      if (next < lines.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(lines.length, end + context);
    start = Math.max(0, start);
    const hunk = lines.slice(start, stop);
    const aStart = hunk[0]!.aLine + 1;
    const bStart = hunk[0]!.bLine + 1;
    const aCount = hunk.filter((l) => l.op !== "+").length;
    const bCount = hunk.filter((l) => l.op !== "-").length;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const line of hunk) out.push(`${line.op}${line.text}`);
    index = stop;
  }
  return `${out.join("\n")}\n`;
}

/** LCS over the differing middle part. */
function middleOps(a: string[], b: string[]): [" " | "-" | "+", string][] {
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return [...a.map((t): ["-", string] => ["-", t]), ...b.map((t): ["+", string] => ["+", t])];
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const ops: [" " | "-" | "+", string][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push([" ", a[i]!]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) ops.push(["-", a[i++]!]);
    else ops.push(["+", b[j++]!]);
  }
  while (i < n) ops.push(["-", a[i++]!]);
  while (j < m) ops.push(["+", b[j++]!]);
  return ops;
}
