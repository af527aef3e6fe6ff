/**
 * Options of DiskLog.open, their defaults, and the checks done once at open
 * (fail fast on config; never fail later because of it).
 */
import { JobscopeError } from '@jobscope/core';
import { FRAME_HEADER_BYTES } from './format.js';

export type FsyncPolicy = 'always' | 'interval' | 'never';
/** What append does when the log would exceed maxBytes. */
export type OnFullPolicy = 'reject' | 'drop_oldest';

/** A range of records a reader could not deliver (corrupt frame or missing data). */
export interface CorruptionEvent {
  /** Segment file in which the bad bytes were found ('' when records are simply missing). */
  segment: string;
  offset: number;
  reason: string;
  /** Inclusive range of sequence numbers that were lost (empty when toSeq < fromSeq). */
  fromSeq: number;
  toSeq: number;
  records: number;
}

export interface DiskLogOptions {
  dir: string;
  /** Upper bound of the bytes of all segment files together. */
  maxBytes: number;
  /** Upper bound of one segment file; default 64 MiB. A record must fit in one. */
  segmentBytes?: number;
  /** 'always': fdatasync before an append resolves; 'interval' (default): every fsyncIntervalMs; 'never'. */
  fsync?: FsyncPolicy;
  fsyncIntervalMs?: number;
  /** Default 'reject' (DiskLogFullError; the caller applies backpressure or drops). */
  onFull?: OnFullPolicy;
  /** Called once per corrupt or missing range found by any cursor. Must not throw. */
  onCorruption?: (event: CorruptionEvent) => void;
  /** Background failures that have no promise to reject (unlinking a segment, ...). */
  onError?: (error: Error) => void;
}

export interface ResolvedOptions {
  dir: string;
  maxBytes: number;
  segmentBytes: number;
  maxPayload: number;
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
  onFull: OnFullPolicy;
  onCorruption: (event: CorruptionEvent) => void;
  onError: (error: Error) => void;
}

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const MIN_SEGMENT_BYTES = 64;
const MAX_SEGMENT_BYTES = 2 ** 31 - 1;

function configError(message: string): JobscopeError {
  return new JobscopeError('JS_CONFIG', `disk log: ${message}`);
}

function positiveInt(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw configError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

export function resolveOptions(o: DiskLogOptions): ResolvedOptions {
  if (typeof o.dir !== 'string' || o.dir === '') throw configError('dir is required');
  const segmentBytes = positiveInt('segmentBytes', o.segmentBytes ?? DEFAULT_SEGMENT_BYTES, MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
  const maxBytes = positiveInt('maxBytes', o.maxBytes, segmentBytes);
  const fsync = o.fsync ?? 'interval';
  if (fsync !== 'always' && fsync !== 'interval' && fsync !== 'never') throw configError(`unknown fsync policy ${String(fsync)}`);
  const onFull = o.onFull ?? 'reject';
  if (onFull !== 'reject' && onFull !== 'drop_oldest') throw configError(`unknown onFull policy ${String(onFull)}`);
  const fsyncIntervalMs = positiveInt('fsyncIntervalMs', o.fsyncIntervalMs ?? 1000, 1, 3_600_000);
  const noop = (): void => {};
  return {
    dir: o.dir,
    maxBytes,
    segmentBytes,
    maxPayload: segmentBytes - FRAME_HEADER_BYTES,
    fsync,
    fsyncIntervalMs,
    onFull,
    onCorruption: o.onCorruption ?? noop,
    onError: o.onError ?? noop,
  };
}
