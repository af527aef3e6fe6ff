/**
 * Retry-After (delay-seconds or an HTTP date) in ms, capped at 10 min;
 * undefined when absent or unreadable. Shared by the agent's exporter and
 * the SDK's (imported there as `@jobscope/pipeline/retry-after`, which loads
 * nothing else).
 */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

export function parseRetryAfter(v: string | string[] | undefined, now = Date.now()): number | undefined {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  if (!s) return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(s)) ms = Number(s) * 1000;
  else {
    const t = Date.parse(s);
    if (!Number.isFinite(t)) return undefined;
    ms = t - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}
