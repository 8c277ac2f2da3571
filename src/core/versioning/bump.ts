/** Semver bumps: their order, the bump between two versions, the next version. Pure. */
import semver from "semver";
import type { Bump } from "../../contracts/versioning.js";

export const BUMPS: readonly Bump[] = ["none", "patch", "minor", "major"];

export function isBump(value: string): value is Exclude<Bump, "none"> {
  return value === "major" || value === "minor" || value === "patch";
}

export function bumpRank(bump: Bump): number {
  return BUMPS.indexOf(bump);
}

/** The larger of the bumps (none for none). */
export function maxBump(bumps: Iterable<Bump>): Bump {
  let best: Bump = "none";
  for (const bump of bumps) if (bumpRank(bump) > bumpRank(best)) best = bump;
  return best;
}

/**
 * The bump from `from` to `to`: `none` when they are equal or `to` is lower (a downgrade is no bump), and a
 * pre-release counts as the bump it leads to (1.0.0 -> 2.0.0-rc.1 is major). Below 1.0.0 the positions keep their
 * names: 0.1.0 -> 0.2.0 is minor, as semver.diff says.
 */
export function bumpBetween(from: string, to: string): Bump {
  const a = semver.parse(from);
  const b = semver.parse(to);
  if (!a || !b || semver.lte(b, a)) return "none";
  if (b.major !== a.major) return "major";
  if (b.minor !== a.minor) return "minor";
  if (b.patch !== a.patch) return "patch";
  // same numbers, different pre-release: 1.0.0-rc.1 -> 1.0.0-rc.2 or -> 1.0.0
  return "patch";
}

/** `version` bumped: 1.4.2 + minor = 1.5.0; a pre-release is released at its own numbers by the bump it leads to. */
export function nextVersion(version: string, bump: Exclude<Bump, "none">): string | undefined {
  return semver.inc(version, bump) ?? undefined;
}
