/**
 * The disk buffer's bound and its two policies, end to end: the real
 * `jobscope agent` process with a tiny buffer (256 KiB, so 64 KiB segments),
 * its destination down (a closed port), real senders, and then a real
 * server started on that port.
 *
 * - backpressure (default): the HTTP input answers 429 + Retry-After, the
 *   forward input (fluent-logger with acks) gets no ack, the tail pauses;
 *   once the server is up the buffer drains, the ack arrives, the tail
 *   resumes, and every acknowledged record and every tailed line is stored
 *   once; nothing is dropped.
 * - drop_oldest: every request is acknowledged, the oldest segments are
 *   deleted and counted (buffer records = requests here), the buffer stays
 *   within its bound, and the server receives the newest requests, once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fluent from 'fluent-logger';
import { startTestServer, type TestServer } from '@jobscope/server/testkit';
import { freePort, startAgentProcess, waitFor, type AgentProcess } from '../testing/agent-process.js';

const MAX_BYTES = 256 * 1024;

const portOf = (a: string | undefined): number => Number(a!.split(':').pop());

interface Rec { message: string; job_id: string; rec: string; req?: string }

async function post(http: string, tag: string, records: Rec[]): Promise<{ status: number; retryAfter: string | null; body: string }> {
  const r = await fetch(`http://${http}/${tag}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records),
  });
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() };
}

async function metricsText(agent: AgentProcess): Promise<string> {
  const r = await fetch(`http://${agent.addresses.health}/metrics`);
  assert.equal(r.status, 200);
  return await r.text();
}

/** The value of one sample (`name` or `name{labels}`) in Prometheus text; throws when absent. */
function metric(text: string, sample: string): number {
  const esc = sample.replace(/[{}"\\.[\]()*+?^$|]/g, '\\$&');
  const m = new RegExp(`^${esc} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`metric ${sample} not found in:\n${text}`);
  return Number(m[1]);
}

interface Health {
  status: string;
  problems: string[];
  exporters: Record<string, { pendingRecords: number; state: string; sentItems: number; lastError: string | null }>;
  receivers: {
    forward?: { backpressureWaits: number; acks: number; records: number };
    tail?: { lines: number; backpressureWaits: number };
  };
}

async function health(agent: AgentProcess): Promise<Health> {
  return await (await fetch(`http://${agent.addresses.health}/healthz`)).json() as Health;
}

/**
 * Waits until the server destination is done: nothing pending and the exporter idle (its counters are updated
 * after the ack, so /metrics is final only then), and check() holds. The error shows the agent's state.
 */
async function waitForDelivery(agent: AgentProcess, check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  let last: Health | null = null;
  try {
    await waitFor(async () => {
      last = await health(agent);
      const e = last.exporters.server;
      return e !== undefined && e.pendingRecords === 0 && e.state === 'idle' && e.sentItems > 0 && (await check());
    }, timeoutMs, what);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nlast /healthz: ${JSON.stringify(last)}\nagent output: ${agent.output()}`);
  }
}

/** rec → number of rows at the server for that job. */
async function storedRecs(server: TestServer, job: string): Promise<Map<string, number>> {
  const rows = await server.server.store.query<{ rec: string; n: number }>(
    "SELECT LogAttributes['rec'] AS rec, count() AS n FROM otel_logs WHERE JobId = {j:String} GROUP BY rec",
    { j: job },
  );
  return new Map(rows.map((r) => [r.rec, Number(r.n)]));
}

test('backpressure: 429 + Retry-After, no forward ack, tail paused; all acknowledged data stored once after the server is up',
  { timeout: 60_000 }, async () => {
    const JOB = 'job-buffer-full-backpressure';
    const dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-full-bp-'));
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const file = join(logs, 'bp-out.log');
    const tailLine = (k: number): string => JSON.stringify({ msg: `tail ${k} ${'t'.repeat(200)}`, level: 'info', job_id: JOB, rec: `tail-${k}` }) + '\n';
    for (let k = 0; k < 5; k++) appendFileSync(file, tailLine(k));

    const port = await freePort();
    const agent = await startAgentProcess([
      '--server', `http://127.0.0.1:${port}`, '--buffer', join(dir, 'buf'), '--buffer-max-bytes', '256KiB',
      '--http-port', '0', '--otlp-port', 'off', '--forward-port', '0', '--health-port', '0',
      '--tail', join(logs, '*.log'), '--quiet',
    ]);
    let server: TestServer | null = null;
    let sender: { end(): void } | null = null;
    try {
      assert.ok(agent.addresses.http && agent.addresses.forward && agent.addresses.health, `addresses on the ready line: ${agent.output()}`);
      // The tail works while there is room.
      await waitFor(async () => (await health(agent)).receivers.tail?.lines === 5, 10_000, 'the first 5 tailed lines in the buffer');

      // Fill the buffer over HTTP: large requests until 429, then smaller ones until even a 1-record request is refused,
      // so that whatever the forward and tail inputs offer next cannot fit either.
      const acked: string[] = [];
      const abandoned: string[] = []; // refused and never sent again: must not be stored
      let refusedLast: Rec[] | null = null;
      let n = 0;
      for (const size of [40, 10, 3, 1]) {
        for (;;) {
          assert.ok(n < 500, 'the buffer never filled');
          const req = n++;
          const recs: Rec[] = Array.from({ length: size }, (_, j) => ({ message: `http ${req}-${j} ${'h'.repeat(200)}`, job_id: JOB, rec: `http-${req}-${j}` }));
          const r = await post(agent.addresses.http!, 'full.bp', recs);
          if (r.status === 201) {
            acked.push(...recs.map((x) => x.rec));
            continue;
          }
          assert.equal(r.status, 429, `a full buffer is push-back, not an error: ${r.status} ${r.body}`);
          assert.ok(r.retryAfter !== null && Number(r.retryAfter) >= 1, `429 carries Retry-After (got ${r.retryAfter})`);
          assert.equal((JSON.parse(r.body) as { code: string }).code, 'JS_OVERLOADED');
          if (size === 1) refusedLast = recs;
          else abandoned.push(...recs.map((x) => x.rec));
          break;
        }
      }
      assert.ok(acked.length > 0 && refusedLast);
      const full = await metricsText(agent);
      assert.ok(metric(full, 'jobscope_agent_refused_total') >= 4, 'each 429 counted as refused');
      assert.equal(metric(full, 'jobscope_agent_buffer_max_bytes'), MAX_BYTES);
      const bytes = metric(full, 'jobscope_agent_buffer_bytes');
      assert.ok(bytes <= MAX_BYTES && bytes > 0.9 * MAX_BYTES, `the buffer is full and within its bound: ${bytes}`);
      const hFull = await health(agent);
      assert.equal(hFull.status, 'degraded');
      assert.ok(hFull.problems.some((p) => /disk buffer \d+ % full/.test(p)), `healthz names the full buffer: ${JSON.stringify(hFull.problems)}`);

      // Forward (fluent-logger, waiting for acks): the message is taken off the wire but not acked while full.
      const s = fluent.createFluentSender('fwd', {
        host: '127.0.0.1', port: portOf(agent.addresses.forward), requireAckResponse: true, ackResponseTimeout: 120_000, timeout: 60_000,
        internalLogger: { info: () => {}, error: () => {} },
      });
      sender = s as unknown as { end(): void };
      let ack: 'pending' | 'acked' | Error = 'pending';
      s.emit('full', { message: `forward while full ${'f'.repeat(2048)}`, job_id: JOB, rec: 'forward-0' }, (err?: Error) => { ack = err ?? 'acked'; });

      // Tail: lines written while full are not read past (the tail pauses, its offset stays).
      for (let k = 5; k < 25; k++) appendFileSync(file, tailLine(k));

      await waitFor(async () => {
        const h = await health(agent);
        return (h.receivers.forward?.backpressureWaits ?? 0) >= 2 && (h.receivers.tail?.backpressureWaits ?? 0) >= 2;
      }, 15_000, 'forward and tail pushed back twice each');
      const hPaused = await health(agent);
      assert.equal(ack, 'pending', 'no forward ack while the buffer is full');
      assert.equal(hPaused.receivers.forward?.acks, 0);
      assert.equal(hPaused.receivers.forward?.records, 0);
      assert.equal(hPaused.receivers.tail?.lines, 5, 'the tail paused: the new lines are not taken');
      const paused = await metricsText(agent);
      assert.ok(metric(paused, 'jobscope_agent_buffer_bytes') <= MAX_BYTES);
      assert.equal(metric(paused, 'jobscope_agent_records_dropped_total{reason="buffer_full"}'), 0);
      assert.equal(metric(paused, 'jobscope_agent_records_in_total{receiver="forward"}'), 0);

      // The destination comes up: the buffer drains, the ack arrives, the tail resumes.
      server = await startTestServer({ port });
      const srv = server;
      await waitFor(() => ack !== 'pending', 40_000, 'the forward ack after the drain');
      assert.equal(ack, 'acked', `forward ack: ${String(ack)}`);
      await waitFor(async () => (await health(agent)).receivers.tail?.lines === 25, 20_000, 'the tail resumed (25 lines)');
      // The sender that got 429 retries its request: now accepted.
      await waitFor(async () => (await post(agent.addresses.http!, 'full.bp', refusedLast!)).status === 201, 20_000, 'the refused request accepted');
      acked.push(...refusedLast.map((x) => x.rec));

      const expected = new Set([...acked, 'forward-0', ...Array.from({ length: 25 }, (_, k) => `tail-${k}`)]);
      await waitForDelivery(agent, async () => (await storedRecs(srv, JOB)).size >= expected.size, 30_000, `${expected.size} records at the server`);
      const end = await metricsText(agent);
      const stored = await storedRecs(srv, JOB);
      const missing = [...expected].filter((r) => !stored.has(r));
      const twice = [...stored].filter(([, c]) => c !== 1);
      const extra = [...stored.keys()].filter((r) => !expected.has(r));
      assert.deepEqual(missing, [], 'every acknowledged record and tailed line is stored');
      assert.deepEqual(twice, [], 'none stored twice');
      assert.deepEqual(extra, [], 'nothing that was refused (and not resent) is stored');
      assert.ok(abandoned.length > 0 && abandoned.every((r) => !stored.has(r)));

      assert.equal(metric(end, 'jobscope_agent_records_dropped_total{reason="buffer_full"}'), 0, 'backpressure drops nothing');
      assert.ok(metric(end, 'jobscope_agent_refused_total') > 0);
      assert.equal(metric(end, 'jobscope_agent_records_in_total{receiver="http"}'), acked.length);
      assert.equal(metric(end, 'jobscope_agent_records_in_total{receiver="forward"}'), 1);
      assert.equal(metric(end, 'jobscope_agent_records_in_total{receiver="tail"}'), 25);
      assert.equal(metric(end, 'jobscope_agent_records_out_total{exporter="server"}'), expected.size);
    } finally {
      sender?.end();
      await agent.stop();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('drop_oldest: every request acknowledged, the oldest dropped and counted, the newest stored once', { timeout: 60_000 }, async (ctx) => {
  const JOB = 'job-buffer-full-drop';
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-full-drop-'));
  const port = await freePort();
  const agent = await startAgentProcess([
    '--server', `http://127.0.0.1:${port}`, '--buffer', join(dir, 'buf'), '--buffer-max-bytes', '256KiB', '--on-full', 'drop_oldest',
    '--http-port', '0', '--otlp-port', 'off', '--forward-port', 'off', '--health-port', '0', '--quiet',
  ]);
  let server: TestServer | null = null;
  try {
    // One request = one buffer record (the unit of the buffer_full counter); 10 log records of ~1 KiB each.
    const REQUESTS = 80;
    const PER = 10;
    let maxSeen = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const recs: Rec[] = Array.from({ length: PER }, (_, j) => ({ message: `drop ${i}-${j} ${'d'.repeat(1000)}`, job_id: JOB, rec: `${i}-${j}`, req: String(i) }));
      const r = await post(agent.addresses.http!, 'full.drop', recs);
      assert.equal(r.status, 201, `drop_oldest never pushes back: request ${i} got ${r.status} ${r.body}`);
      const t = await metricsText(agent);
      const b = metric(t, 'jobscope_agent_buffer_bytes');
      maxSeen = Math.max(maxSeen, b);
      assert.ok(b <= metric(t, 'jobscope_agent_buffer_max_bytes'), `buffer bytes ${b} within the bound after request ${i}`);
    }
    const before = await metricsText(agent);
    const dropped = metric(before, 'jobscope_agent_records_dropped_total{reason="buffer_full"}');
    assert.ok(dropped > 0, 'the oldest data was dropped and counted');
    assert.ok(dropped < REQUESTS);
    assert.equal(metric(before, 'jobscope_agent_refused_total'), 0);
    assert.equal(metric(before, 'jobscope_agent_records_in_total{receiver="http"}'), REQUESTS * PER);
    assert.ok(maxSeen > 0.5 * MAX_BYTES, `the buffer did fill (${maxSeen})`);

    server = await startTestServer({ port });
    const srv = server;
    // Everything left is delivered, and the server has stored what the agent reports as sent.
    const rowsAtServer = async (): Promise<number> => Number((await srv.server.store.query<{ n: number }>(
      'SELECT count() AS n FROM otel_logs WHERE JobId = {j:String}', { j: JOB }))[0]!.n);
    await waitForDelivery(agent, async () => (await rowsAtServer()) === (await health(agent)).exporters.server!.sentItems, 40_000,
      'the buffer delivered (rows at the server = items sent)');
    const end = await metricsText(agent);
    const out = metric(end, 'jobscope_agent_records_out_total{exporter="server"}');
    assert.equal(await rowsAtServer(), out);
    const rows = await srv.server.store.query<{ req: string; n: number; d: number }>(
      "SELECT LogAttributes['req'] AS req, count() AS n, uniqExact(LogAttributes['rec']) AS d FROM otel_logs WHERE JobId = {j:String} GROUP BY req",
      { j: JOB },
    );
    const storedReqs = rows.map((r) => Number(r.req)).sort((a, b) => a - b);
    for (const r of rows) {
      assert.equal(Number(r.n), PER, `request ${r.req} stored whole and once (${r.n} rows)`);
      assert.equal(Number(r.d), PER);
    }
    const endDropped = metric(end, 'jobscope_agent_records_dropped_total{reason="buffer_full"}');
    assert.equal(endDropped, dropped, 'nothing more dropped once the server is up');
    assert.equal(out, storedReqs.length * PER, 'records_out matches what the server stored');
    // The newest data arrives: the last requests sent are all stored.
    for (let i = REQUESTS - 5; i < REQUESTS; i++) assert.ok(storedReqs.includes(i), `request ${i} (among the newest) is stored`);
    // No request vanishes uncounted: each is stored or counted as dropped.
    assert.ok(storedReqs.length + dropped >= REQUESTS, `stored ${storedReqs.length} + dropped ${dropped} >= sent ${REQUESTS}`);
    // Exact accounting: what is counted as dropped is not delivered, and what is delivered is the newest
    // suffix (an exporter batch waiting in memory whose start was dropped is forgotten and re-read).
    assert.equal(storedReqs.length + dropped, REQUESTS, `stored ${storedReqs.length} + dropped ${dropped} = sent ${REQUESTS} (stored: ${storedReqs.join(',')})`);
    assert.deepEqual(storedReqs, Array.from({ length: storedReqs.length }, (_, k) => REQUESTS - storedReqs.length + k), 'the stored requests are the newest ones');
  } finally {
    await agent.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
