import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bar, flatten, formatDuration, formatWaterfall, type WaterfallSpan, type WaterfallTrace } from './waterfall.js';

const T0 = 1_700_000_000_000_000_000n;
const span = (spanId: string, parentSpanId: string, depth: number, startMs: number, durationMs: number, over: Partial<WaterfallSpan> = {}): WaterfallSpan => ({
  spanId, parentSpanId, name: spanId, kind: 'Internal', serviceName: 'svc', startTimeNs: (T0 + BigInt(startMs) * 1_000_000n).toString(),
  durationMs, statusCode: 'Unset', statusMessage: '', depth, children: [], ...over,
});

function sample(): WaterfallTrace {
  const call = span('openai chat', 'c', 3, 150, 100, { kind: 'Client', serviceName: 'connector-openai', statusCode: 'Error', statusMessage: 'HTTP 429' });
  const hook = span('POST /hooks/job', 'c', 3, 500, 20, { kind: 'Client', serviceName: 'webhook' });
  const consume = span('process job', 'p', 2, 100, 600, { kind: 'Consumer', serviceName: 'worker', children: [call, hook] });
  const produce = span('enqueue', 'r', 1, 10, 10, { kind: 'Producer', serviceName: 'api', children: [consume] });
  const root = span('POST /api/jobs', '', 0, 0, 50, { kind: 'Server', serviceName: 'api', children: [produce] });
  const orphan = span('resume', 'abcdefabcdefabcd', 0, 900, 10, { serviceName: 'worker' });
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c', startTime: '2023-11-14T22:13:20.000000000Z', durationMs: 910, spanCount: 6,
    services: ['api', 'connector-openai', 'webhook', 'worker'], errorCount: 1, orphans: 1, roots: [root, orphan],
  };
}

test('durations read naturally at every scale', () => {
  assert.deepEqual([0.0421, 4.5, 123.45, 2345, 125_000].map(formatDuration), ['0.042 ms', '4.50 ms', '123.5 ms', '2.35 s', '2m 5.0s']);
});

test('bars sit on the time axis; a tiny span still shows', () => {
  assert.equal(bar(0, 50, 100, 10), '█████     ');
  assert.equal(bar(50, 50, 100, 10), '     █████');
  assert.equal(bar(99, 0.01, 100, 10), '         ▏');
  assert.equal(bar(0, 0, 0, 4), '█   ');
});

test('the waterfall: tree order, indentation by depth, errors and orphans said', () => {
  const text = formatWaterfall(sample(), { width: 120 });
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0]!, /^trace 0af7651916cd43dd8448eb211c80319c {2}2023-11-14T22:13:20\.000000000Z {2}910\.0 ms$/);
  assert.match(lines[1]!, /6 spans, 4 services \(api, connector-openai, webhook, worker\), 1 error, 1 orphan/);
  const body = lines.slice(4);
  assert.deepEqual(body.map((l) => /^( *\S.*?)(?= {2,})/.exec(l)?.[1]), [
    'POST /api/jobs [server]', '  enqueue [producer]', '    process job [consumer]', '      ✗ openai chat [client]', '      POST /hooks/job [client]', 'resume',
  ]);
  assert.match(body[3]!, /connector-openai +100\.0 ms +\S*█+ +HTTP 429$/);
  assert.match(body[5]!, /orphan: parent abcdefabcdefabcd not in the trace$/);
  // Bars start where the span starts on the axis: the orphan (at 900 of 910 ms) is near the end.
  const barOf = (l: string) => l.slice(l.indexOf(' ms ') + 4);
  assert.ok(barOf(body[5]!).indexOf('█') > barOf(body[2]!).indexOf('█') + 20);
  assert.ok(text.split('\n').every((l) => [...l].length <= 120 + 60), 'lines stay near the width');
  assert.doesNotMatch(text, /\x1b\[/, 'no color unless asked');
  assert.match(formatWaterfall(sample(), { color: true }), /\x1b\[31m/);
});

test('span names cannot drive the terminal; deep trees and truncation are shown', () => {
  const t = sample();
  t.roots[0]!.name = 'evil\x1b[2Jname';
  t.truncated = true;
  let deep = span('d0', '', 0, 0, 1);
  const top = deep;
  for (let i = 1; i < 5000; i++) {
    const c = span(`d${i}`, `d${i - 1}`, i, i, 1);
    deep.children.push(c);
    deep = c;
  }
  t.roots.push(top);
  const text = formatWaterfall(t);
  assert.doesNotMatch(text, /\x1b\[2J/);
  assert.match(text, /evil\\x1b\[2Jname/);
  assert.match(text, /truncated: only the first 6 spans were read/);
  assert.match(text, /…4999 d4999/);
  assert.equal(flatten(t.roots).length, 6 + 5000);
});
