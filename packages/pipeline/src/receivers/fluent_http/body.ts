/**
 * The request body of the fluent_http receiver as records: gzip inflation
 * (bounded, against zip bombs) and JSON parsing. A body is one JSON object,
 * an array of objects, or NDJSON (one object per non-empty line, also
 * accepted as application/json, as Fluent Bit's `json_lines` output sends
 * it). Anything else is the client's fault (400), so it fails the whole
 * request: Fluent Bit retries or reports it, nothing is half-ingested.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { JobscopeError, PermanentError } from '@jobscope/core';

const gunzipAsync = promisify(gunzip);

export type BodyFormat = 'json' | 'ndjson';

const FORMATS: Readonly<Record<string, BodyFormat>> = {
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
};

/** The body format of a Content-Type header (parameters ignored), undefined when unsupported. */
export function formatOf(contentType: string | string[] | undefined): BodyFormat | undefined {
  const raw = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!raw) return undefined;
  const mime = raw.split(';', 1)[0]!.trim().toLowerCase();
  return FORMATS[mime];
}

/** Applies Content-Encoding (gzip or none). */
export async function decodeBody(body: Buffer, contentEncoding: string | string[] | undefined, maxDecompressed: number): Promise<Buffer> {
  const enc = String((Array.isArray(contentEncoding) ? contentEncoding[0] : contentEncoding) ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return body;
  if (enc !== 'gzip' && enc !== 'x-gzip') {
    throw new JobscopeError('JS_UNSUPPORTED_MEDIA_TYPE', `content encoding ${enc.slice(0, 40)} is not supported (use gzip or none)`);
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxDecompressed });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || String((err as Error).message).includes('maxOutputLength')) {
      throw new JobscopeError('JS_PAYLOAD_TOO_LARGE', `decompressed body exceeds ${maxDecompressed} bytes`);
    }
    throw new PermanentError(`invalid gzip body: ${(err as Error).message}`);
  }
}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The records of a decoded body. Throws PermanentError (400) or JS_PAYLOAD_TOO_LARGE (413). */
export function parseRecords(buf: Buffer, format: BodyFormat, maxRecords: number): Obj[] {
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new PermanentError('empty body');
  if (format === 'ndjson') return parseLines(text, maxRecords);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Several newline-separated objects sent as application/json.
    if (text.trim().includes('\n')) return parseLines(text, maxRecords);
    throw new PermanentError(`malformed JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  if (isObject(parsed)) return [parsed];
  if (!Array.isArray(parsed)) throw new PermanentError('body must be a JSON object or an array of objects');
  if (parsed.length > maxRecords) throw tooMany(maxRecords);
  for (let i = 0; i < parsed.length; i++) {
    if (!isObject(parsed[i])) throw new PermanentError(`element ${i} is not a JSON object`);
  }
  return parsed as Obj[];
}

function parseLines(text: string, maxRecords: number): Obj[] {
  const out: Obj[] = [];
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const s = text.slice(start, end).trim();
    start = end + 1;
    if (s === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch (err) {
      throw new PermanentError(`malformed JSON on line ${line}: ${(err as Error).message.slice(0, 200)}`);
    }
    if (!isObject(v)) throw new PermanentError(`line ${line} is not a JSON object`);
    if (out.length >= maxRecords) throw tooMany(maxRecords);
    out.push(v);
  }
  return out;
}

const tooMany = (max: number): JobscopeError => new JobscopeError('JS_PAYLOAD_TOO_LARGE', `more than ${max} records in one request`);
