/**
 * A strict reader of the Prometheus text exposition format (0.0.4) and of OpenMetrics text, for tests: it refuses
 * any line outside the grammar and checks what a scraper relies on (a TYPE before samples, valid names and escapes,
 * cumulative histogram buckets ending in +Inf equal to _count).
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parseExposition(text: string, format: "prometheus" | "openmetrics"): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] !== "") throw new Error("the text must end with a newline");
  lines.pop();
  if (format === "openmetrics" && lines[lines.length - 1] !== "# EOF")
    throw new Error("OpenMetrics text must end with # EOF");
  lines.forEach((line, index) => {
    const at = `line ${index + 1}: ${line}`;
    if (line === "# EOF") {
      if (format !== "openmetrics" || index !== lines.length - 1) throw new Error(`unexpected # EOF at ${at}`);
      return;
    }
    if (line.startsWith("# HELP ")) {
      const name = line.slice(7).split(" ")[0] ?? "";
      if (!NAME.test(name)) throw new Error(`bad metric name in ${at}`);
      return;
    }
    if (line.startsWith("# TYPE ")) {
      const [name = "", type = ""] = line.slice(7).split(" ");
      if (!NAME.test(name) || !["counter", "gauge", "histogram", "summary", "untyped", "unknown"].includes(type))
        throw new Error(`bad TYPE in ${at}`);
      types.set(name, type);
      return;
    }
    // The 0.0.4 text format ignores empty lines; OpenMetrics has none.
    if (line === "" && format === "prometheus") return;
    if (line.startsWith("#") || line.trim() === "") throw new Error(`unexpected line ${at}`);
    samples.push(parseSample(line, at));
  });
  for (const sample of samples) {
    const family = [...types.keys()].find(
      (name) =>
        sample.name === name ||
        (sample.name.startsWith(`${name}_`) && /_(total|bucket|sum|count|created)$/.test(sample.name)),
    );
    if (!family) throw new Error(`sample ${sample.name} has no TYPE line`);
  }
  checkHistograms(types, samples);
  return { types, samples };
}

function parseSample(line: string, at: string): Sample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
  if (!match) throw new Error(`not a sample: ${at}`);
  const labels: Record<string, string> = {};
  let rest = match[3] ?? "";
  while (rest.length > 0) {
    const label = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,?)/.exec(rest);
    if (!label || !LABEL.test(label[1] ?? "")) throw new Error(`bad labels in ${at}`);
    labels[label[1] as string] = (label[2] ?? "").replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
    rest = rest.slice(label[0].length);
  }
  const raw = match[4] as string;
  const value = raw === "+Inf" ? Number.POSITIVE_INFINITY : raw === "-Inf" ? Number.NEGATIVE_INFINITY : Number(raw);
  if (Number.isNaN(value) && raw !== "NaN") throw new Error(`bad value in ${at}`);
  return { name: match[1] as string, labels, value };
}

function checkHistograms(types: Map<string, string>, samples: Sample[]): void {
  for (const [name, type] of types) {
    if (type !== "histogram") continue;
    const series = new Map<string, Sample[]>();
    for (const sample of samples.filter((s) => s.name === `${name}_bucket`)) {
      const { le, ...others } = sample.labels;
      if (le === undefined) throw new Error(`${name}_bucket without le`);
      const key = JSON.stringify(others);
      series.set(key, [...(series.get(key) ?? []), sample]);
    }
    for (const [key, buckets] of series) {
      let previous = -1;
      for (const bucket of buckets) {
        if (bucket.value < previous) throw new Error(`${name} buckets are not cumulative for ${key}`);
        previous = bucket.value;
      }
      const last = buckets[buckets.length - 1];
      if (last?.labels.le !== "+Inf") throw new Error(`${name} has no +Inf bucket for ${key}`);
      const count = samples.find((s) => s.name === `${name}_count` && JSON.stringify(s.labels) === key);
      if (!count || count.value !== last.value)
        throw new Error(`${name}_count differs from the +Inf bucket for ${key}`);
    }
  }
}

/** The value of one sample, by name and (a subset of) labels; 0 when there is none. */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
