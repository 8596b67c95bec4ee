/** One measured row of the benchmark. */
export interface BenchRow {
  /** Stable identifier, e.g. `reference`, `scale-10000`. */
  readonly id: string;
  /** What was run, for people. */
  readonly label: string;
  /** Unit of `samples`, `median` and `min`. */
  readonly unit: 'ms' | 'bytes';
  /** One value per repetition. */
  samples: number[];
  /** Peak memory of each repetition, in KiB (when measured). */
  rssKb: number[];
  median?: number;
  min?: number;
  /** Median peak memory, in MiB (when measured). */
  maxRssMb?: number;
  /** Why the row was not measured. */
  skipped?: string;
  /** Why the row failed (the run went wrong: a crash, wrong output). */
  error?: string;
  /** Remarks on the measurement. */
  notes: string[];
  /** Medians of further figures (e.g. in-process phase times of the scale children). */
  detail: Record<string, number>;
  /** Per-repetition values of `detail`. */
  detailSamples: Record<string, number[]>;
}

/** A ratio or an absolute figure compared with its target. */
export interface BenchCheck {
  readonly id: string;
  readonly label: string;
  readonly value?: number;
  readonly unit: '×' | 'ms' | 'MiB';
  readonly op?: '≤' | '≥';
  readonly target?: number;
  /** `n/a` when a row it needs was skipped or failed; `info` when it has no target. */
  readonly status: 'met' | 'missed' | 'n/a' | 'info';
}

/** Creates an empty row. */
export function newRow(id: string, label: string, unit: 'ms' | 'bytes' = 'ms'): BenchRow {
  return { id, label, unit, samples: [], rssKb: [], notes: [], detail: {}, detailSamples: {} };
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Fills in the medians and minimums of a row from its samples. */
export function summarize(row: BenchRow): void {
  if (row.samples.length > 0 && !row.error) {
    row.median = median(row.samples);
    row.min = Math.min(...row.samples);
  }
  if (row.rssKb.length > 0) row.maxRssMb = median(row.rssKb) / 1024;
  for (const [k, v] of Object.entries(row.detailSamples)) if (v.length > 0) row.detail[k] = median(v);
}

/** A check comparing `value` with a target, `n/a` when the value is unknown. */
export function check(id: string, label: string, value: number | undefined, unit: BenchCheck['unit'], op?: '≤' | '≥', target?: number): BenchCheck {
  if (value === undefined || !Number.isFinite(value)) return { id, label, unit, op, target, status: 'n/a' };
  if (op === undefined || target === undefined) return { id, label, value, unit, status: 'info' };
  const met = op === '≤' ? value <= target : value >= target;
  return { id, label, value, unit, op, target, status: met ? 'met' : 'missed' };
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function fmtBytes(b: number | undefined): string {
  if (b === undefined) return '-';
  return `${(b / 1024 / 1024).toFixed(1)} MiB`;
}

function fmtValue(row: BenchRow, v: number | undefined): string {
  return row.unit === 'bytes' ? fmtBytes(v) : fmtMs(v);
}

function fmtCheck(c: BenchCheck, v: number | undefined): string {
  if (v === undefined) return '-';
  if (c.unit === '×') return `${v.toFixed(2)}×`;
  if (c.unit === 'MiB') return `${v.toFixed(0)} MiB`;
  return fmtMs(v);
}

function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The report as text: one table of rows, one of ratios and targets, then notes. */
export function formatReport(title: string, rows: readonly BenchRow[], checks: readonly BenchCheck[]): string {
  const out: string[] = [title, ''];
  out.push(table(
    ['row', 'median', 'min', 'peak RSS', 'runs'],
    rows.map((r) => {
      if (r.skipped) return [r.label, 'skipped', '', '', ''];
      if (r.error) return [r.label, 'FAILED', '', '', ''];
      return [r.label, fmtValue(r, r.median), fmtValue(r, r.min), r.maxRssMb === undefined ? '-' : `${r.maxRssMb.toFixed(0)} MiB`, String(r.samples.length)];
    }),
    [false, true, true, true, true],
  ));
  out.push('');
  out.push(table(
    ['ratio / target', 'value', 'target', 'status'],
    checks.map((c) => [c.label, fmtCheck(c, c.value), c.target === undefined ? '' : `${c.op} ${fmtCheck(c, c.target)}`, c.status]),
    [false, true, true, false],
  ));
  const remarks = rows.flatMap((r) => [
    ...(r.skipped ? [`${r.id}: skipped: ${r.skipped}`] : []),
    ...(r.error ? [`${r.id}: FAILED: ${r.error}`] : []),
    ...r.notes.map((n) => `${r.id}: ${n}`),
  ]);
  if (remarks.length > 0) out.push('', 'notes:', ...remarks.map((r) => `  ${r.split('\n').join('\n    ')}`));
  return `${out.join('\n')}\n`;
}
