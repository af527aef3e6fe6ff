/**
 * Simulated OpenAI connectors. openai-text: a streamed chat completion
 * (time to first token, then chunks, usage at the end); openai-image: an
 * image generation with estimated progress while it waits. Both log the
 * openai schema's fields: model, request_id, prompt_tokens,
 * completion_tokens, total_tokens, response_time_ms, request_size_bytes,
 * response_size_bytes.
 *
 * Failures: 429 rate limits (most jobs while the rate_limit fault is on),
 * 400 bad requests (validation), 404 unknown model (model), connection
 * resets (network), client timeouts, 500 server errors (unknown).
 */
import { durationProfile, sampleDurationMs } from './durations.js';
import { NEW_ERROR_FAILURE_RATE, RATE_LIMIT_FAILURE_RATE, decideFailure, newError, type FailureKind, type FailureProfile } from './failures.js';
import { OPENAI_TIMEOUT_MS, openaiErrors } from './openai-errors.js';
import { bytesNear, entryOf, num, runSession, text, type Session } from './session.js';
import type { ConnectorContext, ConnectorJob, ConnectorResult, SimulatedConnector } from './types.js';

/** Output tokens per second once streaming. */
const TEXT_MODELS: Readonly<Record<string, { tokensPerSec: number; snapshot: string }>> = {
  'gpt-4o': { tokensPerSec: 80, snapshot: 'gpt-4o-2024-08-06' },
  'gpt-4o-mini': { tokensPerSec: 110, snapshot: 'gpt-4o-mini-2024-07-18' },
  'gpt-4-turbo': { tokensPerSec: 35, snapshot: 'gpt-4-turbo-2024-04-09' },
};

/** Output tokens per image (gpt-image-1 bills them; DALL·E reports none). */
const IMAGE_MODELS: Readonly<Record<string, { outputTokens: number; sizes: readonly string[] }>> = {
  'dall-e-3': { outputTokens: 0, sizes: ['1024x1024', '1792x1024', '1024x1792'] },
  'dall-e-2': { outputTokens: 0, sizes: ['256x256', '512x512', '1024x1024'] },
  'gpt-image-1': { outputTokens: 1_056, sizes: ['1024x1024', '1536x1024', '1024x1536'] },
};

export const OPENAI_TEXT_FAILURES: FailureProfile = { rate: 0.03, weights: { rate_limit: 3, network: 2, timeout: 1.5, validation: 2, model: 0.5, unknown: 1 } };
export const OPENAI_IMAGE_FAILURES: FailureProfile = { rate: 0.035, weights: { rate_limit: 3, network: 1.5, timeout: 1, validation: 3, model: 0.5, unknown: 1 } };

function decide(s: Session, ctx: ConnectorContext, profile: FailureProfile, known: boolean): FailureKind | null {
  const kind = decideFailure(s.rng, profile, [
    { active: ctx.faults.has('rate_limit', s.scope), probability: RATE_LIMIT_FAILURE_RATE, kind: 'rate_limit' },
    { active: ctx.faults.has('new_error', s.scope), probability: NEW_ERROR_FAILURE_RATE, kind: 'new_error' },
  ]);
  return known ? kind : 'model';
}

/** Throws the error of a failure that happens when the response arrives (before any output). */
function failAtResponse(s: Session, kind: FailureKind | null, model: string, requestId: string, image: boolean): void {
  if (kind === 'rate_limit') throw openaiErrors.rateLimit(s.rng, model, requestId, image);
  if (kind === 'validation') throw openaiErrors.validation(s.rng, model, requestId, image);
  if (kind === 'model') throw openaiErrors.model(model, requestId);
  if (kind === 'new_error') throw newError('api', model, s.rng);
}

export class OpenAITextConnector implements SimulatedConnector {
  readonly serviceType = 'openai-text';
  readonly connectorId = 'openai-text';
  readonly models: readonly string[] = Object.keys(TEXT_MODELS);

