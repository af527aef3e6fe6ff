/**
 * The ordered classification table: the FIRST rule that matches decides.
 *
 * Order is the policy, strongest evidence first:
 *  1. memory      — a physical cause (OOM) explains whatever else the error says
 *                   ("CUDA out of memory" often arrives as a plain HTTP 500);
 *  2. rate_limit  — a 429 may mention "timeout" or "retry", it is still throttling;
 *  3. timeout     — before network, so `connect ETIMEDOUT` and undici's
 *                   `fetch failed` caused by UND_ERR_CONNECT_TIMEOUT are timeouts;
 *  4. network     — connection-level failures and 502/503;
 *  5. model       — before validation, so ComfyUI's "Value not in list:
 *                   ckpt_name: 'x.safetensors'" (a missing model) is `model`;
 *  6. validation  — the request itself is wrong (4xx, schema, auth).
 * Anything else is `unknown`.
 *
 * A rule matches on one kind of evidence: an error `code` (from the error or
 * its `cause` chain), an HTTP status, an error `name`, or a message pattern
 * (tested on the messages of the error and its causes).
 */
import type { ErrorType } from '@jobscope/core';

export type Rule =
  | { type: ErrorType; codes: readonly string[] }
  | { type: ErrorType; statuses: readonly number[] }
  | { type: ErrorType; names: readonly string[] }
  | { type: ErrorType; message: RegExp };

export const RULES: readonly Rule[] = [
  // 1. memory
  { type: 'memory', codes: ['ENOMEM', 'ERR_MEMORY_ALLOCATION_FAILED', 'ERR_WORKER_OUT_OF_MEMORY', 'OOMKilled'] },
  // Case-sensitive: the kernel's OOM killer prints "Killed"; "job killed by user" is not memory.
  { type: 'memory', message: /(?:^|[\s:])Killed(?:$|[\s:.])|\bOOM(?:Killed|[ _-]?kill(?:ed|er)?)?\b/ },
  {
    type: 'memory',
    message: /out of memory|oom[-_]kill|OutOfMemory|exit(?:ed)? (?:with )?code:? 137\b|signal:? SIGKILL|Cannot allocate memory|std::bad_alloc|failed to allocate|allocation failed|heap limit|CUBLAS_STATUS_ALLOC_FAILED|insufficient (?:GPU |V)?RAM|not enough (?:GPU |V)?(?:RAM|memory)|memory limit exceeded|MemoryError/i,
  },

  // 2. rate_limit
  { type: 'rate_limit', statuses: [429] },
  { type: 'rate_limit', names: ['RateLimitError', 'ThrottlingException', 'TooManyRequestsException'] },
  { type: 'rate_limit', codes: ['rate_limit_exceeded', 'insufficient_quota', 'ThrottlingException', 'TooManyRequestsException', 'SlowDown', 'RESOURCE_EXHAUSTED'] },
  { type: 'rate_limit', message: /rate[ _-]?limit|rate exceeded|too many requests|\bthrottl|quota (?:exceeded|exhausted)|exceeded (?:your |the )?(?:current )?quota|requests per (?:minute|second|day)|slow down|resource[ _]exhausted/i },

  // 3. timeout
  { type: 'timeout', names: ['TimeoutError', 'AbortError'] },
  {
    type: 'timeout',
    codes: ['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ETIME', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'ABORT_ERR', 'DEADLINE_EXCEEDED', 'ERR_HTTP_REQUEST_TIMEOUT'],
  },
  { type: 'timeout', statuses: [408, 504, 524] },
  { type: 'timeout', message: /\btime[ d_-]?out|\btimed? out|Timeout(?:Error|Exception)|E(?:SOCKET)?TIMEDOUT|deadline exceeded|operation was aborted|request aborted|took too long/i },

  // 4. network
  {
    type: 'network',
    codes: [
      'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EPIPE', 'EHOSTUNREACH',
      'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ENONET', 'EPROTO', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
      'ERR_SOCKET_CLOSED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP2_STREAM_ERROR', 'ERR_TLS_CERT_ALTNAME_INVALID',
      'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
      'ERR_NETWORK', 'UNAVAILABLE',
    ],
  },
  { type: 'network', statuses: [502, 503, 520, 521, 522, 523, 525, 526] },
  {
    type: 'network',
    message: /socket hang up|fetch failed|failed to fetch|network|connection (?:refused|reset|closed|aborted|error|lost|failed|terminated)|connect E[A-Z]+|getaddrinfo|\bECONN[A-Z]+|\bEPIPE\b|unreachable|websocket (?:is )?(?:closed|not open|disconnected|error|connection)|bad gateway|service unavailable|\bDNS\b|\bTLS\b|\bSSL\b|certificate|premature close|other side closed|peer closed|broken pipe/i,
  },

  // 5. model
  { type: 'model', codes: ['model_not_found', 'MODEL_NOT_FOUND', 'model_not_available'] },
  {
    type: 'model',
    message: /model[^\n]{0,80}?(?:not found|does not exist|not available|not loaded|unavailable|failed to load|not (?:be )?loaded)|(?:no such|unknown|invalid) model|(?:failed|unable|could not|error) (?:to )?load(?:ing)?[^\n]{0,40}?(?:model|checkpoint|weights|lora|vae)|safetensors|SafetensorError|deserializing header|\.ckpt\b|ckpt_name|checkpoint[^\n]{0,40}?(?:not found|missing|corrupt)|state_dict|size mismatch for|pickle|unpickl|model[^\n]{0,80}?is (?:currently )?loading|lora[^\n]{0,40}?not found|vae[^\n]{0,40}?not found/i,
  },

  // 6. validation (401/403 too: the request is wrong and retrying will not help)
  { type: 'validation', names: ['ValidationError', 'ZodError', 'ValiError', 'SchemaError'] },
  { type: 'validation', codes: ['invalid_request_error', 'invalid_api_key', 'content_policy_violation', 'context_length_exceeded', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_URL', 'INVALID_ARGUMENT', 'ValidationException'] },
  { type: 'validation', statuses: [400, 401, 403, 404, 405, 409, 410, 411, 413, 414, 415, 422] },
  {
    type: 'validation',
    message: /validat|invalid|is required|required (?:field|parameter|input|property)|missing (?:required )?(?:field|parameter|input|property|key)|must (?:be|have|not)|expected [^\n]{1,60}? (?:got|but|received)|malformed|bad request|unprocessable|unsupported|not allowed|content[ _]policy|safety system|maximum context length|too (?:long|large)|out of range|unauthori[sz]ed|forbidden|incorrect api key/i,
  },
];
