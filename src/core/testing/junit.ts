/**
 * JUnit XML in the shape CI systems read (the common Jenkins junit-10 XSD, test/fixtures/junit/junit-10.xsd):
 * <testsuites> > <testsuite> per skill > <testcase> per case > <failure> (an expectation failed) or <error> (bad
 * input: YAML, cassette, ...), then <system-out>. Nothing outside that XSD is written.
 */

export interface JunitCase {
  name: string;
  classname: string;
  timeMs: number;
  file?: string;
  line?: number;
  status: "passed" | "failed" | "error";
  /** One-line summary (the failure message attribute). */
  message?: string;
  /** The failure body: diffs and details. */
  details?: string;
  type?: string;
  systemOut?: string;
}

export interface JunitSuite {
  name: string;
  timeMs: number;
  timestamp?: string;
  cases: JunitCase[];
}

// Characters XML 1.0 does not allow at all, even escaped.
const INVALID_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
const ANSI = /\u001b\[[0-9;]*m/g;

export function escapeXml(text: string): string {
  return text
    .replace(ANSI, "")
    .replace(INVALID_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function renderCase(c: JunitCase): string {
  // Only the attributes of the common XSD (Jenkins junit-10): the case's file:line goes into the failure text.
  const attrs = [`name="${escapeXml(c.name)}"`, `classname="${escapeXml(c.classname)}"`, `time="${seconds(c.timeMs)}"`];
  const body: string[] = [];
  if (c.status !== "passed") {
    const tag = c.status === "failed" ? "failure" : "error";
    const message = escapeXml(c.message ?? c.status);
    const type = escapeXml(c.type ?? (c.status === "failed" ? "AssertionError" : "Error"));
    const where = c.file ? `at ${c.file}${c.line ? `:${c.line}` : ""}\n` : "";
    body.push(
      `      <${tag} message="${message}" type="${type}">${escapeXml(where + (c.details ?? c.message ?? ""))}</${tag}>`,
    );
  }
  if (c.systemOut) body.push(`      <system-out>${escapeXml(c.systemOut)}</system-out>`);
  if (body.length === 0) return `    <testcase ${attrs.join(" ")}/>`;
  return `    <testcase ${attrs.join(" ")}>\n${body.join("\n")}\n    </testcase>`;
}

function count(cases: JunitCase[], status: JunitCase["status"]): number {
  return cases.filter((c) => c.status === status).length;
}

export function renderJunit(suites: JunitSuite[], name = "skills test"): string {
  const all = suites.flatMap((s) => s.cases);
  const total = suites.reduce((sum, s) => sum + s.timeMs, 0);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${escapeXml(name)}" tests="${all.length}" failures="${count(all, "failed")}" errors="${count(all, "error")}" time="${seconds(total)}">`,
  ];
  suites.forEach((suite, id) => {
    const attrs = [
      `name="${escapeXml(suite.name)}"`,
      `id="${id}"`,
      `tests="${suite.cases.length}"`,
      `failures="${count(suite.cases, "failed")}"`,
      `errors="${count(suite.cases, "error")}"`,
      `skipped="0"`,
      `time="${seconds(suite.timeMs)}"`,
    ];
    if (suite.timestamp) attrs.push(`timestamp="${escapeXml(suite.timestamp)}"`);
    if (suite.cases.length === 0) {
      out.push(`  <testsuite ${attrs.join(" ")}/>`);
      return;
    }
    out.push(`  <testsuite ${attrs.join(" ")}>`);
    for (const c of suite.cases) out.push(renderCase(c));
    out.push("  </testsuite>");
  });
  out.push("</testsuites>", "");
  return out.join("\n");
}
