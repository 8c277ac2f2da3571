/**
 * The run log as Prometheus (text 0.0.4) or OpenMetrics text, through prom-client: counters and histograms whose
 * labels come only from bounded sets — skill, tool, language, status (ok | error), start (cold | warm), PII type —
 * never run ids, arguments or messages. `skills serve --metrics` can hand a scrape the same text.
 *
 * The figures are summed first, one entry per label set, and only the sums reach prom-client: a counter is increased
 * once per label set, and a histogram is given its bucket counts, sum and count (AggregatedHistogram) instead of one
 * observe() per run — 100,000 runs cost a few thousand calls, not half a million.
 */
import client from "prom-client";
import type { MetricsFilter } from "./aggregate.js";
import { columnsOf, NOT_STARTED, OK, type RunColumns, WARM } from "./columns.js";
import type { RunRecord } from "../../contracts/runRecord.js";

export type PrometheusFormat = "prometheus" | "openmetrics";

export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface PrometheusText {
  text: string;
  contentType: string;
}

export async function renderPrometheus(runs: readonly RunRecord[], format: PrometheusFormat): Promise<PrometheusText> {
  const exposition = createExposition(format);
  exposition.add(columnsOf(runs));
  return exposition.render();
}

export interface Exposition {
  /** Sums one file's runs in (those in the filter's window). */
  add(columns: RunColumns, filter?: MetricsFilter): void;
  render(): Promise<PrometheusText>;
}

type Labels = Record<string, string>;

/** Observations of one label set, already in buckets. */
interface HistogramData {
  labels: Labels;
  /** counts[b]: observations in (bounds[b-1], bounds[b]]; the last slot is above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

/** The bucket an observation goes in, as prom-client's `observe` chooses it: the first bound >= value. */
function bucketOf(value: number): number {
  for (let b = 0; b < DURATION_BUCKETS.length; b++) if (value <= (DURATION_BUCKETS[b] as number)) return b;
  return DURATION_BUCKETS.length;
}

/**
 * A prom-client histogram given its buckets already counted. It registers, names and types like any Histogram; its
 * samples are the ones prom-client's own would export for the same observations (cumulative `le` buckets, +Inf,
 * _sum, _count), and the registry formats them (escaping, OpenMetrics).
 */
class AggregatedHistogram extends client.Histogram<string> {
  private data: HistogramData[] = [];
  private readonly config: client.HistogramConfiguration<string>;

  constructor(config: client.HistogramConfiguration<string>) {
    super(config);
    this.config = config;
  }

  setData(data: HistogramData[]): void {
    this.data = data;
  }

  override async get(): Promise<client.MetricObjectWithValues<client.MetricValueWithName<string>>> {
    const { name, help } = this.config;
    const values: client.MetricValueWithName<string>[] = [];
    for (const { labels, counts, sum, count } of this.data) {
      let cumulative = 0;
      DURATION_BUCKETS.forEach((bound, b) => {
        cumulative += counts[b] as number;
        values.push({ metricName: `${name}_bucket`, labels: { le: bound, ...labels }, value: cumulative });
      });
      values.push({ metricName: `${name}_bucket`, labels: { le: "+Inf", ...labels }, value: count });
      values.push({ metricName: `${name}_sum`, labels, value: sum });
      values.push({ metricName: `${name}_count`, labels, value: count });
    }
    // MetricType is an enum of the typings only (prom-client exports no such value): its value is the text.
    const type = "histogram" as unknown as client.MetricType;
    return { name, help, type, values, aggregator: "sum", collect: () => {} };
  }

