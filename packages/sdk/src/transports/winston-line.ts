/**
 * A winston `info` object → one JSON line of the contract (contract.ts):
 *
 *   {"time":<ms>,"level":"<canonical>","msg":<message>,…meta}
 *
 * - level: the raw level (`info[Symbol.for('level')]`, so a colorize
 *   format upstream does not leak escape codes) mapped to the canonical
 *   words: npm (silly → trace, verbose → debug, http → info), syslog
 *   (emerg/alert/crit → fatal, warning → warn, notice → info) and cli
 *   levels; an unknown level is written as `info` with `winston_level`;
 * - message → `msg`; `timestamp` (format.timestamp(): a string, or a
 *   number/Date) → `time` in epoch ms; left as `timestamp` when unreadable;
 * - every other enumerable key is kept as is (camelCase aliases such as
 *   `jobId` are normalized by the server); an Error under `error` or `err`
 *   becomes the canonical fields (`error` = its message, `error_name`,
 *   `error_code`, `stack`, `error_cause`) as ConnectorLogger writes them;
 *   an Error elsewhere becomes {name, message, stack, code}; the info
 *   object itself being an Error (logger.error(err)) keeps stack and name.
 *
 * Built by concatenation, one JSON.stringify per value; a value that cannot
 * be serialized (circular, BigInt, throwing getter) falls back to a safe
 * copy, and never throws.
 */

import { DEFAULT_MAX_STRING as MAX_STRING } from '../logger/options.js';
import { errorChunk } from '../logger/record.js';

const LEVEL = Symbol.for('level');

const CANONICAL: Record<string, string> = {
  // npm (winston's default)
  error: 'error', warn: 'warn', info: 'info', http: 'info', verbose: 'debug', debug: 'debug', silly: 'trace',
  // syslog
  emerg: 'fatal', alert: 'fatal', crit: 'fatal', warning: 'warn', notice: 'info',
  // cli
  help: 'info', data: 'info', prompt: 'info', input: 'info',
  // already canonical (pino-style custom levels)
  trace: 'trace', fatal: 'fatal',
};

/** The canonical level word of a winston level, or undefined when unknown. */
export function canonicalLevel(level: unknown): string | undefined {
  return typeof level === 'string' ? CANONICAL[level] ?? CANONICAL[level.toLowerCase()] : undefined;
}

const SKIP = new Set(['level', 'message', 'timestamp']);

function timeOf(ts: unknown): number | undefined {
  if (typeof ts === 'number' && Number.isFinite(ts) && ts > 0) return ts;
  if (ts instanceof Date) {
    const ms = ts.getTime();
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof ts === 'string') {
    const ms = Date.parse(ts);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function errorObject(e: Error): Record<string, unknown> {
  const o: Record<string, unknown> = { name: e.name, message: e.message };
  if (e.stack) o.stack = e.stack;
  const code = (e as { code?: unknown }).code;
  if (code !== undefined) o.code = code;
  return o;
}

/** JSON of a value, with a safe fallback (circular refs, BigInt, toJSON that throws); undefined to skip it. */
export function jsonValue(v: unknown): string | undefined {
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (v instanceof Error) v = errorObject(v);
  try {
    return JSON.stringify(v);
  } catch {
    return safeJson(v);
  }
}

function safeJson(v: unknown): string | undefined {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === 'bigint') return x.toString();
      if (x instanceof Error) return errorObject(x);
      if (typeof x === 'object' && x !== null) {
        if (seen.has(x)) return '[Circular]';
        seen.add(x);
      }
      return x;
    });
  } catch {
    try {
      return JSON.stringify(String(v));
    } catch {
      return '"[unserializable]"';
    }
  }
}

/** The line for one info object. Never throws. */
export function infoToLine(info: Record<PropertyKey, unknown>, now = Date.now()): string {
  const raw = info[LEVEL] ?? info.level;
  const level = canonicalLevel(raw);
  const ts = timeOf(info.timestamp);
  let out = '{"time":' + String(ts ?? now) + ',"level":"' + (level ?? 'info') + '"';
  if (level === undefined && typeof raw === 'string') out += ',"winston_level":' + jsonValue(raw);
  const msg = jsonValue(info.message);
  if (msg !== undefined) out += ',"msg":' + msg;
  if (ts === undefined && info.timestamp !== undefined) {
    const t = jsonValue(info.timestamp);
    if (t !== undefined) out += ',"timestamp":' + t;
  }
  let keys: string[];
  try {
    keys = Object.keys(info);
  } catch {
    keys = [];
  }
  for (const k of keys) {
    if (SKIP.has(k)) continue;
    let v: unknown;
    try {
      v = info[k];
    } catch {
      continue; // a throwing getter: the field is left out, the record still goes
    }
    if ((k === 'error' || k === 'err') && v instanceof Error) {
      out += errorChunk(v, MAX_STRING); // the canonical error fields, as ConnectorLogger.jobFailed writes them
      continue;
    }
    const j = jsonValue(v);
    if (j !== undefined) out += ',' + JSON.stringify(k) + ':' + j;
  }
  // logger.error(new Error(…)) without format.errors(): stack and name are not enumerable.
  if (info instanceof Error) {
    if (!keys.includes('stack') && info.stack) out += ',"stack":' + JSON.stringify(info.stack);
    if (!keys.includes('error_name')) out += ',"error_name":' + JSON.stringify(info.name);
  }
  return out + '}';
}
