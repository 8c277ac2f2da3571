/** Skills versioned in git: interface diff, required bumps, releases as tags. Pure. */
export { BUMPS, bumpBetween, bumpRank, isBump, maxBump, nextVersion } from "./bump.js";
export { SKILL_RULES, bumpForRule, diffSkillInterface, skillInterface, type SkillRule } from "./interface.js";
export { requiredBump, shipsWithSkill } from "./required.js";
export {
  parseRange,
  parseReleaseTag,
  parseVersionedRef,
  pickVersion,
  releaseMessage,
  releaseTag,
  sortVersionsDescending,
} from "./tags.js";
export { setManifestVersion } from "./setVersion.js";
