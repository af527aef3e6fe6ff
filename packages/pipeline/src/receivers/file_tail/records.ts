/**
 * What a file line becomes. A line that is a JSON object becomes a structured
 * record (fields, level, time, trace ids: the same mapping as the Fluent
 * receivers); any other line is the body of a plain record. The file's path
 * gives the resource (log.file.path, log.file.name, and service.name from
 * pathPattern) and the `stream` attribute of its records.
 */
import { basename } from 'node:path';
import type { Attributes, LogRecord } from '@jobscope/otlp';
import { logsRequest, structuredToLogRecord, textToLogRecord } from '../shared/structured-log.js';
import type { Telemetry } from '../../telemetry.js';
import type { Line } from './line-reader.js';

export const SCOPE_NAME = 'jobscope.agent.file_tail';

const STREAMS: Readonly<Record<string, string>> = { out: 'stdout', error: 'stderr' };

/** Resource and per-record attributes of the lines of one file. */
export interface FileSource {
  resource: Attributes;
  /** Value of the `stream` attribute of each record, or undefined. */
  stream: string | undefined;
}

/** The source described by the path a file is read under; `pattern` may have groups `service` and `stream`. */
export function describeFile(path: string, pattern: RegExp): FileSource {
  const resource: Attributes = { 'log.file.path': path, 'log.file.name': basename(path) };
  const groups = pattern.exec(path)?.groups;
  const service = groups?.service;
  if (service) resource['service.name'] = service;
  const s = groups?.stream;
  return { resource, stream: s ? STREAMS[s] ?? s : undefined };
}

/** The record of a line; null for an empty line (skipped). */
export function lineToRecord(line: Line, source: FileSource, observedNs: string): LogRecord | null {
  const text = line.text;
  if (text === '') return null;
  let parsed: unknown;
  if (text.charCodeAt(0) === 0x7b /* { */ && !line.truncated) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  const record = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? structuredToLogRecord(parsed as Record<string, unknown>, '', observedNs)
    : textToLogRecord(text, '', observedNs);
  if (source.stream !== undefined) record.attributes['stream'] = source.stream;
  if (line.truncated) record.attributes['log.truncated'] = true;
  return record;
}

/** One batch of records of one file (the resource is copied: processors change telemetry in place). */
export function batchTelemetry(source: FileSource, records: LogRecord[]): Telemetry<'logs'> {
  return { signal: 'logs', request: logsRequest({ ...source.resource }, SCOPE_NAME, records) };
}
