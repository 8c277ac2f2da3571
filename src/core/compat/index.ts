/** The compatibility core: schema normalisation and diff, rules, usage, verdicts, hints, lock files. Pure. */
export { RULES, ruleById, isRuleId, type RuleId } from "./rules.js";
export { KEYWORDS, type KeywordChange, type KeywordInfo, type Cell } from "./keywords.js";
export { normalizeSchema, sameShape, type Schema } from "./normalize.js";
export { diffSchemas, diffToolSchemas } from "./diffSchema.js";
export { diffTool, deprecationOf, findRenamedTool } from "./diffTool.js";
export {
  judgeChange,
  worst,
  statusRank,
  isPrefix,
  reachesFailOn,
  FAIL_ON_LEVELS,
  type FailOn,
  type JudgedChange,
  type JudgeOptions,
} from "./judge.js";
export { compareDependency, findChanges, type CompareInput, type DependencyResult } from "./compare.js";
export { messageFor, hintFor, widenedRange, where, fieldName, type HintContext } from "./hints.js";
export { resolveUsage, type DeclaredTool } from "./usage.js";
export {
  LOCK_FILE,
  buildLock,
  lockDrift,
  lockTool,
  lockedToolInfo,
  parseLock,
  rawEntry,
  serializeLock,
  toolVersion,
  type LockDrift,
} from "./lockfile.js";
export { TOOLS_LOCK_SCHEMA } from "./lockSchema.js";
export type { Change } from "./types.js";
