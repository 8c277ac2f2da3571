/**
 * The `skills compat --json` contract, key by key: the shape for every checked skill, and the documented
 * extensions (docs/commands/compat.md) only where they apply — `error` on a skill that could not be checked,
 * `summary.error` when there are such skills, `fix` with --fix. Nothing the text renderers use leaks into it.
 */
import { describe, expect, it } from "vitest";
import { compatJson } from "../../../src/cli/render/compat.js";
import type { CompatResult, CompatSkillReport } from "../../../src/commands/compat.js";

const checked: CompatSkillReport = {
  name: "forecast-report",
  status: "incompatible",
  dir: "skills/forecast-report",
  manifest: "skills/forecast-report/manifest.yaml",
  language: "python",
  notes: ["a note for people"],
  dependencies: [
    {
      tool: "weather/get_forecast",
      range: "^1.0.0",
      locked: { server: "weather", version: "1.0.0" },
      live: { server: "weather", version: "2.0.0" },
      status: "incompatible",
      manifestLine: 6,
      changes: [
        {
          rule: "response-field-removed",
          direction: "response",
          path: "/outputSchema/properties/humidity",
          severity: "incompatible",
          used: true,
          uses: [{ file: "skills/forecast-report/main.py", line: 11 }],
          message: "result field `humidity` was removed",
          hint: "stop reading it",
          locations: [{ file: "skills/forecast-report/main.py", line: 11, column: 5 }],
        },
      ],
      hints: ["result field `humidity` was removed; read at main.py:11"],
    },
  ],
};

const unchecked: CompatSkillReport = {
  name: "station-info",
  status: "error",
  dir: "skills/station-info",
  manifest: "skills/station-info/manifest.yaml",
  notes: [],
  dependencies: [],
  error: {
    code: "LOCK_MISSING",
    message: "skills/station-info/tools.lock.json does not exist",
    file: "skills/station-info/tools.lock.json",
    hint: "run `skills lock skills/station-info`",
  },
};

function result(skills: CompatSkillReport[], extra: Partial<CompatResult> = {}): CompatResult {
  const summary = { compatible: 0, warning: 0, "migration-needed": 0, incompatible: 0, error: 0 };
  for (const skill of skills) summary[skill.status]++;
  return { against: "live", strict: false, skills, summary, ...extra };
}

type Json = Record<string, unknown>;
const keys = (value: unknown) => Object.keys(value as Json);

describe("skills compat --json", () => {
  it("a checked skill has exactly the issue's keys, in its order, at every level", () => {
    const json = compatJson(result([checked])) as Json;
    expect(keys(json)).toEqual(["skills", "summary"]);
    const skill = (json.skills as Json[])[0]!;
    expect(keys(skill)).toEqual(["name", "status", "dependencies"]);
    const dep = (skill.dependencies as Json[])[0]!;
    expect(keys(dep)).toEqual(["tool", "range", "locked", "live", "status", "changes", "hints"]);
    expect(keys(dep.locked)).toEqual(["server", "version"]);
    expect(keys(dep.live)).toEqual(["server", "version"]);
    const change = (dep.changes as Json[])[0]!;
    expect(keys(change)).toEqual(["rule", "direction", "path", "severity", "used", "uses"]);
    expect(change.uses).toEqual([{ file: "skills/forecast-report/main.py", line: 11 }]);
    expect(json.summary).toEqual({ compatible: 0, warning: 0, "migration-needed": 0, incompatible: 1 });
    expect(keys(json.summary)).toEqual(["compatible", "warning", "migration-needed", "incompatible"]);
  });

  it("a skill that could not be checked adds status error and an error object, and the summary counts it", () => {
    const json = compatJson(result([checked, unchecked])) as Json;
    const skill = (json.skills as Json[])[1]!;
    expect(keys(skill)).toEqual(["name", "status", "dependencies", "error"]);
    expect(skill.status).toBe("error");
    expect(keys(skill.error)).toEqual(["code", "message", "file", "hint"]);
    expect(keys(json.summary)).toEqual(["compatible", "warning", "migration-needed", "incompatible", "error"]);
    expect((json.summary as Json).error).toBe(1);
    // the checked skill beside it keeps the plain shape
    expect(keys((json.skills as Json[])[0])).toEqual(["name", "status", "dependencies"]);
  });

  it("an error without a file or hint has only code and message", () => {
    const bare = { ...unchecked, error: { code: "SKILL_INVALID", message: "manifest.yaml: version: must be semver" } };
    const skill = ((compatJson(result([bare])) as Json).skills as Json[])[0]!;
    expect(skill.error).toEqual({ code: "SKILL_INVALID", message: "manifest.yaml: version: must be semver" });
  });

  it("--fix adds fix after the summary, with its own keys", () => {
    const fix = {
      files: [{ file: "skills/forecast-report/main.py", diff: "-a\n+b\n" }],
      applied: ["renamed `city` to `location`"],
      skipped: [],
      next: ["skills test skills/forecast-report --record"],
    };
    const json = compatJson(result([checked], { fix })) as Json;
    expect(keys(json)).toEqual(["skills", "summary", "fix"]);
    expect(keys(json.fix)).toEqual(["files", "applied", "skipped", "next"]);
    expect(keys((json.fix as { files: Json[] }).files[0])).toEqual(["file", "diff"]);
  });
});
