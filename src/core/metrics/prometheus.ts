/**
 * The run log as Prometheus (text 0.0.4) or OpenMetrics text, through prom-client: counters and histograms whose
 * labels come only from bounded sets — skill, tool, language, status (ok | error), start (cold | warm), PII type —
 * never run ids, arguments or messages. `skills serve --metrics` can hand a scrape the same text.
 */
import client from "prom-client";
import type { RunRecord } from "../../contracts/runRecord.js";
import { skillLabel } from "./aggregate.js";

export type PrometheusFormat = "prometheus" | "openmetrics";

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface PrometheusText {
  text: string;
  contentType: string;
}

export async function renderPrometheus(runs: readonly RunRecord[], format: PrometheusFormat): Promise<PrometheusText> {
  const exposition = createExposition(format);
  for (const run of runs) exposition.add(run);
  return exposition.render();
}

export interface Exposition {
  /** Counts one run in (records are not kept). */
  add(run: RunRecord): void;
  render(): Promise<PrometheusText>;
}

/** The metric families, filled run by run (a large log is read without keeping its records). */
export function createExposition(format: PrometheusFormat): Exposition {
  const registry = new client.Registry<client.RegistryContentType>();
  if (format === "openmetrics") registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [registry];
  const runsTotal = new client.Counter({
    name: "skills_runs_total",
    help: "Runs of skills, exec programs, test cases and repl cells in the run log",
    labelNames: ["skill", "language", "status"],
    registers,
  });
  const duration = new client.Histogram({
    name: "skills_run_duration_seconds",
    help: "Run time of the program, from hand-off to result",
    labelNames: ["skill", "language", "status"],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const startup = new client.Histogram({
    name: "skills_run_startup_seconds",
    help: "Time before the program started: preparation, and the interpreter start of a cold run",
    labelNames: ["skill", "start"],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const toolCalls = new client.Counter({
    name: "skills_tool_calls_total",
    help: "MCP tools/call requests made by programs (gen_ai.tool.name)",
    labelNames: ["tool", "status"],
    registers,
  });
  const toolDuration = new client.Histogram({
    name: "skills_tool_call_duration_seconds",
    help: "Duration of a tool call (per run, the mean of its calls to the tool)",
    labelNames: ["tool"],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const requestBytes = new client.Counter({
    name: "skills_tool_request_bytes_total",
    help: "Bytes of tool-call arguments sent by programs",
    labelNames: ["tool"],
    registers,
  });
  const responseBytes = new client.Counter({
    name: "skills_tool_response_bytes_total",
    help: "Bytes of tool results returned to programs (after PII tokenization)",
    labelNames: ["tool"],
    registers,
  });
  const tokensIn = new client.Counter({
    name: "skills_tokens_in_total",
    help: "o200k_base tokens of the tool results programs read (what a model would otherwise have read)",
    labelNames: ["skill"],
    registers,
  });
  const tokensOut = new client.Counter({
    name: "skills_tokens_out_total",
    help: "o200k_base tokens of the results programs returned",
    labelNames: ["skill"],
    registers,
  });
  const pii = new client.Counter({
    name: "skills_pii_values_total",
    help: "Personal data values replaced by tokens, per type",
    labelNames: ["skill", "type"],
    registers,
  });
  const add = (run: RunRecord): void => {
    const skill = skillLabel(run);
    const status = run.outcome === "ok" ? "ok" : "error";
    const labels = { skill, language: run.language, status };
    runsTotal.inc(labels);
    duration.observe(labels, run.duration_ms / 1000);
    startup.observe({ skill, start: run.start }, (run.startup_ms ?? 0) / 1000);
    if (run.tokens_in > 0) tokensIn.inc({ skill }, run.tokens_in);
    if (run.tokens_out > 0) tokensOut.inc({ skill }, run.tokens_out);
    for (const call of run.tools) {
      const tool = call["gen_ai.tool.name"];
      if (call.calls - call.failed > 0) toolCalls.inc({ tool, status: "ok" }, call.calls - call.failed);
      if (call.failed > 0) toolCalls.inc({ tool, status: "error" }, call.failed);
      const mean = call.calls > 0 ? call.ms / call.calls / 1000 : 0;
      for (let i = 0; i < call.calls; i++) toolDuration.observe({ tool }, mean);
      if (call.bytes_in > 0) requestBytes.inc({ tool }, call.bytes_in);
      if (call.bytes_out > 0) responseBytes.inc({ tool }, call.bytes_out);
    }
    if (run.pii) for (const [type, n] of Object.entries(run.pii)) pii.inc({ skill, type }, n);
  };
  return {
    add,
    render: async () => ({ text: await registry.metrics(), contentType: registry.contentType }),
  };
}
