/**
 * Decode speed of 1000-record requests, µs per record:
 *   node packages/otlp/dist/bench/decode.bench.js [records] [seconds-per-case]
 * Compares our decoders with protobufjs's reflection decoder (decode only,
 * without the conversion to our shapes) and with bare JSON.parse.
 */
import { decodeRequest, encodeRequest, type RequestBySignal, type Signal } from '../index.js';
import { types } from '../proto/descriptor.js';
import { referenceDecode } from '../testing/reference.js';
import { logsOf, TRACE_ID, SPAN_ID } from '../testing/fixtures.js';

const records = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 1);

function tracesOf(n: number): RequestBySignal['traces'] {
  const spans = [];
  for (let i = 0; i < n; i++) {
    spans.push({
      traceId: TRACE_ID, spanId: SPAN_ID, traceState: '', parentSpanId: i % 2 ? SPAN_ID : '', flags: 0x101,
      name: `step-${i % 10}`, kind: 1 + (i % 5),
      startTimeUnixNano: String(1700000000000000000n + BigInt(i)), endTimeUnixNano: String(1700000000500000000n + BigInt(i)),
      attributes: { 'job.id': `job-${i % 97}`, 'http.status_code': 200, 'gpu.util': 0.75 },
      droppedAttributesCount: 0,
      events: i % 4 === 0 ? [{ timeUnixNano: '1700000000100000000', name: 'progress', attributes: { percent: 50 }, droppedAttributesCount: 0 }] : [],
      droppedEventsCount: 0, links: [], droppedLinksCount: 0, status: { code: i % 10 === 0 ? 2 : 0, message: '' },
    });
  }
  const scope = { name: 'bench', version: '1', attributes: {}, droppedAttributesCount: 0 };
  return { resourceSpans: [{ resource: { attributes: { 'service.name': 'worker' }, droppedAttributesCount: 0 }, scopeSpans: [{ scope, spans, schemaUrl: '' }], schemaUrl: '' }] };
}

/**
 * Runs fn repeatedly for ~`seconds` after a warm-up; returns µs per call,
 * best of 5 slices, in process CPU time (user + system) so that other load on
 * a shared machine inflates the numbers less than wall time would.
 */
function measure(fn: () => unknown): number {
  const warm = Date.now() + 300;
  while (Date.now() < warm) fn();
  let best = Infinity;
  for (let slice = 0; slice < 5; slice++) {
    const end = Date.now() + (seconds * 1000) / 5;
    let n = 0;
    const c0 = process.cpuUsage();
    do {
      fn();
      n++;
    } while (Date.now() < end);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / n);
  }
  return best;
}

function row(name: string, usPerRequest: number, bytes?: number): void {
  const perRecord = (usPerRequest / records).toFixed(2).padStart(7);
  const size = bytes === undefined ? '' : `   ${(bytes / records).toFixed(0)} B/record`;
  console.log(`${name.padEnd(44)} ${perRecord} µs/record  ${(usPerRequest / 1000).toFixed(2).padStart(7)} ms/request${size}`);
}

function benchSignal<S extends Signal>(signal: S, req: RequestBySignal[S]): void {
  const pb = encodeRequest(signal, req, 'protobuf');
  const js = encodeRequest(signal, req, 'json');
  const text = Buffer.from(js).toString();
  const type = types.request[signal];
  console.log(`\n${signal}: ${records} records`);
  row(`decodeRequest protobuf`, measure(() => decodeRequest(signal, pb, 'protobuf')), pb.length);
  row(`decodeRequest json`, measure(() => decodeRequest(signal, js, 'json')), js.length);
  row(`  (protobufjs Type.decode only, no shaping)`, measure(() => type.decode(pb)));
  row(`  (protobufjs decode + toObject + shaping)`, measure(() => referenceDecode(signal, pb)));
  row(`  (JSON.parse only)`, measure(() => JSON.parse(text)));
  row(`encodeRequest protobuf`, measure(() => encodeRequest(signal, req, 'protobuf')));
  row(`encodeRequest json`, measure(() => encodeRequest(signal, req, 'json')));
}

console.log(`node ${process.version}, ${seconds}s per case, CPU time`);
benchSignal('logs', logsOf(records));
benchSignal('traces', tracesOf(records));
