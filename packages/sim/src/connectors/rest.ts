/**
 * Simulated generic REST connector (any service type without its own): an
 * async API — POST to create, then GET polls until done — with client-side
 * retries (exponential backoff and jitter) on 429/503/connection resets,
 * logged with the rest schema's fields (http_method, endpoint, status_code,
 * retry_count, timeout_ms).
 *
 * Failures: retries exhausted on resets/503 (network) or 429 (rate_limit),
 * 422 (validation), 500 (unknown), a request past its timeout (timeout).
 */
import { durationProfile, sampleDurationMs } from './durations.js';
import { NEW_ERROR_FAILURE_RATE, connectionReset, decideFailure, makeError, newError, type FailureKind, type FailureProfile } from './failures.js';
import { entryOf, runSession, text, type Session } from './session.js';
import type { ConnectorContext, ConnectorJob, ConnectorResult, SimulatedConnector } from './types.js';
import type { Rng } from '../random/index.js';

export const REST_MODELS: Readonly<Record<string, { endpoint: string }>> = {
  'upscaler-4x': { endpoint: 'https://upscale.internal/v2/jobs' },
  'whisper-large-v3': { endpoint: 'https://asr.internal/v1/transcriptions' },
  'tts-1': { endpoint: 'https://tts.internal/v1/speech' },
};

