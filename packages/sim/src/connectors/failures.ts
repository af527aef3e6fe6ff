/**
 * Failures: how often a connector fails, of which kind, and the errors it
 * raises — shaped like the real ones (message, code, status, name) so the
 * SDK's classifier maps each to its intended error_type:
 *   "CUDA out of memory. Tried to allocate 2.50 GiB…"   → memory
 *   "read ECONNRESET", "socket hang up"                  → network
 *   429 "Rate limit reached for gpt-4o … try again in…"  → rate_limit
 *   "… timed out after 120000 ms"                        → timeout
 *   "Invalid prompt: …"                                  → validation
 *   missing checkpoint / model                           → model
 * Connector-specific errors live with their connector; shared ones here.
 */
import type { ErrorType } from '@jobscope/core';
import type { Rng } from '../random/index.js';

/** A failure to play: an error type, or the never-seen error of the new_error fault. */
export type FailureKind = ErrorType | 'new_error';

/** Base failure rate of a connector and the mix of kinds when it fails. */
export interface FailureProfile {
  /** Probability that an attempt fails without any fault active (~2–5 %). */
  rate: number;
  weights: Readonly<Partial<Record<ErrorType, number>>>;
}

/** A fault that forces a failure kind with a probability while active. */
export interface ForcedFailure {
  active: boolean;
  probability: number;
  kind: FailureKind;
}

/** With gpu_oom on its machine, a comfyui/a1111 job fails with CUDA OOM this often. */
export const GPU_OOM_FAILURE_RATE = 0.85;
/** With rate_limit active, an openai job fails with 429 this often. */
export const RATE_LIMIT_FAILURE_RATE = 0.9;
/** With new_error active, a job fails with the new message this often. */
export const NEW_ERROR_FAILURE_RATE = 0.4;

/**
 * The failure of this attempt, or null for success. Forced failures are tried
 * first, in order; the draws are always made (same count per attempt), so a
 * run stays reproducible whatever faults are active.
 */
export function decideFailure(rng: Rng, profile: FailureProfile, forced: readonly ForcedFailure[] = []): FailureKind | null {
  let chosen: FailureKind | null = null;
  for (const f of forced) {
    const hit = rng.next() < f.probability;
    if (chosen === null && f.active && hit) chosen = f.kind;
  }
  const base = rng.next() < profile.rate;
  const kind = rng.weighted(profile.weights);
  return chosen ?? (base ? kind : null);
}

/** An Error with the properties real clients attach (code, status, type, response…). */
export function makeError(message: string, props: Record<string, unknown> = {}, name?: string): Error {
  const e = Object.assign(new Error(message), props);
  if (name !== undefined) e.name = name;
  return e;
}

const gib = (x: number): string => x.toFixed(2);

/** PyTorch's CUDA OOM (torch.cuda.OutOfMemoryError), for a GPU of `totalGiB`. */
export function cudaOom(rng: Rng, totalGiB = 23.65): Error {
  const tried = rng.pick([0.5, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0]) * rng.uniform(0.9, 1.1);
  const allocated = totalGiB * rng.uniform(0.78, 0.9);
  const reserved = Math.min(totalGiB - 0.05, allocated + rng.uniform(0.3, 1.2));
  const freeMiB = Math.max(2, (totalGiB - reserved) * 1024 * rng.uniform(0.3, 0.9));
  return makeError(
    `CUDA out of memory. Tried to allocate ${gib(tried)} GiB (GPU 0; ${gib(totalGiB)} GiB total capacity; ` +
      `${gib(allocated)} GiB already allocated; ${freeMiB.toFixed(2)} MiB free; ${gib(reserved)} GiB reserved in total by PyTorch) ` +
      'If reserved memory is >> allocated memory try setting max_split_size_mb to avoid fragmentation.  ' +
      'See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF',
    {},
    'OutOfMemoryError',
  );
}

/** A connection dropped by the peer: `read ECONNRESET` or `socket hang up`. */
export function connectionReset(rng: Rng): Error {
  return rng.chance(0.5)
    ? makeError('read ECONNRESET', { code: 'ECONNRESET', errno: -104, syscall: 'read' })
    : makeError('socket hang up', { code: 'ECONNRESET' });
}

/** The service is not listening (restarting): `connect ECONNREFUSED host:port`. */
export function connectionRefused(address: string, port: number): Error {
  return makeError(`connect ECONNREFUSED ${address}:${port}`, { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address, port });
}

/** The connector's own deadline: `<what> timed out after <ms> ms`. */
export function timedOut(what: string, ms: number): Error {
  return makeError(`${what} timed out after ${Math.round(ms)} ms`);
}

/**
 * The never-seen error of the new_error fault (classified `model`): a device
 * mismatch in a torch stack, or an upstream model that stopped loading.
 */
export function newError(family: 'gpu' | 'api', model: string, rng: Rng): Error {
  if (family === 'gpu') {
    return makeError(
      'RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu! ' +
        `(model ${model}: text encoder weights not loaded on cuda:0)`,
    );
  }
  return makeError(`Upstream model ${model} failed to load on inference shard ${rng.int(1, 16)}: weights checksum mismatch`, { status: 500 });
}

/** The recognizable head of the new error's message, for tests and detection demos. */
export const NEW_ERROR_SIGNATURES = {
  gpu: 'RuntimeError: Expected all tensors to be on the same device',
  api: 'failed to load on inference shard',
} as const;
