/**
 * The one-pass log encoder against the official ProtobufLogsSerializer:
 * for the same JSON lines (through export/record.ts's lineToRecord for the
 * official one), the bytes must be equal, on a corpus of the lines our
 * loggers write and on random lines with every JSON feature (escapes,
 * unicode, duplicate and numeric keys, nested values, big and odd numbers,
 * the keys that are not attributes, malformed lines).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BatchEncoder } from '../export/batch.js';
import { resolveOptions } from '../export/options.js';
import { lineToRecord, msToHrTime } from '../export/record.js';
import { encodeLogLines } from './logs.js';
import { ProtoWriter } from './writer.js';

const resource = resourceFromAttributes({ 'service.name': 'worker', 'host.name': 'm-1', replicas: 3, gpu: true, tags: ['a', 'b'] });
const scope = { name: '@jobscope/sdk', version: '0.1.0' };
const now = msToHrTime(1764324000123.456);

function official(lines: readonly string[]): Buffer {
  const records = lines.map((l) => lineToRecord(l, { resource, scope, now })).filter((r): r is ReadableLogRecord => r !== null);
  if (records.length === 0) return Buffer.alloc(0);
  return Buffer.from(ProtobufLogsSerializer.serializeRequest(records) as Uint8Array);
}

function ours(lines: readonly string[], w = new ProtoWriter(64)): Buffer {
  return encodeLogLines(lines, resource, scope, now, w).payload ?? Buffer.alloc(0);
}

function assertSame(lines: readonly string[], what: string): void {
  const a = ours(lines);
  const b = official(lines);
  if (!a.equals(b)) {
    // Narrow to the first line that differs, for a readable failure.
    for (const l of lines) {
      if (!ours([l]).equals(official([l]))) assert.fail(`${what}: bytes differ for the line ${l}`);
    }
    assert.fail(`${what}: bytes differ for the batch`);
  }
}

const CORPUS = [
  '{"level":"info","time":1764324000000,"machine_id":"m-7","worker_id":"m-7-worker-2","service_type":"comfyui","connector_id":"comfyui-local","job_id":"job-1","event_type":"job_completed","duration_ms":1234,"model":"sdxl","progress":100,"status":"completed","msg":"Job completed"}',
  '{"level":"error","time":1764324000001,"job_id":"job-2","error":"CUDA out of memory","error_type":"memory","stack":"Error: x\\n    at y (z.js:1:2)","msg":"Job failed: \\"CUDA\\" out of memory"}',
  '{"level":30,"time":"2026-11-28T10:00:00.000Z","msg":"pino style","pid":123,"hostname":"h"}',
  '{"level":"warn","msg":"données — 日本語 ✓ 😀","trace_id":"0AF7651916CD43DD8448EB211C80319C","span_id":"b7ad6b7169203331","trace_flags":1}',
  '{"level":"debug","message":"winston style","meta":{"a":1,"b":[1,2.5,"x",null,true],"c":{"d":null}}}',
  '{"msg":"both","message":"kept as an attribute","trace_id":"0af7651916cd43dd8448eb211c80319c"}',
  '{"msg":null,"level":"","time":-5}',
  '{}',
  'not json',
  '[1,2]',
  '"a string"',
  'null',
  '{"level":"notice","time":0,"big":9007199254740993,"neg":-9223372036854775808,"huge":1e21,"tiny":1e-7,"one":1.0,"negzero":-0,"exp":1E3}',
  '{"__proto__":{"x":1},"constructor":"c","toString":"t"}',
  '{"a":1,"a":2,"b":3}',
  '{"2":"two","1":"one","x":"x","10":"ten"}',
  '{"lone":"\\ud800","pair":"\\ud83d\\ude00","nul":"\\u0000","tab":"\\t","slash":"\\/"}',
  ' { "spaced" : "out" , "level" : "INFO" } ',
  '{"msg":"' + 'long '.repeat(500) + '","k":"' + 'é'.repeat(300) + '"}',
  '{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"00000000000000000000","trace_flags":"01"}',
  '{"trace_id":"00000000000000000000000000000000","span_id":"b7ad6b7169203331"}',
  '{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","trace_flags":"zz"}',
  '{"level":"fatal","time":"not a date","msg":12}',
  '{"level":"TRACE","msg":true}',
  '{"level":65,"msg":[1,"two"]}',
  '{"level":-3,"msg":{"nested":"body"}}',
];

test('byte-equal to the official serializer on the corpus, one line at a time and as one batch', () => {
  for (const l of CORPUS) assertSame([l], 'corpus');
  assertSame(CORPUS, 'corpus batch');
});

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('byte-equal to the official serializer on 5,000 random lines', () => {
  const r = rng(42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const KEYS = ['time', 'level', 'msg', 'message', 'trace_id', 'span_id', 'trace_flags', 'job_id', 'model', 'progress', 'a', 'ü', 'key with space', '0', '7', '__proto__', 'x'.repeat(60)];
  const STRINGS = ['', 'plain', 'with \\"quotes\\"', 'line\\nbreak', 'uni é ✓', '😀', '\\u00e9', '\\ud800', 'info', 'WARN', 'error', 'notice', '2026-11-28T10:00:00Z', '0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 'L'.repeat(200)];
  const NUMBERS = ['0', '-0', '1', '-1', '30', '50', '1764324000000', '3.25', '-0.5', '1e21', '1.5e300', '9007199254740993', '-9223372036854775809', '1E2', '0.1', '123456789012345678901234567890'];
  const scalar = (): string => {
    const k = r();
    if (k < 0.45) return `"${pick(STRINGS)}"`;
    if (k < 0.8) return pick(NUMBERS);
    if (k < 0.9) return pick(['true', 'false']);
    return 'null';
  };
  const value = (depth: number): string => {
    const k = r();
    if (depth < 2 && k < 0.06) return `[${Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1)).join(',')}]`;
    if (depth < 2 && k < 0.12) return `{${Array.from({ length: Math.floor(r() * 4) }, () => `"${pick(KEYS)}":${value(depth + 1)}`).join(',')}}`;
    return scalar();
  };
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const n = Math.floor(r() * 14);
    const body = Array.from({ length: n }, () => `"${pick(KEYS)}":${value(0)}`).join(r() < 0.1 ? ' , ' : ',');
    let line = `{${body}}`;
    if (r() < 0.03) line = line.slice(0, Math.floor(r() * line.length)); // truncated: malformed
    lines.push(line);
    assertSame([line], `random line ${i}`);
  }
  assertSame(lines, 'random batch');
  assert.equal(encodeLogLines(lines, resource, scope, now).records, lines.filter((l) => lineToRecord(l, { resource, scope, now }) !== null).length);
});

test('a writer reused across batches, and a batch with no valid line', () => {
  const w = new ProtoWriter(16);
  for (let i = 0; i < 3; i++) assert.ok(ours(CORPUS, w).equals(official(CORPUS)));
  assert.deepEqual(encodeLogLines(['nope', '[]'], resource, scope, now), { payload: null, records: 0 });
});

test("the exporter's two encoders ('jobscope', the default, and 'official') make the same batch", async () => {
  const opts = { serviceName: 'worker', resource: { 'host.name': 'm-1' }, gzipLevel: 0, env: {} };
  // The batch's observed time is the clock's: the same clock for both.
  const clock = Date.now;
  Date.now = () => 1764324000123;
  try {
    const ours = await new BatchEncoder(resolveOptions(opts)).encode(1, CORPUS, 0);
    const theirs = await new BatchEncoder(resolveOptions({ ...opts, encoder: 'official' })).encode(1, CORPUS, 0);
    assert.equal(ours.malformed, 4);
    assert.equal(theirs.malformed, 4);
    assert.equal(ours.batch!.records, CORPUS.length - 4);
    assert.ok(ours.batch!.payload.equals(theirs.batch!.payload));
  } finally {
    Date.now = clock;
  }
});
