import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { escapeXml, renderJunit } from "../../../src/core/testing/junit.js";

const suites = [
  {
    name: "find-todos",
    timeMs: 1234,
    timestamp: "2026-01-01T00:00:00Z",
    cases: [
      {
        name: "basic",
        classname: "find-todos",
        timeMs: 12,
        status: "passed" as const,
        file: "skills/find-todos/tests/basic.yaml",
        line: 1,
      },
      {
        name: 'diff <"&">',
        classname: "find-todos",
        timeMs: 30,
        status: "failed" as const,
        message: "result differs",
        details: "- expected\n+ actual\n-  1\n+  2 \u001b[31mred\u001b[39m \u0000",
      },
      {
        name: "bad yaml",
        classname: "find-todos",
        timeMs: 0,
        status: "error" as const,
        message: "YAML: tab",
        type: "TEST_CASE_INVALID",
      },
    ],
  },
  { name: "empty", timeMs: 0, cases: [] },
];

// A real XML parser (python's expat) checks well-formedness and the testsuites/testsuite/testcase/failure shape.
const CHECK = `
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.stdin).getroot()
assert root.tag == "testsuites", root.tag
out = [root.get("tests"), root.get("failures"), root.get("errors")]
for suite in root:
    assert suite.tag == "testsuite"
    for attr in ("name", "tests", "failures", "errors", "time"): assert suite.get(attr) is not None, attr
    for case in suite:
        assert case.tag == "testcase"
        for attr in ("name", "classname", "time"): assert case.get(attr) is not None, attr
        for child in case:
            assert child.tag in ("failure", "error", "skipped", "system-out", "system-err"), child.tag
            out.append(child.tag + ":" + (child.get("message") or "") + ":" + (child.text or ""))
print("\\n".join(out))
`;

describe("renderJunit", () => {
  it("writes well-formed XML in the JUnit shape with counts, failures and errors", () => {
    const xml = renderJunit(suites);
    const parsed = execFileSync("/usr/bin/python3", ["-c", CHECK], { input: xml, encoding: "utf8" }).split("\n");
    expect(parsed.slice(0, 3)).toEqual(["3", "1", "1"]);
    expect(parsed[3]).toBe("failure:result differs:- expected");
    expect(parsed).toContain("+  2 red \uFFFD");
    expect(parsed).toContain("error:YAML: tab:YAML: tab");
    expect(xml).toContain(
      '<testsuite name="empty" id="1" tests="0" failures="0" errors="0" skipped="0" time="0.000"/>',
    );
    expect(xml).toContain('name="diff &lt;&quot;&amp;&quot;&gt;"');
    expect(xml).toContain('<testcase name="basic" classname="find-todos" time="0.012"/>');
    expect(xml).toContain('time="1.234"');
  });

  it("validates against the common JUnit XSD (Jenkins junit-10) with libxml2", async () => {
    const schema = readFileSync("test/fixtures/junit/junit-10.xsd", "utf8");
    const xml = renderJunit(
      suites.map((s) => ({ ...s, cases: s.cases.map((c) => ({ ...c, systemOut: "printed <x>" })) })),
    );
    const result = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [schema] });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    // The check is real: an attribute outside the XSD is refused.
    const bad = await validateXML({
      xml: [{ fileName: "bad.xml", contents: xml.replace("<testcase ", '<testcase bogus="1" ') }],
      schema: [schema],
    });
    expect(bad.valid).toBe(false);
  });

  it("puts the case's file:line at the top of the failure text", () => {
    const xml = renderJunit([
      {
        name: "s",
        timeMs: 1,
        cases: [
          {
            name: "c",
            classname: "s",
            timeMs: 1,
            status: "failed",
            file: "t.yaml",
            line: 4,
            message: "m",
            details: "d",
          },
        ],
      },
    ]);
    expect(xml).toContain('<failure message="m" type="AssertionError">at t.yaml:4\nd</failure>');
  });

  it("escapes markup and drops characters XML cannot hold", () => {
    expect(escapeXml("<a b='c'>&\u0001\u001b[1m")).toBe("&lt;a b=&apos;c&apos;&gt;&amp;\uFFFD");
  });
});
