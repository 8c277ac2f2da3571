/** The library API: the same functions the CLI calls. */
export * from "./errors.js";
export type { Problem, ValidationResult, Severity } from "./core/problem.js";
export type { ToolInfo, ToolBackend, CallToolResult } from "./mcp/types.js";
export { validate, type ValidateOptions, type ValidateResult, type SkillValidation } from "./commands/validate.js";
export { newSkill, type NewSkillOptions, type NewSkillResult } from "./commands/new.js";
export { listSkills, type ListOptions, type ListResult, type SkillListing } from "./commands/list.js";
export { loadSkill, type LoadSkillOptions } from "./store/loadSkill.js";
export { findSkillDirs, resolveSkillRef } from "./store/findSkills.js";
export { loadProjectConfig, type ProjectConfig } from "./store/config.js";
export type { LoadedSkill, Manifest, SkillFrontmatter, SkillLanguage } from "./core/skill/types.js";
export { PROBLEM_CODES, type ProblemCode } from "./core/validate/codes.js";
export { loadMcpConfig, type McpConfig, type ServerConfig } from "./mcp/config.js";
export { createClientPool, type ClientPool, type ClientPoolOptions } from "./mcp/pool.js";
export { loadCatalog, defaultCacheDir, findTool, type Catalog } from "./mcp/catalog.js";
export { toolsSearch, toolsList, toolsShow, type ToolsSearchResult } from "./commands/tools.js";
export { buildSearchIndex, searchTools, type SearchHit } from "./core/discovery/index.js";
