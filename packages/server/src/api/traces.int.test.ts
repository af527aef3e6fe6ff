/**
 * The trace API over HTTP against real embedded ClickHouse, fed by the
 * official OpenTelemetry JS SDK through the real OTLP/HTTP endpoint: three
 * traces of a job's path through four services
 *
 *   api SERVER "POST /api/jobs"
 *   └ api PRODUCER "enqueue jobs:pending"
 *     └ worker CONSUMER "process job"            (job_id, except in trace 2)
 *       ├ connector-openai CLIENT "openai chat.completions"   (Error in trace 0)
 *       └ webhook CLIENT "POST /hooks/job"
 *   worker "resume after restart" (trace 0 only: its parent is not in the trace → orphan)
 *
 * then the tree (/api/traces), span search (/api/spans), the job timeline
 * (/api/jobs/:id) and the service map (/api/service-map).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, trace, SpanKind, SpanStatusCode, TraceFlags, type Span } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { logRecord, logsRequest, postLogs, startTestServer, type TestServer } from '../testkit/server.js';

let t: TestServer;
const base = Date.now() - 10 * 60_000;
const traceIds: string[] = [];
const spanIds: Record<string, string>[] = [];
const CONNECTOR_MS = [100, 200, 300];
const WORKER_MS = [600, 700, 800];
const ORPHAN_PARENT = 'abcdefabcdefabcd';
const COLLECTOR_TRACE = 'c011ec7027ace1d0c011ec7027ace1d0';

interface Node {
  spanId: string; parentSpanId: string; name: string; kind: string; serviceName: string; startTime: string; durationMs: number;
  statusCode: string; statusMessage: string; depth: number; children: Node[]; attributes: Record<string, string>;
  resource: Record<string, string>; events: { name: string; time: string; attributes: Record<string, string> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, string> }[]; job_id: string; machine_id: string; worker_id: string;
}
interface TraceAnswer {
  traceId: string; startTime: string; endTime: string; durationMs: number; spanCount: number; services: string[];
  errorCount: number; roots: Node[]; orphans: number; truncated: boolean;
}

before(async () => {
  t = await startTestServer();
  const providers: BasicTracerProvider[] = [];
  const tracer = (service: string, resource: Record<string, string> = {}) => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, ...resource }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${t.url}/v1/traces` }))],
    });
    providers.push(provider);
    return provider.getTracer('jobscope-test');
  };
  const api = tracer('api');
  const worker = tracer('worker', { machine_id: 'gpu-1', 'service.instance.id': 'gpu-1-w0' });
  const connector = tracer('connector-openai', { machine_id: 'gpu-1' });
  const webhook = tracer('webhook');
  const under = (s: Span) => trace.setSpan(ROOT_CONTEXT, s);

  for (let i = 0; i < 3; i++) {
    const t0 = base + i * 10_000;
    const job = `job-t${i}`;
    const root = api.startSpan('POST /api/jobs', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.route': '/api/jobs' } });
    const produce = api.startSpan('enqueue jobs:pending', {
      kind: SpanKind.PRODUCER, startTime: t0 + 10, attributes: { 'messaging.system': 'redis', 'messaging.destination.name': 'jobs:pending' },
    }, under(root));
    produce.end(t0 + 20);
    root.end(t0 + 50);
    const consume = worker.startSpan('process job', {
      kind: SpanKind.CONSUMER, startTime: t0 + 100,
      attributes: { 'messaging.system': 'redis', ...(i === 2 ? {} : { job_id: job }) },
      links: [{ context: produce.spanContext(), attributes: { 'link.reason': 'dequeued' } }],
    }, under(produce));
    const call = connector.startSpan('openai chat.completions', {
      kind: SpanKind.CLIENT, startTime: t0 + 150, attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.system': 'openai' },
    }, under(consume));
    call.addEvent('retry', { attempt: 2 }, t0 + 160);
    if (i === 0) call.setStatus({ code: SpanStatusCode.ERROR, message: 'HTTP 429 Too Many Requests' });
    call.end(t0 + 150 + CONNECTOR_MS[i]!);
    const hook = webhook.startSpan('POST /hooks/job', { kind: SpanKind.CLIENT, startTime: t0 + 500, attributes: { 'http.request.method': 'POST' } }, under(consume));
    hook.end(t0 + 520);
    consume.end(t0 + 100 + WORKER_MS[i]!);
    const ids: Record<string, string> = {
      root: root.spanContext().spanId, produce: produce.spanContext().spanId, consume: consume.spanContext().spanId,
      call: call.spanContext().spanId, hook: hook.spanContext().spanId,
    };
    if (i === 0) {
      const lost = trace.setSpanContext(ROOT_CONTEXT, { traceId: root.spanContext().traceId, spanId: ORPHAN_PARENT, traceFlags: TraceFlags.SAMPLED });
      const orphan = worker.startSpan('resume after restart', { startTime: t0 + 900 }, lost);
      orphan.end(t0 + 910);
      ids.orphan = orphan.spanContext().spanId;
    }
    traceIds.push(root.spanContext().traceId);
    spanIds.push(ids);
  }
  for (const p of providers) await p.shutdown(); // flushes, then stops
  // Lifecycle events: job-t0's and job-t2's carry their trace ids (job-t2's spans carry no job_id).
  const ev = (job: string, type: string, ms: number, traceId: string) => logRecord({
    timeUnixNano: (BigInt(ms) * 1_000_000n).toString(), body: `${type} ${job}`, traceId, attrs: { job_id: job, event_type: type },
  });
  const res = await postLogs(t.url, logsRequest([
    ev('job-t0', 'job_submitted', base + 15, traceIds[0]!), ev('job-t0', 'job_completed', base + 950, ''),
    ev('job-t2', 'job_submitted', base + 20_015, traceIds[2]!),
  ], { 'service.name': 'api' }));
  assert.equal(res.status, 200);
  // Rows as a stock OpenTelemetry Collector's ClickHouse exporter writes them (enum names), three hours ago.
  const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
  const old = Date.now() - 3 * 3_600_000;
  const row = (spanId: string, parent: string, service: string, kind: string, status: string, ms: number) => JSON.stringify({
    Timestamp: ns(old + ms), TraceId: COLLECTOR_TRACE, SpanId: spanId, ParentSpanId: parent, SpanName: `${service} op`, SpanKind: kind,
    ServiceName: service, Duration: '5000000', StatusCode: status, ResourceAttributes: { 'service.name': service },
  });
  await t.server.store.insert('otel_traces', Buffer.from([
    row('1111111111111111', '', 'gateway', 'SPAN_KIND_SERVER', 'STATUS_CODE_UNSET', 0),
    row('2222222222222222', '1111111111111111', 'billing', 'SPAN_KIND_CLIENT', 'STATUS_CODE_ERROR', 1),
  ].join('\n')));
  await t.server.writer.flush();
});
after(async () => { await t?.close(); });

const get = async <T>(path: string): Promise<T> => {
  const r = await fetch(t.url + path);
  assert.equal(r.status, 200, `${path}: ${r.status} ${r.status === 200 ? '' : await r.text()}`);
  return (await r.json()) as T;
};

test('GET /api/traces/:id builds the tree: parentage, depth, order, orphans', async () => {
  const tr = await get<TraceAnswer>(`/api/traces/${traceIds[0]}`);
  const ids = spanIds[0]!;
  assert.equal(tr.traceId, traceIds[0]);
  assert.equal(tr.spanCount, 6);
  assert.deepEqual(tr.services, ['api', 'connector-openai', 'webhook', 'worker']);
  assert.equal(tr.errorCount, 1);
  assert.equal(tr.orphans, 1);
  assert.equal(tr.truncated, false);
  assert.equal(tr.startTime, new Date(base).toISOString().replace('Z', '000000Z'));
  assert.equal(tr.durationMs, 910);
  // Roots by start time: the API request, then the orphan (its parent never arrived).
  assert.deepEqual(tr.roots.map((r) => [r.name, r.depth, r.parentSpanId]), [['POST /api/jobs', 0, ''], ['resume after restart', 0, ORPHAN_PARENT]]);
  const [root, orphan] = tr.roots;
  assert.equal(orphan!.spanId, ids.orphan);
  assert.deepEqual(orphan!.children, []);
  const produce = root!.children[0]!;
  assert.deepEqual([produce.name, produce.kind, produce.serviceName, produce.depth, produce.parentSpanId], ['enqueue jobs:pending', 'Producer', 'api', 1, ids.root]);
  const consume = produce.children[0]!;
  assert.deepEqual([consume.name, consume.kind, consume.serviceName, consume.depth, consume.spanId], ['process job', 'Consumer', 'worker', 2, ids.consume]);
  assert.equal(consume.job_id, 'job-t0');
  assert.equal(consume.machine_id, 'gpu-1');
  assert.equal(consume.worker_id, 'gpu-1-w0');
  assert.equal(consume.durationMs, 600);
  assert.deepEqual(consume.links.map((l) => [l.traceId, l.spanId, l.attributes['link.reason']]), [[traceIds[0], ids.produce, 'dequeued']]);
  // Children in start-time order: the connector call (t+150), then the webhook (t+500).
  assert.deepEqual(consume.children.map((c) => [c.name, c.depth, c.serviceName]), [
    ['openai chat.completions', 3, 'connector-openai'], ['POST /hooks/job', 3, 'webhook'],
  ]);
  const call = consume.children[0]!;
  assert.deepEqual([call.kind, call.statusCode, call.statusMessage], ['Client', 'Error', 'HTTP 429 Too Many Requests']);
  assert.equal(call.attributes.model, 'gpt-4o', 'gen_ai.request.model is stored under its canonical name');
  assert.equal(call.resource['service.name'], 'connector-openai');
  assert.deepEqual(call.events.map((e) => [e.name, e.time, e.attributes.attempt]), [['retry', new Date(base + 160).toISOString().replace('Z', '000000Z'), '2']]);
  assert.equal(call.durationMs, 100);
  assert.deepEqual(consume.children[1]!.children, []);
});

test('GET /api/traces/:id: uppercase ids, the span bound, dataset, 404 and 400', async () => {
  const upper = await get<TraceAnswer>(`/api/traces/${traceIds[1]!.toUpperCase()}`);
  assert.equal(upper.traceId, traceIds[1]);
  assert.equal(upper.spanCount, 5);
  assert.equal(upper.orphans, 0);
  const cut = await get<TraceAnswer>(`/api/traces/${traceIds[0]}?limit=2`);
  assert.equal(cut.truncated, true);
  assert.equal(cut.spanCount, 2);
  for (const path of [`/api/traces/${'0123456789abcdef'.repeat(2)}`, `/api/traces/${traceIds[0]}?dataset=staging`]) {
    const r = await fetch(t.url + path);
    assert.equal(r.status, 404, path);
    const body = await r.json() as { error: string; message: string };
    assert.equal(body.error, 'JS_NOT_FOUND');
    assert.match(body.message, /no spans for trace/);
  }
  for (const path of ['/api/traces/not-a-trace', `/api/traces/${'a'.repeat(31)}`, `/api/traces/${'a'.repeat(33)}`, `/api/traces/${'0'.repeat(32)}`,
    `/api/traces/${'g'.repeat(32)}`, `/api/traces/${traceIds[0]}?limit=0`, `/api/traces/${traceIds[0]}?limit=10001`]) {
    const r = await fetch(t.url + path);
    assert.equal(r.status, 400, path);
    const body = await r.json() as { error: string; message: string };
    assert.equal(body.error, 'JS_BAD_REQUEST', path);
    assert.ok(body.message.length > 0);
  }
});

interface SpanRow { traceId: string; spanId: string; name: string; serviceName: string; startTimeNs: string; kind: string; statusCode: string }
const search = async (q: string, extra = '', from = 'now-1h'): Promise<SpanRow[]> =>
  (await get<{ rows: SpanRow[] }>(`/api/spans?q=${encodeURIComponent(q)}&from=${from}${extra}`)).rows;

test('GET /api/spans searches spans with the language, newest first', async () => {
  const cases: Array<[string, number, (r: SpanRow) => boolean]> = [
    ['service:worker', 4, (r) => r.serviceName === 'worker'],
    ['name:"process job"', 3, (r) => r.name === 'process job'],
    ['duration_ms:>500', 3, (r) => r.name === 'process job'],
    ['duration_ms:[150 TO 250]', 1, (r) => r.spanId === spanIds[1]!.call],
    ['status:error', 1, (r) => r.spanId === spanIds[0]!.call && r.statusCode === 'Error'],
    ['job_id:job-t0', 1, (r) => r.spanId === spanIds[0]!.consume],
    ['job_id:job-t*', 2, (r) => r.name === 'process job'],
    ['kind:consumer', 3, (r) => r.kind === 'Consumer'],
    ['kind:CLIENT -service:webhook', 3, (r) => r.serviceName === 'connector-openai'],
    ['messaging.system:redis', 6, (r) => r.kind === 'Producer' || r.kind === 'Consumer'],
    ['gen_ai.request.model:gpt-4o', 3, (r) => r.serviceName === 'connector-openai'],
    ['model:gpt-4* gen_ai.system:openai', 3, (r) => r.serviceName === 'connector-openai'],
    ['resource.machine_id:gpu-1', 7, (r) => r.serviceName === 'worker' || r.serviceName === 'connector-openai'],
    ['machine_id:gpu-1 -service:connector-openai', 4, (r) => r.serviceName === 'worker'],
    [`trace_id:${traceIds[0]}`, 6, (r) => r.traceId === traceIds[0]],
    ['chat', 3, (r) => r.name === 'openai chat.completions'],
    ['"hooks job"', 3, (r) => r.name === 'POST /hooks/job'],
    ['service:(api OR webhook) http.route:*', 3, (r) => r.name === 'POST /api/jobs'],
  ];
  for (const [q, n, pred] of cases) {
    const rows = await search(q);
    assert.equal(rows.length, n, `${q}: ${rows.map((r) => r.name).join(', ')}`);
    assert.ok(rows.every(pred), q);
    const ts = rows.map((r) => BigInt(r.startTimeNs));
    assert.ok(ts.every((x, i) => i === 0 || ts[i - 1]! >= x), `${q}: newest first`);
  }
  assert.equal((await search('')).length, 16);
  assert.equal((await search('service:worker', '&dataset=staging')).length, 0);
  assert.equal((await get<{ rows: unknown[] }>(`/api/spans?q=service:worker&from=now-1m`)).rows.length, 0, 'the time range applies');
});

test('GET /api/spans: hostile values find nothing and never error', async () => {
  for (const q of [`name:"x') OR 1=1 --"`, `service:"worker' OR '1'='1"`, `"'; DROP TABLE otel_traces; --"`, `{p0:String}`, `messaging.system:"redis\\' OR 1=1"`]) {
    assert.deepEqual(await search(q), [], q);
  }
  assert.equal((await search('service:worker')).length, 4, 'the table is still there');
});

test('GET /api/spans pages by cursor without repeats or gaps', async () => {
  const seen: string[] = [];
  let cursor: string | null = '';
  let pages = 0;
  while (cursor !== null && pages < 10) {
    const r: { rows: SpanRow[]; nextCursor: string | null } = await get(`/api/spans?from=now-1h&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...r.rows.map((x) => x.spanId));
    cursor = r.nextCursor;
    pages++;
  }
  assert.equal(seen.length, 16);
  assert.equal(new Set(seen).size, 16);
});

test('GET /api/spans: bad input is a 400 with a message', async () => {
  for (const path of ['/api/spans?q=name:(', '/api/spans?limit=0', '/api/spans?limit=10001', '/api/spans?cursor=abc', '/api/spans?from=yesterday',
    '/api/spans?from=now&to=now-1h', `/api/spans?q=${encodeURIComponent('duration_ms:abc')}`]) {
    const r = await fetch(t.url + path);
    assert.equal(r.status, 400, path);
    const body = await r.json() as { error: string; message: string };
    assert.ok(body.error.startsWith('JS_') && body.message.length > 0, path);
  }
});

interface TimelineEntry { kind: string; spanId?: string; parentSpanId?: string; name?: string; service?: string; durationMs?: number; status?: string; event_type?: string; timestamp_ns: string }
interface JobAnswer { job: Record<string, unknown> | null; traceIds: string[]; timeline: TimelineEntry[] }

test('GET /api/jobs/:id: the timeline holds every span of the job and of its traces', async () => {
  // job-t0: the worker span carries job_id; events carry the trace id.
  const a = await get<JobAnswer>('/api/jobs/job-t0');
  assert.deepEqual(a.traceIds, [traceIds[0]]);
  assert.equal(a.job?.status, 'completed');
  const spans = a.timeline.filter((i) => i.kind === 'span');
  assert.equal(spans.length, 6);
  assert.deepEqual(new Set(spans.map((s) => s.spanId)), new Set(Object.values(spanIds[0]!)));
  const call = spans.find((s) => s.spanId === spanIds[0]!.call)!;
  assert.deepEqual([call.name, call.service, call.parentSpanId, call.durationMs, call.status], ['openai chat.completions', 'connector-openai', spanIds[0]!.consume, 100, 'Error']);
  assert.deepEqual(a.timeline.filter((i) => i.kind === 'event').map((i) => i.event_type), ['job_submitted', 'job_completed']);
  const ts = a.timeline.map((i) => BigInt(i.timestamp_ns));
  assert.ok(ts.every((x, i) => i === 0 || ts[i - 1]! <= x), 'time order');
  assert.deepEqual(a.timeline.slice(0, 3).map((i) => i.kind === 'span' ? i.name : i.event_type), ['POST /api/jobs', 'enqueue jobs:pending', 'job_submitted']);
  // job-t1: no events at all; the span carrying job_id brings its whole trace.
  const b = await get<JobAnswer>('/api/jobs/job-t1');
  assert.equal(b.job, null);
  assert.deepEqual(b.traceIds, [traceIds[1]]);
  assert.equal(b.timeline.length, 5);
  assert.ok(b.timeline.every((i) => i.kind === 'span'));
  // job-t2: no span carries job_id; the event's trace id brings the spans.
  const c = await get<JobAnswer>('/api/jobs/job-t2');
  assert.deepEqual(c.traceIds, [traceIds[2]]);
  assert.deepEqual(c.timeline.map((i) => i.kind).sort(), ['event', 'span', 'span', 'span', 'span', 'span']);
  assert.equal((await fetch(`${t.url}/api/jobs/job-none`)).status, 404);
});

interface MapAnswer {
  nodes: { service: string; spans: number; errors: number; p95Ms: number | null }[];
  edges: { from: string; to: string; calls: number; errors: number; errorRate: number; p95Ms: number }[];
}

test('GET /api/service-map: edges between services with calls, error rate and p95', async () => {
  const m = await get<MapAnswer>('/api/service-map');
  const edges = Object.fromEntries(m.edges.map((e) => [`${e.from}->${e.to}`, e]));
  assert.deepEqual(Object.keys(edges).sort(), ['api->worker', 'worker->connector-openai', 'worker->webhook']);
  assert.deepEqual(edges['api->worker'], { from: 'api', to: 'worker', calls: 3, errors: 0, errorRate: 0, p95Ms: 790 });
  assert.deepEqual(edges['worker->connector-openai'], { from: 'worker', to: 'connector-openai', calls: 3, errors: 1, errorRate: 0.333333, p95Ms: 290 });
  assert.deepEqual(edges['worker->webhook'], { from: 'worker', to: 'webhook', calls: 3, errors: 0, errorRate: 0, p95Ms: 20 });
  const nodes = Object.fromEntries(m.nodes.map((n) => [n.service, n]));
  assert.deepEqual(Object.keys(nodes).sort(), ['api', 'connector-openai', 'webhook', 'worker']);
  assert.deepEqual([nodes.api!.spans, nodes.worker!.spans, nodes['connector-openai']!.spans, nodes['connector-openai']!.errors], [6, 4, 3, 1]);
  assert.equal(nodes['connector-openai']!.p95Ms, 290);
  // q selects the child spans; the caller is still found, and listed as a node.
  const q = await get<MapAnswer>(`/api/service-map?from=now-1h&q=${encodeURIComponent('service:webhook')}`);
  assert.deepEqual(q.edges.map((e) => [e.from, e.to, e.calls]), [['worker', 'webhook', 3]]);
  assert.deepEqual(q.nodes.map((n) => [n.service, n.spans]), [['webhook', 3], ['worker', 0]]);
  const errs = await get<MapAnswer>(`/api/service-map?q=${encodeURIComponent('status:error')}`);
  assert.deepEqual(errs.edges.map((e) => [e.from, e.to, e.calls, e.errors, e.errorRate]), [['worker', 'connector-openai', 1, 1, 1]]);
  const none = await get<MapAnswer>(`/api/service-map?q=${encodeURIComponent(`name:"x') OR 1=1 --"`)}`);
  assert.deepEqual(none, { ...none, nodes: [], edges: [] });
  const old = await get<MapAnswer>('/api/service-map?from=now-2d&to=now-1d');
  assert.deepEqual([old.nodes, old.edges], [[], []]);
  for (const path of ['/api/service-map?from=now-40d', '/api/service-map?from=now&to=now-1h', '/api/service-map?q=a:(', '/api/service-map?to=soon']) {
    const r = await fetch(t.url + path);
    assert.equal(r.status, 400, path);
  }
});

test('rows written by a stock collector (SPAN_KIND_*, STATUS_CODE_*) read the same', async () => {
  const tr = await get<TraceAnswer>(`/api/traces/${COLLECTOR_TRACE}`);
  assert.equal(tr.errorCount, 1);
  assert.deepEqual(tr.roots.map((r) => [r.kind, r.statusCode, r.children.map((c) => [c.kind, c.statusCode, c.durationMs])]),
    [['Server', 'Unset', [['Client', 'Error', 5]]]]);
  const m = await get<MapAnswer>('/api/service-map?from=now-4h&to=now-2h');
  assert.deepEqual(m.edges, [{ from: 'gateway', to: 'billing', calls: 1, errors: 1, errorRate: 1, p95Ms: 5 }]);
  // The search language reads the enum words with or without their prefix, either way round.
  const inCollectorWindow = '&to=now-2h';
  for (const q of ['kind:SPAN_KIND_CLIENT', 'kind:client', 'status:error', 'status:STATUS_CODE_ERROR', 'kind:client* status:Error']) {
    const rows = await search(q, inCollectorWindow, 'now-4h');
    assert.equal(rows.length, 1, q);
    assert.equal(rows[0]!.statusCode, 'Error', q);
  }
  assert.equal((await search('-status:unset', inCollectorWindow, 'now-4h')).length, 1);
  assert.equal((await search('status:STATUS_CODE_ERROR')).length, (await search('status:error')).length, 'our rows too');
});
