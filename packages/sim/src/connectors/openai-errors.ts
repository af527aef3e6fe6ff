/**
 * The errors of the OpenAI API as its Node SDK raises them: a status, the
 * API's error `type`/`code`, a request id, and the API's own wording
 * (429 "Rate limit reached for gpt-4o … Please try again in 2.3s").
 */
import type { Rng } from '../random/index.js';
import { connectionReset, makeError } from './failures.js';

export const OPENAI_TIMEOUT_MS = 60_000;

const org = (rng: Rng): string => `org-${rng.hex(24)}`;

function apiError(name: string, status: number, message: string, type: string, code: string | null, requestId: string): Error {
  return makeError(`${status} ${message}`, { status, type, code, request_id: requestId, error: { message, type, code } }, name);
}

export const openaiErrors = {
  /** 429 on tokens or requests per minute (text) or images per minute (image). */
  rateLimit(rng: Rng, model: string, requestId: string, image: boolean): Error {
    const retry = rng.uniform(0.4, 12).toFixed(rng.chance(0.5) ? 1 : 3);
    if (image) {
      const limit = rng.pick([5, 7, 15, 50]);
      return apiError(
        'RateLimitError', 429,
        `Rate limit exceeded for images per minute in organization ${org(rng)}. Limit: ${limit}/1min. Current: ${limit + 1}/1min. ` +
          'Please visit https://platform.openai.com/docs/guides/rate-limits to learn how to increase your rate limit.',
        'requests', 'rate_limit_exceeded', requestId,
      );
    }
    const tpm = rng.chance(0.7);
    const limit = tpm ? rng.pick([30_000, 200_000, 800_000]) : rng.pick([500, 5_000, 10_000]);
    const used = Math.round(limit * rng.uniform(0.95, 0.999));
    const requested = tpm ? rng.int(300, 4_000) : 1;
    return apiError(
      'RateLimitError', 429,
      `Rate limit reached for ${model} in organization ${org(rng)} on ${tpm ? 'tokens per min (TPM)' : 'requests per min (RPM)'}: ` +
        `Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${retry}s. ` +
        'Visit https://platform.openai.com/account/rate-limits to learn more.',
      tpm ? 'tokens' : 'requests', 'rate_limit_exceeded', requestId,
    );
  },
  model(model: string, requestId: string): Error {
    return apiError('NotFoundError', 404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found', requestId);
  },
  validation(rng: Rng, model: string, requestId: string, image: boolean): Error {
    if (image) {
      return rng.chance(0.6)
        ? apiError('BadRequestError', 400, 'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.', 'invalid_request_error', 'content_policy_violation', requestId)
        : apiError('BadRequestError', 400, "Invalid value for 'size': must be one of 1024x1024, 1792x1024, or 1024x1792.", 'invalid_request_error', null, requestId);
    }
    const max = model === 'gpt-4-turbo' || model.startsWith('gpt-4o') ? 128_000 : 16_385;
    return rng.chance(0.6)
      ? apiError('BadRequestError', 400, `This model's maximum context length is ${max} tokens. However, your messages resulted in ${max + rng.int(10, 9_000)} tokens. Please reduce the length of the messages.`, 'invalid_request_error', 'context_length_exceeded', requestId)
      : apiError('BadRequestError', 400, "Invalid type for 'messages[1].content': expected one of a string or array of objects, but got an object instead.", 'invalid_request_error', 'invalid_type', requestId);
  },
  network(rng: Rng): Error {
    return rng.chance(0.5) ? makeError('Connection error.', { cause: connectionReset(rng) }, 'APIConnectionError') : connectionReset(rng);
  },
  timeout(): Error {
    return makeError('Request timed out.', {}, 'APIConnectionTimeoutError');
  },
  /** 500: the API's own failure (unknown). */
  server(requestId: string): Error {
    return apiError('InternalServerError', 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, requestId);
  },
};
