/**
 * Every command of the CLI, as data. To add one: describe it here (options from options.ts where they are shared)
 * and write its handler in handlers/<name>.ts; the handler calls src/commands/<name>.ts and a renderer in render/.
 */
import type { CommandSpec } from "./commandSpec.js";
import { describe, OPTIONS, PII_FOR_SKILLS } from "./options.js";

export const COMMANDS: CommandSpec[] = [
  {
    command: "tools [action] [...args]",
    description: "Find MCP tools: search <query> | list | show <server/tool>",
    usage:
      "tools search <query> [options]\n  $ skills tools list [options]\n  $ skills tools show <server/tool> [options]",
    options: [
      { flags: "--detail <level>", description: "name | summary | full (schemas and generated signatures)" },
      { flags: "--limit <n>", description: "At most this many results (search; default 10)" },
      {
        flags: "--server <name>",
        description: "Only tools of this server (repeatable, or comma-separated)",
        repeatable: true,
      },
      {
        flags: "--stats",
        description: "search, list: count the tokens of the answer and of every tool definition as sent (o200k_base)",
      },
      OPTIONS.refresh,
      OPTIONS.config,
    ],
    examples: [
      'skills tools search "read a file" --detail summary',
      "skills tools list --server memory --detail name",
      "skills tools show filesystem/read_text_file",
    ],
    load: () => import("./handlers/tools.js"),
  },
  {
    command: "validate [...paths]",
    description:
      "Check skills against the Agent Skills specification (a skill folder, a folder of skills, or the roots)",
    options: [
      {
        flags: "--strict",
        description: "Make the toolkit's own stricter checks errors too (default: they are warnings)",
      },
      OPTIONS.profile,
      describe(OPTIONS.config, "Check the declared tools against this .mcp.json instead of the nearest one"),
    ],
    examples: [
      "skills validate",
      "skills validate skills/find-todos --strict",
      "skills validate path/to/agent-skill --profile claude",
    ],
    load: () => import("./handlers/validate.js"),
  },
  {
    command: "new <name>",
    description: "Create a skill folder (SKILL.md, manifest.yaml, entry, tests/basic.yaml) from a template",
    options: [
      describe(OPTIONS.lang, "python or typescript (default: python)"),
      {
        flags: "--description <text>",
        description: "What the skill does and when to use it (no < or >, at most 1024 chars)",
        repeatable: true,
      },
      describe(OPTIONS.tools, "Tool dependencies as server/tool[@range], comma-separated (default range *)"),
      {
        flags: "--dir <folder>",
        description: "Parent folder (default: the first configured root, skills/)",
        repeatable: true,
      },
      {
        flags: "--from-run <id>",
        description: "Make the skill from a logged exec run: its code, the tools it called, a test case",
        repeatable: true,
      },
      describe(OPTIONS.input, "With --from-run: the run's input for the test case (JSON text or @file)"),
      describe(OPTIONS.config, "With --from-run: the .mcp.json to ask for the tools' versions"),
    ],
    examples: [
      "skills new find-large-files --lang python --tools filesystem/list_directory_with_sizes",
      "skills new sum-numbers --from-run r_3f9a1c2b7d4e5f60",
    ],
    load: () => import("./handlers/new.js"),
  },
  {
    command: "list",
    description: "List skills under the configured roots: name, kind, version, language, tools, validity, description",
    options: [{ flags: "--strict", description: "Judge validity with --strict rules" }, OPTIONS.profile],
    load: () => import("./handlers/list.js"),
  },
  {
    command: "test [...skills]",
    description: "Run skills' test cases: replay cassettes (default), --live, or --record new ones",
    options: [
      { flags: "--record", description: "Run against the live servers in .mcp.json and rewrite the cassettes" },
      { flags: "--live", description: "Run against the live servers without cassettes" },
      {
        flags: "--filter <pattern>",
        description: "Only cases whose skill/case matches: substring, glob (*, ?) or /regex/",
        repeatable: true,
      },
      { flags: "--junit <file>", description: "Also write a JUnit XML report to this file", repeatable: true },
      { flags: "--concurrency <n>", description: "Cases run at once (default: CPUs, at least 4)" },
      { flags: "--strict", description: "Fail cases whose cassette was recorded against another tool schema" },
      OPTIONS.requireIsolation,
      describe(OPTIONS.config, "Use this .mcp.json instead of the nearest one (--live, --record)"),
    ],
    examples: [
      "skills test find-todos",
      "skills test skills --junit reports/skills.xml",
      "skills test find-todos --record",
    ],
    load: () => import("./handlers/test.js"),
  },
  {
    command: "run <skill>",
    description: "Run a skill (folder or name) in the sandbox against its MCP tools",
    options: [
      OPTIONS.input,
      describe(OPTIONS.timeout, "Wall-clock limit in milliseconds (overrides limits.timeout_ms)"),
      OPTIONS.requireIsolation,
      {
        flags: "--cells",
        description: "Run the entry cell by cell (# %% / // %%) in one session, printing each cell",
      },
      OPTIONS.config,
      PII_FOR_SKILLS,
    ],
    examples: ['skills run summarize-directory --input \'{"path": "src"}\''],
    load: () => import("./handlers/run.js"),
    early: () => import("./early/run.js"),
  },
  {
    command: "exec [file]",
    description: "Run a program (--code, --file/file, or - for stdin) in the sandbox with the tools you allow",
    options: [
      OPTIONS.lang,
      { flags: "--code <source>", description: "The program text", repeatable: true },
      { flags: "--file <path>", description: "Read the program from a file (- reads stdin)", repeatable: true },
      OPTIONS.tools,
      OPTIONS.allTools,
      describe(OPTIONS.input, "Input for run(input): JSON text or @file"),
      OPTIONS.timeout,
      OPTIONS.requireIsolation,
      OPTIONS.config,
      OPTIONS.pii,
    ],
    examples: [
      `skills exec --lang python --tools everything/get-sum --code 'from servers.everything import get_sum
result = get_sum(a=1, b=2)'`,
    ],
    load: () => import("./handlers/exec.js"),
    early: () => import("./early/exec.js"),
  },
  {
    command: "repl",
    description: "Interactive session: code blocks run in one live sandboxed worker that keeps its variables",
    options: [
      describe(OPTIONS.lang, "python | typescript | javascript (default python)"),
      describe(OPTIONS.tools, "Tools the code may call: server/tool,server/tool"),
      describe(OPTIONS.allTools, "Allow every tool of every server in .mcp.json"),
      describe(OPTIONS.timeout, "Wall-clock limit per block in milliseconds"),
      OPTIONS.requireIsolation,
      OPTIONS.config,
      OPTIONS.pii,
    ],
    examples: ["printf 'x = 21\\n\\nresult = x * 2\\n' | skills repl --lang python"],
    load: () => import("./handlers/repl.js"),
  },
  {
    command: "serve",
    description: "Serve the toolkit to agents as an MCP server (stdio, or streamable HTTP with --http)",
    options: [
      {
        flags: "--http <port>",
        description: "Serve streamable HTTP at /mcp on this port instead of stdio (0: any free)",
      },
      { flags: "--host <address>", description: "Address for --http (default 127.0.0.1; others need --token-env)" },
      {
        flags: "--token-env <name>",
        description: "Require Authorization: Bearer <token>, the token read from this environment variable",
      },
      {
        flags: "--allow-origin <origin>",
        description: "Let browser pages from this origin call the server (repeatable)",
        repeatable: true,
      },
      { flags: "--stateless", description: "With --http: no MCP sessions, every request stands alone" },
      {
        flags: "--idle-timeout <ms>",
        description: "An execute_code session ends after this long without a call (default 600000)",
      },
      OPTIONS.requireIsolation,
      OPTIONS.config,
      PII_FOR_SKILLS,
    ],
    examples: [
      "skills serve",
      "SKILLS_TOKEN=$(openssl rand -hex 32) skills serve --http 8765 --token-env SKILLS_TOKEN",
    ],
    load: () => import("./handlers/serve.js"),
  },
  {
    command: "doctor",
    description: "Check the sandbox isolation, interpreters and (with --servers) the MCP servers",
    options: [
      { flags: "--servers", description: "Start every server in .mcp.json and list its tools" },
      OPTIONS.config,
    ],
    load: () => import("./handlers/doctor.js"),
  },
  {
    command: "sdk",
    description: "Generate typed TypeScript/Python wrappers for the MCP tools (writes <out>/servers/)",
    options: [
      { flags: "--lang <lang>", description: "ts | python | both (default both)" },
      { flags: "--out <dir>", description: "Folder that receives servers/ (default: the current folder)" },
      { flags: "--servers <names>", description: "Only these servers (comma-separated or repeated)", repeatable: true },
      OPTIONS.config,
      OPTIONS.refresh,
      {
        flags: "--check",
        description: "Write nothing; exit 1 when the tree on disk differs from a fresh one (for CI)",
      },
    ],
    examples: [
      "skills sdk --lang both --out /tmp/sdk",
      "skills sdk --lang python --servers filesystem,memory",
      "skills sdk --check",
    ],
    load: () => import("./handlers/sdk.js"),
  },
  {
    command: "pii [action] [file]",
    description: "Show what PII tokenization would replace in a file: pii scan <file|->",
    usage: "pii scan <file|-> [options]",
    options: [
      {
        flags: "--mode <mode>",
        description: "off | default | strict (default: the manifest's, else the config's pii setting)",
      },
      {
        flags: "--format <format>",
        description: "auto | json | jsonl | text (default: auto, by extension and content)",
      },
      { flags: "--manifest <file>", description: "Apply the privacy: block of this manifest.yaml" },
      {
        flags: "--tokenize <types>",
        description: "Only these detectors, comma-separated: email,phone,ssn,credit_card,ip,secret,iban",
      },
      { flags: "--pattern <name=regex>", description: "Add a custom detector (repeatable)", repeatable: true },
      {
        flags: "--ignore <field>",
        description: "Leave this field name or JSON pointer alone (repeatable)",
        repeatable: true,
      },
      { flags: "--show-values", description: "Print the matched text instead of a masked form" },
    ],
    examples: [
      "skills pii scan records.json",
      "cat log.txt | skills pii scan - --format text --show-values",
      'skills pii scan rows.jsonl --pattern "employee_id=E-\\d{6}" --ignore support_email',
    ],
    load: () => import("./handlers/pii.js"),
  },
  {
    command: "metrics",
    description: "Summarise the run log per skill and per tool: runs, success, p50/p95/p99, tokens, PII",
    options: [
      OPTIONS.since,
      {
        flags: "--skill <name>",
        description: "Only this skill ((exec) and (repl) for programs that are not skills)",
        repeatable: true,
      },
      {
        flags: "--format <format>",
        description: "table | json | prometheus | openmetrics (default: table; --json is json)",
        repeatable: true,
      },
      { flags: "--html <file>", description: "Also write a self-contained HTML report with charts", repeatable: true },
    ],
    examples: ["skills metrics --since 7d --html report.html", "skills metrics --format prometheus"],
    load: () => import("./handlers/metrics.js"),
  },
  {
    command: "insights",
    description: "What to fix first: failing skills and tools, slower versions, tool chains worth a skill",
    options: [
      OPTIONS.since,
      {
        flags: "--min-runs <n>",
        description: "Runs a skill or tool needs before its failure rate is judged (default 10)",
        repeatable: true,
      },
    ],
    examples: ["skills insights --since 7d"],
    load: () => import("./handlers/insights.js"),
  },
  {
    command: "lock [...skills]",
    description: "Pin each skill's tool dependencies (server, version, schemas, hashes) in tools.lock.json",
    options: [
      { flags: "--check", description: "Write nothing; exit 1 when a lock is missing or stale (for CI)" },
      OPTIONS.config,
      OPTIONS.refresh,
    ],
    examples: ["skills lock", "skills lock skills/find-todos --check"],
    load: () => import("./handlers/lock.js"),
  },
  {
    command: "compat [...skills]",
    description: "Check skills against the tools they depend on: what changed since the lock, and what it breaks",
    options: [
      {
        flags: "--against <ref>",
        description:
          "live (default: the servers in .mcp.json now) or a git ref whose locks are compared with the work tree's",
        repeatable: true,
      },
      {
        flags: "--format <format>",
        description: "text | json | md | junit | github (workflow annotations); --json is --format json",
        repeatable: true,
      },
      {
        flags: "--fail-on <level>",
        description: "Exit 1 when a skill reaches: warning | migration-needed (default) | incompatible",
        repeatable: true,
      },
      {
        flags: "--strict",
        description: "Ignore usage: a change to a part the skill does not use counts as much as one it uses",
      },
      {
        flags: "--fix",
        description: "Apply the mechanical migrations (renamed tools, arguments, values, fields) and print the diff",
      },
      { flags: "--rules", description: "List the rules (with --json: as data)" },
      OPTIONS.config,
      OPTIONS.refresh,
      {
        flags: "--no-typecheck",
        description: "Do not type-check TypeScript skills against the SDK of the new schemas",
      },
    ],
    examples: [
      "skills compat",
      "skills compat skills/find-todos --format md",
      "skills compat --against origin/main --format github --fail-on incompatible",
    ],
    load: () => import("./handlers/compat.js"),
  },
  {
    command: "release <skill>",
    description: "Tag a release <name>@<version> after validation, tests, compat and a bump check against the last one",
    options: [
      {
        flags: "--bump <level>",
        description: "major | minor | patch: write the last release's version bumped by this and commit it",
      },
      { flags: "--dry-run", description: "Check everything, write nothing: no commit, no tag" },
    ],
    examples: ["skills release find-todos", "skills release find-todos --bump minor"],
    load: () => import("./handlers/release.js"),
  },
  {
    command: "log <skill>",
    description: "A skill's releases with dates and interface changes, and the commits since the last one",
    options: [],
    examples: ["skills log find-todos"],
    load: () => import("./handlers/log.js"),
  },
  {
    command: "diff <skill> [range]",
    description: "A skill's interface diff between versions: <a>..<b> (versions or git refs; default last release..)",
    options: [],
    examples: ["skills diff find-todos", "skills diff find-todos 1.0.0..2.0.0", "skills diff find-todos main.."],
    load: () => import("./handlers/diff.js"),
  },
  {
    command: "review",
    description: "Review the skills a branch changes: validation, tests, compat, interface diff and version bumps",
    options: [
      { flags: "--base <ref>", description: "The branch the change goes into (the merge base with it is compared)" },
      {
        flags: "--head <ref>",
        description: "A commit to review (default: the work tree, uncommitted changes included)",
      },
      { flags: "--format <format>", description: "text | json | md (a pull-request comment) | github (annotations)" },
      {
        flags: "--allow-breaking",
        description: "A removed skill that is still referenced, and compat at or above migration-needed, do not block",
      },
    ],
    examples: ["skills review --base main", "skills review --base origin/main --format md > review.md"],
    load: () => import("./handlers/review.js"),
  },
  {
    command: "init [dir]",
    description: "Start a skills project: config, .mcp.json, an example skill, .gitignore and the CI workflows",
    options: [],
    examples: ["skills init", "skills init my-skills"],
    load: () => import("./handlers/init.js"),
  },
];
