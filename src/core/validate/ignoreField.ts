/**
 * The rule for a `privacy.ignore_fields` entry, shared by the manifest validator and the PII policy (which applies
 * the same rule to `skills pii scan --ignore`). The matching itself is PII's (src/core/pii/json/pointer.ts).
 */

/** Why an `ignore_fields` entry can never match, or undefined when it is usable. */
export interface IgnoreFieldProblem {
  message: string;
  hint: string;
}

/**
 * The rule for an `ignore_fields` entry: a key name (no `/`), or a JSON pointer starting with `/` whose `~` is
 * followed by 0 or 1 and whose `*` stands for one whole segment (`**` and partial wildcards are not supported).
 */
export function checkIgnoreField(field: string): IgnoreFieldProblem | undefined {
  if (field === "")
    return { message: "is empty", hint: "write a key name such as support_email, or a pointer like /rows/*/owner" };
  if (!field.startsWith("/")) {
    if (!field.includes("/")) return undefined;
    return {
      message: `"${field}" is neither a key name (it contains "/") nor a JSON pointer (it does not start with "/")`,
      hint: `write the pointer from the root: "/${field}"; a key name that contains "/" is written with ~1 in a pointer`,
    };
  }
  const segments = field.split("/").slice(1);
  for (const segment of segments) {
    const tilde = /~(?![01])/.exec(segment);
    if (tilde) {
      return {
        message: `"${field}": "~" must be followed by 0 or 1 in a JSON pointer`,
        hint: 'write ~0 for "~" and ~1 for "/" inside a key',
      };
    }
    if (segment === "**") {
      return {
        message: `"${field}": "**" is not supported`,
        hint: "* stands for exactly one segment; write one pointer per depth, e.g. /rows/*/owner and /rows/*/*/owner",
      };
    }
    if (segment.includes("*") && segment !== "*") {
      return {
        message: `"${field}": "*" must be a whole segment, not part of one ("${segment}")`,
        hint: "* stands for any one key or index, e.g. /rows/*/owner; list the keys you mean one by one",
      };
    }
  }
  return undefined;
}