  /** What the registry asks a histogram for when it writes text (prom-client's own reads its observe() map). */
  async getForPromString(): Promise<client.MetricObjectWithValues<client.MetricValueWithName<string>>> {
    return this.get();
  }
}

/** One entry per label set, in the order the sets first got a value. */
class LabelSets<T extends { labels: Labels }> {
  private readonly map = new Map<string, T>();
  constructor(private readonly make: (labels: Labels) => T) {}
  /** The entry of a label set, to add to directly. */
  entry(labels: Labels): T {
    const key = Object.values(labels).join("\u0000");
    let entry = this.map.get(key);
    if (!entry) {
      entry = this.make(labels);
      this.map.set(key, entry);
    }
    return entry;
  }
  values(): T[] {
    return [...this.map.values()];
  }
}

/** A counter's sums. */
const sums = () => new LabelSets((labels) => ({ labels, value: 0 }));
type Sums = ReturnType<typeof sums>;
/** A histogram's buckets. */
const buckets = () =>
  new LabelSets<HistogramData>((labels) => ({
    labels,
    counts: new Array(DURATION_BUCKETS.length + 1).fill(0),
    sum: 0,
    count: 0,
  }));
type Buckets = ReturnType<typeof buckets>;

/** `times` observations of `value`, as prom-client's observe() makes them (the sum in the same order of additions). */
function observe(entry: HistogramData, value: number, times = 1): void {
  const bucket = bucketOf(value);
  entry.counts[bucket] = (entry.counts[bucket] as number) + times;
  for (let i = 0; i < times; i++) entry.sum += value;
  entry.count += times;
}

/** A file's label sets by number (its string ids), each looked up by text once. */
function cached<T>(make: (key: number) => T): (key: number) => T {
  const map = new Map<number, T>();
  return (key) => {
    let found = map.get(key);
    if (found === undefined) {
      found = make(key);
      map.set(key, found);
    }
    return found;
  };
}

/** The metric families, summed file by file (a large log is read without keeping its records). */
export function createExposition(format: PrometheusFormat): Exposition {
  const runs = sums();
  const duration = buckets();
  const startup = buckets();
  const toolCalls = sums();
  const toolDuration = buckets();
  const requestBytes = sums();
  const responseBytes = sums();
  const tokensIn = sums();
  const tokensOut = sums();
  const pii = sums();

  const add = (c: RunColumns, filter: MetricsFilter = {}): void => {
    const s = c.strings;
    const width = s.length;
    const name = (id: number) => s[id] as string;
    // Label sets as numbers made of the file's string ids: one Map lookup per run, no label object per run.
    const runLabels = (key: number): Labels => ({
      skill: name(Math.floor(key / 2 / width)),
      language: name(Math.floor(key / 2) % width),
      status: key % 2 ? "ok" : "error",
    });
    const runCount = cached((key) => runs.entry(runLabels(key)));
    const runDuration = cached((key) => duration.entry(runLabels(key)));
    const startupEntry = cached((key) =>
      startup.entry({ skill: name(Math.floor(key / 2)), start: key % 2 ? "warm" : "cold" }),
    );
    // Each label set is made when it first gets a value, so the samples come in the order prom-client's own would.
    const tokensInEntry = cached((label) => tokensIn.entry({ skill: name(label) }));
    const tokensOutEntry = cached((label) => tokensOut.entry({ skill: name(label) }));
    const toolOk = cached((tool) => toolCalls.entry({ tool: name(tool), status: "ok" }));
    const toolError = cached((tool) => toolCalls.entry({ tool: name(tool), status: "error" }));
    const toolTime = cached((tool) => toolDuration.entry({ tool: name(tool) }));
    const toolSent = cached((tool) => requestBytes.entry({ tool: name(tool) }));
    const toolReceived = cached((tool) => responseBytes.entry({ tool: name(tool) }));
    const piiEntry = cached((key) => pii.entry({ skill: name(Math.floor(key / width)), type: name(key % width) }));
    for (let i = 0; i < c.count; i++) {
      if (filter.since !== undefined && (c.time[i] as number) < filter.since) continue;
      const label = c.label[i] as number;
      if (filter.skill !== undefined && name(label) !== filter.skill) continue;
      const flags = c.flags[i] as number;
      const run = (label * width + (c.language[i] as number)) * 2 + (flags & OK ? 1 : 0);
      runCount(run).value += 1;
      // A run refused before its program started has no duration to observe.
      if ((flags & NOT_STARTED) === 0) {
        observe(runDuration(run), (c.duration[i] as number) / 1000);
        observe(startupEntry(label * 2 + (flags & WARM ? 1 : 0)), (c.startup[i] as number) / 1000);
      }
      const tin = c.tokensIn[i] as number;
      const tout = c.tokensOut[i] as number;
      if (tin > 0) tokensInEntry(label).value += tin;
      if (tout > 0) tokensOutEntry(label).value += tout;
      for (let j = c.toolStart[i] as number; j < (c.toolStart[i + 1] as number); j++) {
        const tool = c.toolName[j] as number;
        const calls = c.toolCallCount[j] as number;
        const failed = c.toolFailed[j] as number;
        if (calls - failed > 0) toolOk(tool).value += calls - failed;
        if (failed > 0) toolError(tool).value += failed;
        // Per call, the mean of the run's calls to the tool (the record keeps their sum).
        if (calls > 0) observe(toolTime(tool), (c.toolMs[j] as number) / calls / 1000, calls);
        const sent = c.toolBytesIn[j] as number;
        const received = c.toolBytesOut[j] as number;
        if (sent > 0) toolSent(tool).value += sent;
        if (received > 0) toolReceived(tool).value += received;
      }
      for (let j = c.piiStart[i] as number; j < (c.piiStart[i + 1] as number); j++) {
        const n = c.piiCount[j] as number;
        if (n > 0) piiEntry(label * width + (c.piiType[j] as number)).value += n;
      }
    }
  };

  const render = async (): Promise<PrometheusText> => {
    const registry = new client.Registry<client.RegistryContentType>();
    if (format === "openmetrics") registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
    const registers = [registry];
    const counter = (name: string, help: string, labelNames: string[], values: Sums) => {
      const metric = new client.Counter({ name, help, labelNames, registers });
      for (const { labels, value } of values.values()) metric.inc(labels, value);
    };
    const histogram = (name: string, help: string, labelNames: string[], data: Buckets) => {
      new AggregatedHistogram({ name, help, labelNames, buckets: DURATION_BUCKETS, registers }).setData(data.values());
    };
    counter(
      "skills_runs_total",
      "Runs of skills, exec programs, test cases and repl cells in the run log",
      ["skill", "language", "status"],
      runs,
    );
    histogram(
      "skills_run_duration_seconds",
      "Run time of the program, from hand-off to result",
      ["skill", "language", "status"],
      duration,
    );
    histogram(
      "skills_run_startup_seconds",
      "Time before the program started: preparation, and the interpreter start of a cold run",
      ["skill", "start"],
      startup,
    );
    counter(
      "skills_tool_calls_total",
      "MCP tools/call requests made by programs (gen_ai.tool.name)",
      ["tool", "status"],
      toolCalls,
    );
    histogram(
      "skills_tool_call_duration_seconds",
      "Duration of a tool call (per run, the mean of its calls to the tool)",
      ["tool"],
      toolDuration,
    );
    counter("skills_tool_request_bytes_total", "Bytes of tool-call arguments sent by programs", ["tool"], requestBytes);
    counter(
      "skills_tool_response_bytes_total",
      "Bytes of tool results returned to programs (after PII tokenization)",
      ["tool"],
      responseBytes,
    );
    counter(
      "skills_tokens_in_total",
      "o200k_base tokens of the tool results programs read (what a model would otherwise have read)",
      ["skill"],
      tokensIn,
    );
    counter("skills_tokens_out_total", "o200k_base tokens of the results programs returned", ["skill"], tokensOut);
    counter("skills_pii_values_total", "Personal data values replaced by tokens, per type", ["skill", "type"], pii);
    return { text: await registry.metrics(), contentType: registry.contentType };
  };
  return { add, render };
}
