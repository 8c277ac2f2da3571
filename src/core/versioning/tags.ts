/**
 * Releases as git tags: `<name>@<version>` (annotated; the message lists the interface changes), picking a release
 * by version, `latest` or a range, and `name@version` references. Pure.
 */
import semver from "semver";
import type { Bump, InterfaceChange } from "../../contracts/versioning.js";

export function releaseTag(name: string, version: string): string {
  return `${name}@${version}`;
}

/** `find-todos@1.2.0` -> its name and version; undefined for a tag that is not a release (no valid semver). */
export function parseReleaseTag(tag: string): { name: string; version: string } | undefined {
  const at = tag.lastIndexOf("@");
  if (at <= 0) return undefined;
  const version = tag.slice(at + 1);
  if (semver.valid(version) !== version) return undefined;
  return { name: tag.slice(0, at), version };
}

/**
 * `name@spec` where `name` has no slash (a path never is a versioned reference): `find-todos@1.0.0`,
 * `find-todos@latest`, `find-todos@^1`. Undefined for anything else.
 */
export function parseVersionedRef(ref: string): { name: string; spec: string } | undefined {
  const match = /^([^/\\@\s]+)@([^/\\@\s]+)$/.exec(ref);
  if (!match || match[1]!.startsWith(".")) return undefined;
  return { name: match[1]!, spec: match[2]! };
}

/** Versions from the highest. */
export function sortVersionsDescending(versions: string[]): string[] {
  return [...versions].sort((a, b) => semver.rcompare(a, b));
}

/**
 * The version `spec` names among `versions`: an exact version, `latest` (the highest release, pre-releases only when
 * there is nothing else), or a semver range (its highest match). Undefined when none matches.
 */
export function pickVersion(versions: string[], spec: string): string | undefined {
  if (spec === "latest") {
    const stable = versions.filter((v) => semver.prerelease(v) === null);
    return sortVersionsDescending(stable.length > 0 ? stable : versions)[0];
  }
  const exact = semver.valid(spec);
  if (exact) return versions.find((v) => semver.eq(v, exact));
  if (semver.validRange(spec) === null) return undefined;
  return semver.maxSatisfying(versions, spec, { includePrerelease: false }) ?? undefined;
}

/** `a..b`, `a..` (to the work tree), `..b` and `a` alone (a .. the work tree); empty sides are undefined. */
export function parseRange(text: string): { from?: string; to?: string } {
  const at = text.indexOf("..");
  if (at === -1) return text ? { from: text } : {};
  const from = text.slice(0, at);
  const to = text.slice(at + 2);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** The annotated tag's message: the release, then the interface changes since the previous one. */
export function releaseMessage(
  name: string,
  version: string,
  previous: string | undefined,
  changes: InterfaceChange[],
  required: Bump,
): string {
  const lines = [`${name} ${version}`, ""];
  if (previous === undefined) lines.push("First release.");
  else if (changes.length === 0) lines.push(`No interface changes since ${previous} (required bump: ${required}).`);
  else {
    lines.push(`Interface changes since ${previous} (required bump: ${required}):`);
    for (const change of changes) lines.push(`- ${change.bump}: ${change.message} [${change.rule}]`);
  }
  return `${lines.join("\n")}\n`;
}
