/** The library API: the same functions the CLI calls. */
export * from "./errors.js";
export type { Problem, ValidationResult, Severity } from "./contracts/problem.js";
export type { ToolInfo, ToolBackend, CallToolResult } from "./contracts/tools.js";
export { validate, type ValidateOptions, type ValidateResult, type SkillValidation } from "./commands/validate.js";
export { newSkill, type NewSkillOptions, type NewSkillResult } from "./commands/new.js";
export { listSkills, type ListOptions, type ListResult, type SkillListing } from "./commands/list.js";
export { loadSkill, type LoadSkillOptions } from "./store/loadSkill.js";
export { findSkillDirs, resolveSkillRef } from "./store/findSkills.js";
export { loadProjectConfig, type ProjectConfig } from "./store/config.js";
export type { LoadedSkill, Manifest, SkillFrontmatter, SkillLanguage } from "./contracts/skill.js";
export { PROBLEM_CODES, type ProblemCode } from "./core/validate/codes.js";
export { loadMcpConfig, type McpConfig, type ServerConfig } from "./mcp/config.js";
export { createClientPool, type ClientPool, type ClientPoolOptions } from "./mcp/pool.js";
export { loadCatalog, defaultCacheDir, findTool, type Catalog } from "./mcp/catalog.js";
export { toolsSearch, toolsList, toolsShow, type ToolsSearchResult } from "./commands/tools.js";
export { buildSearchIndex, searchTools, type SearchHit } from "./core/discovery/index.js";
export { runTests, type TestOptions } from "./commands/test.js";
export type { TestResult, SkillTestResult, CaseResult, TestSummary } from "./core/testing/results.js";
export type { TestCase, Expectation, Cassette, CassetteCall, CassetteTool } from "./core/testing/types.js";
export { parseTestFile } from "./core/testing/parseTestFile.js";
export { parseCassette } from "./core/testing/parseCassette.js";
export { evaluateExpectations } from "./core/testing/matchers.js";
export { schemaFingerprint } from "./core/testing/fingerprint.js";
export { renderJunit } from "./core/testing/junit.js";
export { createReplayBackend, createRecordingBackend, readCassette, writeCassette } from "./mcp/cassette/index.js";
export {
  generateSdk,
  renderSignatures,
  sdkNames,
  sdkParams,
  sdkServerName,
  sdkLayout,
  SDK_FORMAT_VERSION,
} from "./core/codegen/index.js";
export type { GeneratedFile, GenerateSdkOptions, SdkLanguage, SdkNames } from "./core/codegen/index.js";
export { sdk, readRuntimeSources, type SdkOptions, type SdkResult } from "./commands/sdk.js";
export { runSkill, type RunOptions, type RunCommandResult, type CellRun } from "./commands/run.js";
export { execCode, type ExecOptions, type ExecResult } from "./commands/exec.js";
export { openRepl, BlockReader, type ReplOptions, type ReplSession } from "./commands/repl.js";
export { runDoctor, type DoctorOptions, type DoctorResult } from "./commands/doctor.js";
export {
  metrics,
  METRICS_FORMATS,
  type MetricsFormat,
  type MetricsOptions,
  type MetricsResult,
} from "./commands/metrics.js";
export { insights, type InsightsOptions, type InsightsResult } from "./commands/insights.js";
export { newSkillFromRun, type NewFromRunOptions, type NewFromRunResult } from "./commands/new/fromRun.js";
export { recordSearch } from "./commands/shared/runLog.js";
export type { RunRecord, SearchRecord, LogRecord } from "./contracts/runRecord.js";
export {
  lockSkills,
  type LockOptions,
  type LockResult,
  type SkillLockResult,
  type SkillLockStatus,
} from "./commands/lock.js";
export {
  compat,
  type CompatOptions,
  type CompatResult,
  type CompatSkillReport,
  type CompatDependencyReport,
  type CompatChangeReport,
} from "./commands/compat.js";
export type { ToolsLock, LockedTool, CompatRule, CompatStatus, CheckStatus } from "./contracts/compat.js";
export {
  openExecution,
  type Execution,
  type ExecutionRecord,
  type OpenExecutionOptions,
  type RunKind,
  type RunObserver,
} from "./commands/shared/execution.js";
export { createPiiInterceptor, policyFromManifest, scanPii, type PiiInterceptor } from "./core/pii/index.js";
export type { PiiPolicy, PiiAudit, PiiFinding, PiiMode, PiiType } from "./core/pii/index.js";
export { piiScan, type PiiScanOptions, type PiiScanResult, type PiiScanFinding } from "./commands/pii.js";
export {
  runProgram,
  createRunner,
  createSession,
  detectIsolation,
  splitCells,
  DEFAULT_LIMITS,
  limitsFromManifest,
} from "./sandbox/index.js";
export type {
  RunRequest,
  RunResult,
  RunLimits,
  RunError,
  Runner,
  RunnerOptions,
  Session,
  SessionOptions,
  IsolationReport,
  ToolCallInterceptor,
  ToolCallRecord,
} from "./contracts/run.js";
export { initProject, type InitOptions, type InitResult } from "./commands/init.js";
export { release, type ReleaseOptions, type ReleaseResult } from "./commands/release.js";
export { log, type LogOptions, type LogResult, type LogRelease } from "./commands/log.js";
export { diff, type DiffOptions, type DiffResult, type DiffSide } from "./commands/diff.js";
export { review, type ReviewOptions, type ReviewResult, type ReviewedSkill } from "./commands/review.js";
export { reviewJson } from "./core/review/report.js";
export {
  resolveSkillVersion,
  type ResolveSkillVersionOptions,
  type SkillVersion,
} from "./commands/shared/skillVersion.js";
export { diffSkillInterface, requiredBump, skillInterface } from "./core/versioning/index.js";
export type {
  Bump,
  InterfaceChange,
  ReviewFinding,
  ReviewReport,
  ReviewSkill,
  SkillInterface,
  SkillRelease,
} from "./contracts/versioning.js";
