/**
 * The standard OpenTelemetry exporter environment variables, read the way
 * every OpenTelemetry SDK reads them:
 * - OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: the logs URL, used as is;
 * - OTEL_EXPORTER_OTLP_ENDPOINT: a base URL, `/v1/logs` appended;
 * - OTEL_EXPORTER_OTLP_HEADERS, then OTEL_EXPORTER_OTLP_LOGS_HEADERS over it:
 *   `k=v,k2=v2`, keys and values URL-decoded;
 * - OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES: via the official
 *   envDetector of @opentelemetry/resources (see options.ts).
 * The traces exporter (tracing/init) reads the same variables with TRACES
 * in place of LOGS and `/v1/traces` (the `signal` parameter).
 */
import { configError } from './errors.js';

export const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/logs';
export const DEFAULT_TRACES_ENDPOINT = 'http://localhost:4318/v1/traces';

/** The OTLP signal an exporter ships: its URL path and the names of its variables. */
export type Signal = 'logs' | 'traces';

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** The logs (or traces) endpoint from the environment, or undefined when neither variable is set. */
export function endpointFromEnv(env: Env, signal: Signal = 'logs'): string | undefined {
  const own = nonEmpty(env, `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`);
  if (own) return own;
  const base = nonEmpty(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!base) return undefined;
  return base.replace(/\/+$/, '') + `/v1/${signal}`;
}

/** Parses `k=v,k2=v2` (URL-encoded); `source` names the variable in error messages. */
export function parseHeaderList(text: string, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw configError(`${source}: expected key=value, got '${part}'`);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(part.slice(0, eq).trim());
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw configError(`${source}: '${part}' is not valid percent-encoding`);
    }
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) throw configError(`${source}: '${key}' is not a valid header name`);
    out[key.toLowerCase()] = value;
  }
  return out;
}

export function headersFromEnv(env: Env, signal: Signal = 'logs'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`]) {
    const v = nonEmpty(env, name);
    if (v) Object.assign(out, parseHeaderList(v, name));
  }
  return out;
}
