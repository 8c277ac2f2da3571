import { describe, expect, it } from "vitest";
import { SkillsError } from "../../../src/errors.js";
import { BUILTIN_PII_TYPES, isPiiMode, policyFromManifest } from "../../../src/core/pii/index.js";
import { pointerIgnored } from "../../../src/core/pii/json/pointer.js";
import { checkIgnoreField } from "../../../src/core/validate/ignoreField.js";

function errorOf(fn: () => unknown): SkillsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SkillsError) return error;
    throw error;
  }
  throw new Error("expected a SkillsError");
}

describe("policyFromManifest", () => {
  it("defaults to every built-in detector in default mode", () => {
    const policy = policyFromManifest();
    expect(policy.mode).toBe("default");
    expect([...policy.types].sort()).toEqual([...BUILTIN_PII_TYPES].sort());
    expect(policy.patterns).toEqual([]);
  });

  it("takes the exec flag over the manifest over the config default", () => {
    expect(policyFromManifest({ mode: "strict" }, "off", "default").mode).toBe("off");
    expect(policyFromManifest({ mode: "strict" }, undefined, "off").mode).toBe("strict");
    expect(policyFromManifest({}, undefined, "off").mode).toBe("off");
  });

  it("limits detectors to privacy.tokenize and compiles custom patterns", () => {
    const policy = policyFromManifest({
      tokenize: ["email", "phone"],
      patterns: [{ name: "employee_id", regex: "E-\\d{6}" }],
      ignore_fields: ["Owner", "/a/*/b"],
    });
    expect([...policy.types]).toEqual(["email", "phone"]);
    expect(policy.patterns[0]?.regex.flags).toBe("g");
    expect([...policy.ignoreKeys]).toEqual(["owner"]);
    expect(policy.ignorePointers).toEqual([["a", "*", "b"]]);
  });

  it.each([
    [
      { tokenize: ["email", "passport"] },
      "/privacy/tokenize/1",
      'privacy.tokenize[1]: unknown detector "passport"',
      "built-in detectors: email, phone, ssn, credit_card, ip, secret, iban; add your own under privacy.patterns",
    ],
    [
      { patterns: [{ name: "Bad Name", regex: "x" }] },
      "/privacy/patterns/0/name",
      'privacy.patterns[0]: the name "Bad Name" is not a lower-case snake_case name of at most 40 characters',
      "use a name like employee_id: a lower-case letter, then letters, digits or _ (it becomes the token prefix, [EMPLOYEE_ID_1])",
    ],
    [
      { patterns: [{ name: "email", regex: "x" }] },
      "/privacy/patterns/0/name",
      'privacy.patterns[0]: the name "email" is the name of a built-in detector',
      'list "email" under privacy.tokenize instead, or rename the pattern',
    ],
    [
      {
        patterns: [
          { name: "a", regex: "x" },
          { name: "a", regex: "y" },
        ],
      },
      "/privacy/patterns/1/name",
      'privacy.patterns[1]: the name "a" is used by another pattern',
      "give each pattern its own name",
    ],
    [
      { patterns: [{ name: "broken", regex: "(E-\\d" }] },
      "/privacy/patterns/0/regex",
      "privacy.patterns[0]: (broken) invalid regex: Invalid regular expression: /(E-\\d/g: Unterminated group",
      'write a JavaScript regular expression without slashes or flags, e.g. "E-\\\\d{6}"',
    ],
    [
      { patterns: [{ name: "empty", regex: "\\d*" }] },
      "/privacy/patterns/0/regex",
      "privacy.patterns[0]: (empty) the regex matches the empty string",
      "make the pattern require at least one character (use + instead of *)",
    ],
    [
      { ignore_fields: ["note", "rows/*/owner"] },
      "/privacy/ignore_fields/1",
      'privacy.ignore_fields[1]: "rows/*/owner" is neither a key name (it contains "/") nor a JSON pointer (it does not start with "/")',
      'write the pointer from the root: "/rows/*/owner"; a key name that contains "/" is written with ~1 in a pointer',
    ],
    [
      { ignore_fields: ["/a/~2"] },
      "/privacy/ignore_fields/0",
      'privacy.ignore_fields[0]: "/a/~2": "~" must be followed by 0 or 1 in a JSON pointer',
      'write ~0 for "~" and ~1 for "/" inside a key',
    ],
    [
      { ignore_fields: ["/a/b~"] },
      "/privacy/ignore_fields/0",
      'privacy.ignore_fields[0]: "/a/b~": "~" must be followed by 0 or 1 in a JSON pointer',
      'write ~0 for "~" and ~1 for "/" inside a key',
    ],
    [
      { ignore_fields: ["/rows/**/x"] },
      "/privacy/ignore_fields/0",
      'privacy.ignore_fields[0]: "/rows/**/x": "**" is not supported',
      "* stands for exactly one segment; write one pointer per depth, e.g. /rows/*/owner and /rows/*/*/owner",
    ],
    [
      { ignore_fields: ["/rows/user*"] },
      "/privacy/ignore_fields/0",
      'privacy.ignore_fields[0]: "/rows/user*": "*" must be a whole segment, not part of one ("user*")',
      "* stands for any one key or index, e.g. /rows/*/owner; list the keys you mean one by one",
    ],
    [
      { ignore_fields: [""] },
      "/privacy/ignore_fields/0",
      "privacy.ignore_fields[0]: is empty",
      "write a key name such as support_email, or a pointer like /rows/*/owner",
    ],
  ])("rejects %j at %s", (privacy, pointer, message, hint) => {
    const error = errorOf(() => policyFromManifest(privacy));
    expect(error.code).toBe("MANIFEST_INVALID");
    expect(error.data.pointer).toBe(pointer);
    expect(error.message).toBe(message);
    expect(error.data.reason).toBe(message.replace(/^privacy\.\w+\[\d+\]: /, ""));
    expect(error.data.hint).toBe(hint);
  });

  it("accepts key names, pointers with escapes and * segments, and matches them", () => {
    const policy = policyFromManifest({ ignore_fields: ["a~b", "*", "/", "/x~1y/~0z/*", "/rows/*"] });
    expect([...policy.ignoreKeys]).toEqual(["a~b", "*"]);
    expect(policy.ignorePointers).toEqual([[""], ["x/y", "~z", "*"], ["rows", "*"]]);
    expect(pointerIgnored(["x/y", "~z", 3], policy.ignorePointers)).toBe(true);
    expect(pointerIgnored(["x/y", "z", 3], policy.ignorePointers)).toBe(false);
    expect(pointerIgnored(["rows", 0, "owner"], policy.ignorePointers)).toBe(true);
    expect(checkIgnoreField("/rows/*/owner")).toBeUndefined();
  });

  it("rejects an unknown mode", () => {
    const error = errorOf(() => policyFromManifest(undefined, "loud" as never));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.data.hint).toContain("off, default, strict");
    expect(isPiiMode("strict")).toBe(true);
    expect(isPiiMode("loud")).toBe(false);
  });
});
