export {
  makeProblem,
  PROBLEM_CODES,
  type ProblemCode,
  type ProblemCodeInfo,
  type ProblemLevel,
  severityFor,
} from "./codes.js";
export type { DocumentContext } from "./documentContext.js";
export { type FrontmatterCheckResult, validateFrontmatter } from "./frontmatter.js";
export { checkJsonSchema } from "./jsonSchema.js";
export { type ManifestCheckResult, TOOL_KEY_PATTERN, validateManifest } from "./manifest.js";
export { checkSkillName, NAME_RULE, RESERVED_WORDS, suggestSkillName } from "./names.js";
export { createSchemaValidator, type SchemaIssue, type SchemaValidator } from "./schemaValidator.js";
export { closestMatches, editDistance } from "./suggest.js";