/** Per request (axios-style timeout). */
export const REST_REQUEST_TIMEOUT_MS = 30_000;
/** The whole job, polls included. */
export const REST_JOB_TIMEOUT_MS = 300_000;
export const REST_MAX_RETRIES = 2;
export const REST_FAILURES: FailureProfile = { rate: 0.03, weights: { network: 3, timeout: 2, rate_limit: 1.5, validation: 1.5, unknown: 2 } };
/** A request that fails once and then succeeds on retry (not a job failure). */
const TRANSIENT_RATE = 0.05;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export const restErrors = {
  /** axios' shape: "Request failed with status code N", with response.status and data. */
  http(status: number, endpoint: string, data: unknown = { error: STATUS_TEXT[status] ?? 'error' }): Error {
    return makeError(`Request failed with status code ${status}`, { status, code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST', config: { url: endpoint }, response: { status, statusText: STATUS_TEXT[status] ?? '', data } }, 'AxiosError');
  },
  network: (rng: Rng, endpoint: string): Error => (rng.chance(0.6) ? connectionReset(rng) : restErrors.http(503, endpoint)),
  timeout: (ms: number): Error => makeError(`timeout of ${ms}ms exceeded`, { code: 'ECONNABORTED' }, 'AxiosError'),
  validation: (endpoint: string): Error =>
    restErrors.http(422, endpoint, { detail: [{ loc: ['body', 'input', 'scale'], msg: 'Input should be 2, 4 or 8', type: 'literal_error' }] }),
  unknown: (endpoint: string): Error => restErrors.http(500, endpoint),
  rateLimit: (endpoint: string): Error => restErrors.http(429, endpoint, { error: 'rate limit exceeded, retry later' }),
};

export class RestConnector implements SimulatedConnector {
  readonly connectorId: string;
  readonly models: readonly string[] = Object.keys(REST_MODELS);

  constructor(readonly serviceType = 'rest') {
    this.connectorId = `${serviceType}-http`;
  }

  run(job: ConnectorJob, ctx: ConnectorContext): Promise<ConnectorResult> {
    const model = job.model === '' ? this.models[0] : job.model;
    const rng = ctx.rng;
    const endpoint = text(job.payload, 'endpoint', entryOf(REST_MODELS, model)?.endpoint ?? `https://${this.serviceType}.internal/v1/predictions`);
    // The request in flight: the failure line repeats it.
    const last = { http_method: 'POST', endpoint, retry_count: 0 };

    return runSession(job, ctx, model, {
      timeoutMs: REST_JOB_TIMEOUT_MS,
      timeoutError: (ms) => makeError(`Job ${job.id} polling ${endpoint} timed out after ${ms} ms`),
      logFailure: (error, s) => {
        const status = (error as { status?: unknown }).status;
        s.log.error('HTTP request failed', error, {
          ...last, ...(typeof status === 'number' ? { status_code: status } : {}), timeout_ms: REST_REQUEST_TIMEOUT_MS, model, attempt: job.attempts,
        });
      },
      play: async (s) => {
        const kind: FailureKind | null = decideFailure(rng, REST_FAILURES, [
          { active: ctx.faults.has('rate_limit', s.scope), probability: 0.5, kind: 'rate_limit' },
          { active: ctx.faults.has('new_error', s.scope), probability: NEW_ERROR_FAILURE_RATE, kind: 'new_error' },
        ]);
        const total = sampleDurationMs(durationProfile(model, ctx.faults, s.scope), rng);
        const transient = rng.chance(TRANSIENT_RATE);

        // POST: create the remote job, retrying what is worth retrying.
        const remoteId = `${rng.hex(8)}-${rng.hex(4)}`;
        for (let retry = 0; ; retry++) {
          Object.assign(last, { http_method: 'POST', retry_count: retry });
          await s.wait(rng.lognormal(120, 0.5));
          const error = postError(rng, kind, transient && retry === 0, endpoint, model);
          if (error === null) break;
          const status = (error as { status?: number }).status;
          if (kind === 'validation' || kind === 'unknown' || kind === 'new_error' || retry >= REST_MAX_RETRIES) throw error;
          const delay = 250 * 2 ** retry * rng.uniform(0.5, 1.5) + (status === 429 ? 1_000 : 0);
          s.log.warn('HTTP request failed, retrying', {
            http_method: 'POST', endpoint, ...(status !== undefined ? { status_code: status } : {}), retry_count: retry + 1,
            timeout_ms: REST_REQUEST_TIMEOUT_MS, delay_ms: Math.round(delay), error: error.message,
          });
          await s.wait(delay);
        }
        const retries = last.retry_count;
        s.log.info('HTTP request', { http_method: 'POST', endpoint, status_code: 202, retry_count: retries, timeout_ms: REST_REQUEST_TIMEOUT_MS, remote_id: remoteId, model });

        // GET polls until the remote job is done.
        const polls = Math.min(12, Math.max(3, Math.round(total / 1_000)));
        const failAt = rng.int(1, polls);
        const url = `${endpoint}/${remoteId}`;
        Object.assign(last, { http_method: 'GET', endpoint: url, retry_count: 0 });
        await s.progress(0, polls, { http_method: 'POST', endpoint, status_code: 202, retry_count: retries });
        for (let i = 1; i <= polls; i++) {
          await s.wait(total / polls);
          if (kind === 'timeout' && i === failAt) await timeoutRequest(s);
          if (kind === 'network' && i === failAt) throw restErrors.network(rng, url);
          await s.progress(i, polls, { http_method: 'GET', endpoint: url, status_code: 200, retry_count: 0, timeout_ms: REST_REQUEST_TIMEOUT_MS });
        }
        const bytes = Math.round(rng.lognormal(250_000, 1));
        s.log.info('HTTP request', { http_method: 'GET', endpoint: url, status_code: 200, retry_count: 0, timeout_ms: REST_REQUEST_TIMEOUT_MS, remote_status: 'succeeded', output_size: bytes, model });
        return { remote_id: remoteId, status: 'succeeded', endpoint, output_size: bytes, retries };
      },
    });
  }
}

/** The POST's error, if it fails this try. */
function postError(rng: Rng, kind: FailureKind | null, transient: boolean, endpoint: string, model: string): Error | null {
  if (kind === 'validation') return restErrors.validation(endpoint);
  if (kind === 'unknown') return restErrors.unknown(endpoint);
  if (kind === 'rate_limit') return restErrors.rateLimit(endpoint);
  if (kind === 'new_error') return newError('api', model, rng);
  if (kind === 'network' && rng.chance(0.5)) return restErrors.network(rng, endpoint); // else it fails while polling
  if (transient) return rng.chance(0.5) ? connectionReset(rng) : restErrors.http(503, endpoint);
  return null;
}

/** A request that never answers: the client gives up at its timeout. */
async function timeoutRequest(s: Session): Promise<never> {
  await s.wait(REST_REQUEST_TIMEOUT_MS);
  throw restErrors.timeout(REST_REQUEST_TIMEOUT_MS);
}
