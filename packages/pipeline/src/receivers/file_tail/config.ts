/**
 * Configuration of the file tail receiver, its defaults, and the checks done
 * once at creation (fail fast on config; never fail later because of it).
 */
import { isAbsolute, resolve } from 'node:path';
import { JobscopeError } from '@jobscope/core';

export interface FileTailConfig {
  /** Glob patterns (absolute) of the files to tail; at least one. */
  include: string[];
  /** Glob patterns of files to leave out: absolute, or relative ones beginning with `**\/`. */
  exclude: string[];
  /** Where offsets are persisted (JSON, replaced atomically: temp + fsync + rename + dir fsync). */
  checkpointFile: string;
  /** How often open files are checked for new data, rotation and truncation. */
  pollIntervalMs: number;
  /** How often the globs are expanded again to find new files. */
  rescanIntervalMs: number;
  /** Where to start a file found by the first scan that has no checkpoint (files found later start at 0). */
  startAt: 'beginning' | 'end';
  /** A longer line is cut at this size (attribute log.truncated=true) and counted. */
  maxLineBytes: number;
  /** Lines per next() call. */
  maxBatchLines: number;
  /** Line bytes per next() call (a batch always holds at least one line). */
  maxBatchBytes: number;
  /** Files open at once; more matching files wait for a slot (idle files are closed to make room). */
  maxOpenFiles: number;
  /** Regex source with optional named groups `service` and `stream`, matched against the file's path. */
  pathPattern: string;
}

export type FileTailOptions = Partial<FileTailConfig> & Pick<FileTailConfig, 'include' | 'checkpointFile'>;

export const DEFAULT_FILE_TAIL_CONFIG: Readonly<Omit<FileTailConfig, 'include' | 'checkpointFile'>> = {
  exclude: [],
  pollIntervalMs: 250,
  rescanIntervalMs: 1000,
  startAt: 'beginning',
  maxLineBytes: 1024 * 1024,
  maxBatchLines: 1000,
  maxBatchBytes: 1024 * 1024,
  maxOpenFiles: 1024,
  // PM2 layout: /workspace/logs/{service}-{out|error}.log
  pathPattern: '(?:^|/)(?<service>[^/]+)-(?<stream>out|error)\\.log$',
};

function configError(message: string): JobscopeError {
  return new JobscopeError('JS_CONFIG', `file_tail: ${message}`);
}

function int(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw configError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

function patterns(name: string, v: unknown, isOk: (p: string) => boolean, rule: string): string[] {
  if (!Array.isArray(v)) throw configError(`${name} must be an array of glob patterns`);
  for (const p of v) {
    if (typeof p !== 'string' || p === '' || !isOk(p)) throw configError(`${name}: ${JSON.stringify(p)} must be ${rule}`);
  }
  return [...(v as string[])];
}

/** Defaults applied and every field checked; throws JobscopeError JS_CONFIG. */
export function resolveFileTailConfig(o: FileTailOptions): FileTailConfig {
  const c = { ...DEFAULT_FILE_TAIL_CONFIG, ...o } as FileTailConfig;
  const include = patterns('include', c.include, isAbsolute, 'an absolute glob pattern');
  if (include.length === 0) throw configError('include needs at least one pattern');
  const exclude = patterns('exclude', c.exclude, (p) => isAbsolute(p) || p.startsWith('**/'), 'an absolute glob pattern or start with **/');
  if (typeof c.checkpointFile !== 'string' || c.checkpointFile === '') throw configError('checkpointFile is required');
  if (c.startAt !== 'beginning' && c.startAt !== 'end') throw configError(`startAt must be 'beginning' or 'end', got ${String(c.startAt)}`);
  if (typeof c.pathPattern !== 'string') throw configError('pathPattern must be a regex source string');
  try {
    new RegExp(c.pathPattern);
  } catch (err) {
    throw configError(`pathPattern is not a valid regex: ${(err as Error).message}`);
  }
  return {
    include,
    exclude,
    checkpointFile: resolve(c.checkpointFile),
    pollIntervalMs: int('pollIntervalMs', c.pollIntervalMs, 1, 60_000),
    rescanIntervalMs: int('rescanIntervalMs', c.rescanIntervalMs, 1, 3_600_000),
    startAt: c.startAt,
    maxLineBytes: int('maxLineBytes', c.maxLineBytes, 16, 256 * 1024 * 1024),
    maxBatchLines: int('maxBatchLines', c.maxBatchLines, 1, 1_000_000),
    maxBatchBytes: int('maxBatchBytes', c.maxBatchBytes, 1, 1024 * 1024 * 1024),
    maxOpenFiles: int('maxOpenFiles', c.maxOpenFiles, 1, 1_000_000),
    pathPattern: c.pathPattern,
  };
}