  run(job: ConnectorJob, ctx: ConnectorContext): Promise<ConnectorResult> {
    const model = job.model === '' ? this.models[0] : job.model;
    const spec = entryOf(TEXT_MODELS, model);
    const rng = ctx.rng;
    const requestId = `req_${rng.hex(32)}`;
    const promptTokens = Math.round(Math.min(30_000, Math.max(8, num(job.payload, 'prompt_tokens', rng.lognormal(350, 0.8)))));
    const requestBytes = promptTokens * 4 + rng.int(160, 260);
    const base = { model, request_id: requestId };

    return runSession(job, ctx, model, {
      timeoutMs: OPENAI_TIMEOUT_MS,
      timeoutError: () => openaiErrors.timeout(),
      logFailure: (error, s) => {
        const status = (error as { status?: unknown }).status;
        s.log.error('OpenAI request failed', error, {
          ...base, response_time_ms: s.elapsedMs, request_size_bytes: requestBytes, attempt: job.attempts,
          ...(typeof status === 'number' ? { status_code: status } : {}),
        });
      },
      play: async (s) => {
        const kind = decide(s, ctx, OPENAI_TEXT_FAILURES, spec !== undefined);
        const total = sampleDurationMs(durationProfile(model, ctx.faults, s.scope), rng);
        const ttft = Math.min(total * 0.4, rng.lognormal(420, 0.45));
        s.log.debug('OpenAI request', { ...base, request_size_bytes: requestBytes, stream: true, max_tokens: 4_096, endpoint: '/v1/chat/completions' });

        if (kind === 'rate_limit' || kind === 'validation' || kind === 'model' || kind === 'new_error') {
          await s.wait(rng.uniform(80, 450));
          failAtResponse(s, kind, model, requestId, false);
        }
        if (kind === 'timeout') await s.hang();
        await s.wait(ttft);
        if (kind === 'unknown') throw openaiErrors.server(requestId);
        s.log.debug('OpenAI stream started', { ...base, time_to_first_token_ms: Math.round(ttft) });
        const chunks = rng.int(5, 10);
        const failAt = rng.int(1, chunks);
        await s.progress(0, chunks, base);
        for (let i = 1; i <= chunks; i++) {
          if (kind === 'network' && i === failAt) throw openaiErrors.network(rng);
          await s.wait((total - ttft) / chunks);
          await s.progress(i, chunks, base);
        }

        const completionTokens = Math.max(1, Math.round(((total - ttft) / 1000) * (spec?.tokensPerSec ?? 60) * rng.uniform(0.85, 1.15)));
        const responseBytes = bytesNear(completionTokens * 4.2 + 420, 0.05, rng);
        const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
        s.log.info('OpenAI chat completion', {
          ...base, ...usage, response_time_ms: s.elapsedMs, request_size_bytes: requestBytes, response_size_bytes: responseBytes,
          finish_reason: rng.chance(0.97) ? 'stop' : 'length', system_fingerprint: `fp_${rng.hex(10)}`, response_model: spec?.snapshot ?? model,
        });
        return { request_id: requestId, model, usage, finish_reason: 'stop', output_size: responseBytes };
      },
    });
  }
}

export class OpenAIImageConnector implements SimulatedConnector {
  readonly serviceType = 'openai-image';
  readonly connectorId = 'openai-image';
  readonly models: readonly string[] = Object.keys(IMAGE_MODELS);

  run(job: ConnectorJob, ctx: ConnectorContext): Promise<ConnectorResult> {
    const model = job.model === '' ? this.models[0] : job.model;
    const spec = entryOf(IMAGE_MODELS, model);
    const rng = ctx.rng;
    const requestId = `req_${rng.hex(32)}`;
    const size = text(job.payload, 'size', spec ? rng.pick(spec.sizes) : '1024x1024');
    const promptTokens = Math.round(Math.max(4, rng.lognormal(60, 0.6)));
    const requestBytes = promptTokens * 4 + rng.int(120, 200);
    const base = { model, request_id: requestId };

    return runSession(job, ctx, model, {
      timeoutMs: OPENAI_TIMEOUT_MS * 2,
      timeoutError: () => openaiErrors.timeout(),
      logFailure: (error, s) => {
        const status = (error as { status?: unknown }).status;
        s.log.error('OpenAI image request failed', error, {
          ...base, response_time_ms: s.elapsedMs, request_size_bytes: requestBytes, attempt: job.attempts,
          ...(typeof status === 'number' ? { status_code: status } : {}),
        });
      },
      play: async (s) => {
        const kind = decide(s, ctx, OPENAI_IMAGE_FAILURES, spec !== undefined);
        const total = sampleDurationMs(durationProfile(model, ctx.faults, s.scope), rng);
        s.log.debug('OpenAI image request', { ...base, request_size_bytes: requestBytes, size, n: 1, endpoint: '/v1/images/generations' });
        if (kind === 'rate_limit' || kind === 'validation' || kind === 'model' || kind === 'new_error') {
          await s.wait(rng.uniform(100, 600));
          failAtResponse(s, kind, model, requestId, true);
        }
        if (kind === 'timeout') await s.hang();
        // No streaming: the connector estimates progress from the expected time.
        const ticks = 4;
        const failAt = rng.int(1, ticks);
        await s.progress(0, ticks, { ...base, estimated: true });
        for (let i = 1; i <= ticks; i++) {
          if (kind === 'network' && i === failAt) throw openaiErrors.network(rng);
          await s.wait(total / ticks);
          if (kind === 'unknown' && i === ticks) throw openaiErrors.server(requestId);
          await s.progress(i, ticks, { ...base, estimated: true });
        }

        const completionTokens = spec?.outputTokens ?? 0;
        const b64 = model === 'gpt-image-1';
        const responseBytes = b64 ? bytesNear(2_100_000, 0.25, rng) : bytesNear(780, 0.1, rng);
        s.log.info('OpenAI image generated', {
          ...base, prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens,
          response_time_ms: s.elapsedMs, request_size_bytes: requestBytes, response_size_bytes: responseBytes, size,
        });
        const image = b64
          ? { b64_json_bytes: responseBytes }
          : { url: `https://oaidalleapiprodscus.blob.core.windows.net/private/org-${rng.hex(24)}/user-${rng.hex(24)}/img-${rng.hex(24)}.png` };
        return { request_id: requestId, model, size, data: [image], output_size: responseBytes };
      },
    });
  }
}
