/**
 * Inline SVG charts for the HTML report: no script, no fonts or files from elsewhere, every label escaped. Each chart
 * is a function of plain numbers and labels, so the page reads the same in any browser and in a mail attachment.
 */

export const COLORS = {
  ok: "#2f9e6e",
  fail: "#d1495b",
  p50: "#3b6fd8",
  p95: "#e09f3e",
  in: "#8c6bd1",
  out: "#3bb3c3",
  grid: "#e3e6ec",
  text: "#2b2f38",
  muted: "#6b7280",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 1234 -> "1.2k", 0.0042 -> "0.0042". */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (abs >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return trim(value);
}

function trim(value: number): string {
  return String(Number(value.toPrecision(3)));
}

export function formatMs(ms: number): string {
  if (ms >= 60_000) return `${trim(ms / 60_000)} min`;
  if (ms >= 1000) return `${trim(ms / 1000)} s`;
  return `${trim(ms)} ms`;
}

/** A "nice" upper bound for an axis (1, 2, 2.5, 5 × 10^n). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export interface BarRow {
  label: string;
  /** Stacked segments, drawn left to right. */
  parts: { value: number; color: string; title: string }[];
  /** Text right of the bar. */
  note: string;
  /** A second, thinner bar under the first, on the same scale (tokens out under tokens in). */
  sub?: { value: number; color: string; title: string };
}

/** Horizontal stacked bars, one row per item (labels left, notes right). */
export function barChart(
  rows: BarRow[],
  options: { width?: number; max?: number; empty: string; noteWidth?: number },
): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(options.empty)}</p>`;
  const width = options.width ?? 720;
  const labelWidth = 200;
  const noteWidth = options.noteWidth ?? 150;
  const withSub = rows.some((row) => row.sub);
  const rowHeight = withSub ? 34 : 26;
  const plot = width - labelWidth - noteWidth;
  const max = options.max ?? Math.max(1, ...rows.map((row) => row.parts.reduce((sum, part) => sum + part.value, 0)));
  const height = rows.length * rowHeight + 8;
  const out: string[] = [
    `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`,
  ];
  rows.forEach((row, index) => {
    const y = 4 + index * rowHeight;
    out.push(
      `<text x="${labelWidth - 10}" y="${y + 17}" text-anchor="end" class="label">${escapeHtml(shorten(row.label, 28))}<title>${escapeHtml(row.label)}</title></text>`,
    );
    const barHeight = withSub ? 16 : rowHeight - 8;
    out.push(`<rect x="${labelWidth}" y="${y + 3}" width="${plot}" height="${barHeight}" fill="#f3f4f7" rx="3"/>`);
    let x = labelWidth;
    for (const part of row.parts) {
      const w = (part.value / max) * plot;
      if (w <= 0) continue;
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${barHeight}" fill="${part.color}" rx="3"><title>${escapeHtml(part.title)}</title></rect>`,
      );
      x += w;
    }
    if (row.sub) {
      const w = (row.sub.value / max) * plot;
      out.push(
        `<rect x="${labelWidth}" y="${y + rowHeight - 9}" width="${Math.max(w > 0 ? 2 : 0, w).toFixed(1)}" height="6" fill="${row.sub.color}" rx="2"><title>${escapeHtml(row.sub.title)}</title></rect>`,
      );
    }
    out.push(`<text x="${labelWidth + plot + 10}" y="${y + 17}" class="note">${escapeHtml(row.note)}</text>`);
  });
  out.push("</svg>");
  return out.join("");
}

export interface LineSeries {
  name: string;
  color: string;
  values: number[];
}

/**
 * Lines over time (x = bucket index, labelled with dates), with light bars for a count per bucket (runs, failures)
 * behind them on their own scale.
 */
export function timeChart(
  labels: string[],
  series: LineSeries[],
  bars: { ok: number[]; failed: number[] },
  format: (value: number) => string,
): string {
  if (labels.length === 0) return `<p class="empty">No runs in this window.</p>`;
  const width = 1040;
  const height = 280;
  const left = 64;
  const right = 16;
  const top = 16;
  const bottom = 44;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxY = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const maxBar = Math.max(1, ...bars.ok.map((ok, i) => ok + (bars.failed[i] ?? 0)));
  const n = labels.length;
  const step = plotW / n;
  const xAt = (i: number): number => left + step * (i + 0.5);
  const yAt = (v: number): number => top + plotH - (v / maxY) * plotH;
  const out: string[] = [
    `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`,
  ];
  for (let g = 0; g <= 4; g++) {
    const v = (maxY * g) / 4;
    const y = yAt(v);
    out.push(
      `<line x1="${left}" x2="${width - right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${COLORS.grid}"/>`,
    );
    out.push(
      `<text x="${left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end" class="axis">${escapeHtml(format(v))}</text>`,
    );
  }
  const barW = Math.max(2, step * 0.6);
  for (let i = 0; i < n; i++) {
    const ok = bars.ok[i] ?? 0;
    const failed = bars.failed[i] ?? 0;
    const hOk = (ok / maxBar) * plotH * 0.35;
    const hFail = (failed / maxBar) * plotH * 0.35;
    const x = xAt(i) - barW / 2;
    const base = top + plotH;
    const title = `${labels[i]}: ${ok + failed} runs, ${failed} failed`;
    if (hOk > 0)
      out.push(
        `<rect x="${x.toFixed(1)}" y="${(base - hOk).toFixed(1)}" width="${barW.toFixed(1)}" height="${hOk.toFixed(1)}" fill="${COLORS.ok}" opacity="0.18"><title>${escapeHtml(title)}</title></rect>`,
      );
    if (hFail > 0)
      out.push(
        `<rect x="${x.toFixed(1)}" y="${(base - hOk - hFail).toFixed(1)}" width="${barW.toFixed(1)}" height="${hFail.toFixed(1)}" fill="${COLORS.fail}" opacity="0.55"><title>${escapeHtml(title)}</title></rect>`,
      );
  }
  for (const s of series) {
    const points = s.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`);
    if (points.length > 1)
      out.push(
        `<polyline points="${points.join(" ")}" fill="none" stroke="${s.color}" stroke-width="2.5" stroke-linejoin="round"/>`,
      );
    s.values.forEach((v, i) => {
      out.push(
        `<circle cx="${xAt(i).toFixed(1)}" cy="${yAt(v).toFixed(1)}" r="3.5" fill="${s.color}"><title>${escapeHtml(`${labels[i]} ${s.name}: ${format(v)}`)}</title></circle>`,
      );
    });
  }
  const every = Math.max(1, Math.ceil(n / 6));
  for (let i = 0; i < n; i += every) {
    out.push(
      `<text x="${xAt(i).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle" class="axis">${escapeHtml(labels[i] ?? "")}</text>`,
    );
  }
  let lx = left;
  for (const s of series) {
    out.push(`<rect x="${lx}" y="${height - 14}" width="12" height="4" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 16}" y="${height - 9}" class="axis">${escapeHtml(s.name)}</text>`);
    lx += 16 + s.name.length * 7 + 24;
  }
  out.push(`<rect x="${lx}" y="${height - 17}" width="10" height="10" fill="${COLORS.ok}" opacity="0.3"/>`);
  out.push(`<text x="${lx + 14}" y="${height - 9}" class="axis">runs</text>`);
  out.push(`<rect x="${lx + 56}" y="${height - 17}" width="10" height="10" fill="${COLORS.fail}" opacity="0.6"/>`);
  out.push(`<text x="${lx + 70}" y="${height - 9}" class="axis">failed runs</text>`);
  out.push("</svg>");
  return out.join("");
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
