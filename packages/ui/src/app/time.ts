/**
 * Time ranges as they appear in URLs: `from`/`to` are `now-15m` style
 * relative times, ISO 8601 or epoch ms (what the server's parseTime takes).
 * A missing `to` means now.
 */

export interface Range { from: string; to: string }

export const PRESETS = [
  { label: '15m', from: 'now-15m' },
  { label: '1h', from: 'now-1h' },
  { label: '6h', from: 'now-6h' },
  { label: '24h', from: 'now-24h' },
  { label: '7d', from: 'now-7d' },
] as const;

const REL = /^now(?:-(\d+)(s|m|h|d|w))?$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** Epoch ms of a URL time, or NaN. */
export function parseTime(v: string, now = Date.now()): number {
  if (!v) return now;
  const rel = REL.exec(v);
  if (rel) return now - (rel[1] ? Number(rel[1]) * UNIT_MS[rel[2]!]! : 0);
  if (/^\d{10,16}$/.test(v)) return Number(v);
  return Date.parse(v);
}

/** The range in the URL, or the page's default (`now-1h` … now). */
export function rangeFrom(params: URLSearchParams, defaultFrom = 'now-1h'): Range {
  return { from: params.get('from') || defaultFrom, to: params.get('to') || '' };
}

export function isRelative(r: Range): boolean {
  return REL.test(r.from) && (r.to === '' || r.to === 'now');
}

/** Absolute bounds in epoch ms, resolved at `now`. */
export function resolveRange(r: Range, now = Date.now()): { fromMs: number; toMs: number } {
  return { fromMs: parseTime(r.from, now), toMs: r.to ? parseTime(r.to, now) : now };
}

/** The range frozen at `now`, as ISO strings (for paging over a stable window). */
export function freezeRange(r: Range, now = Date.now()): { from: string; to: string } {
  const { fromMs, toMs } = resolveRange(r, now);
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

/** Short label of a range: the preset's name, or its two ends. */
export function rangeLabel(r: Range): string {
  const preset = PRESETS.find((p) => p.from === r.from && !r.to);
  if (preset) return `last ${preset.label}`;
  const { fromMs, toMs } = resolveRange(r);
  return `${fmtLocal(fromMs)} → ${r.to ? fmtLocal(toMs) : 'now'}`;
}

function fmtLocal(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** `<input type="datetime-local">` value for epoch ms (local time). */
export function toLocalInput(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A window of `padMs` around two ISO instants, as URL parameters. */
export function around(startIso: string | null | undefined, endIso: string | null | undefined, padMs: number): Range {
  const s = startIso ? Date.parse(startIso) : NaN;
  const e = endIso ? Date.parse(endIso) : s;
  if (!Number.isFinite(s)) return { from: 'now-24h', to: '' };
  return { from: new Date(s - padMs).toISOString(), to: new Date((Number.isFinite(e) ? e : s) + padMs).toISOString() };
}
