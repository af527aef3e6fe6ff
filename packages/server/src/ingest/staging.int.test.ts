/**
 * The write path's two sources for an insert: rows staged in memory when the
 * request arrived, and the write-ahead log (replay after a restart, after a
 * failed append). Real chdb, real log files.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { encodeRequest, decodeRequest, type ExportLogsServiceRequest } from '@jobscope/otlp';
import { JobscopeError } from '@jobscope/core';
import { migrate, openStore, type Store } from '../store/index.js';
import { tempDir } from '../testkit/temp-dir.js';
import { logRecord, logsRequest } from '../testkit/server.js';
import { IngestWriter } from './writer.js';
import { requestRows } from './request-rows.js';
import type { WalRequest } from './wal-record.js';

const tmp = tempDir('jobscope-staging-');
let store: Store | undefined;
async function sharedStore(): Promise<Store> {
  if (!store) {
    store = openStore({ dataDir: join(tmp.dir, 'clickhouse') });
    await migrate(store);
  }
  return store;
}
// The store first: the embedded engine writes into the directory until it is closed.
after(async () => {
  await store?.close();
  tmp.cleanup();
});

/** A request as the receiver hands it on: its body, and its rows normalized at a fixed receive time. */
function request(jobId: string, n: number, tag = ''): { wal: WalRequest; parts: ReturnType<typeof requestRows>['parts'] } {
  const req: ExportLogsServiceRequest = logsRequest(
    Array.from({ length: n }, (_, i) => logRecord({
      // No time: the receive time is the timestamp, so replay must reuse it.
      timeUnixNano: '0', body: `${tag}step ${i} ${'x'.repeat(400)}`, attrs: { jobId, i, 'emp.machine.id': 'm-1', level: 'warn' },
    })),
    { 'service.name': 'worker', 'service.instance.id': 'm-1-worker-0' },
  );
  const body = Buffer.from(encodeRequest('logs', req, 'protobuf'));
  const wal: WalRequest = { batchId: '', signal: 'logs', encoding: 'protobuf', receivedAtNs: '1764324000123456789', dataset: 'parity', body };
  const parts = requestRows('logs', decodeRequest('logs', body, 'protobuf'), { receivedAtNs: wal.receivedAtNs, defaultDataset: 'parity' }).parts;
  return { wal, parts };
}

async function rowsOf(s: Store, jobId: string): Promise<Record<string, unknown>[]> {
  const rows = await s.query<Record<string, unknown>>(
    'SELECT * EXCEPT (JobId, LogAttributes) FROM otel_logs WHERE JobId = {j:String} ORDER BY Body', { j: jobId });
  assert.ok(rows.length > 0);
  return rows;
}

test('rows replayed from the log are the rows staged on arrival', async () => {
  const s = await sharedStore();
  const a = await IngestWriter.open({ store: s, walDir: join(tmp.dir, 'wal-a') });
  await a.write(request('job-staged', 5).wal, request('job-staged', 5).parts);
  await a.flush();
  assert.equal(a.stats().flushesFromLog, 0, 'staged rows were inserted');
  await a.close();

  const b = await IngestWriter.open({ store: s, walDir: join(tmp.dir, 'wal-b') });
  await b.write(request('job-replayed', 5).wal, request('job-replayed', 5).parts);
  await b.close(0); // acknowledged, not flushed
  const b2 = await IngestWriter.open({ store: s, walDir: join(tmp.dir, 'wal-b') });
  assert.equal(b2.stats().flushesFromLog, 1, 'replayed from the log at open');
  await b2.close();

  const staged = await rowsOf(s, 'job-staged');
  assert.equal(staged.length, 5);
  assert.deepEqual(await rowsOf(s, 'job-replayed'), staged);
  assert.equal(staged[0]!.Dataset, 'parity');
  assert.equal(staged[0]!.MachineId, 'm-1');
  assert.equal(String(staged[0]!.Timestamp).slice(0, 19), '2025-11-28 10:00:00');
});

test('a failed append drops the staged rows: the log is read instead, nothing lost, nothing twice', async () => {
  const s = await sharedStore();
  // A small log: appends fail once 256 KiB wait in it.
  const w = await IngestWriter.open({ store: s, walDir: join(tmp.dir, 'wal-c'), walMaxBytes: 256 * 1024 });
  let accepted = 0;
  let refused = 0;
  const write = async (k: number): Promise<void> => {
    // Each request its own bodies, so a row stored twice would show.
    const r = request('job-full', 20, `${k}:`);
    try {
      await w.write(r.wal, r.parts);
      accepted++;
    } catch (err) {
      assert.ok(err instanceof JobscopeError && err.status === 503, String(err));
      refused++;
    }
  };
  // Concurrent writes share log writes; enough of them to fill the log.
  await Promise.all(Array.from({ length: 40 }, (_, k) => write(k)));
  assert.ok(refused > 0, 'the log filled up');
  assert.ok(accepted > 0);
  await w.flush();
  assert.ok(w.stats().flushesFromLog >= 1, 'after the failure, rows came from the log');
  // The log has room again; new requests are staged again.
  const before = w.stats().flushesFromLog;
  for (let k = 100; k < 105; k++) await write(k);
  await w.flush();
  assert.equal(w.stats().flushesFromLog, before, 'staged again after the failure');
  await w.close();
  const n = await s.query<{ n: number; d: number }>("SELECT count() AS n, uniqExact(Body) AS d FROM otel_logs WHERE JobId = 'job-full'");
  assert.equal(Number(n[0]!.n), accepted * 20, 'every accepted row stored');
  assert.equal(Number(n[0]!.d), accepted * 20, 'none twice');
});


/** The real store, with inserts that fail before reaching it, or after it took them (a lost answer). */
class FlakyStore implements Store {
  failBefore = 0;
  failAfter = 0;
  inserts = 0;
  constructor(readonly inner: Store) {}
  get kind(): Store['kind'] { return this.inner.kind; }
  get location(): string { return this.inner.location; }
  exec(sql: string, params?: Record<string, unknown>): Promise<void> { return this.inner.exec(sql, params); }
  query<T>(sql: string, params?: Record<string, unknown>, opts?: Parameters<Store['query']>[2]): Promise<T[]> { return this.inner.query<T>(sql, params, opts); }
  async insert(table: string, rows: Buffer, opts?: Parameters<Store['insert']>[2]): Promise<void> {
    if (this.failBefore > 0) { this.failBefore--; throw new Error('injected: storage unavailable'); }
    await this.inner.insert(table, rows, opts);
    this.inserts++;
    if (this.failAfter > 0) { this.failAfter--; throw new Error('injected: the answer was lost'); }
  }
  close(): Promise<void> { return Promise.resolve(); }
}

test('a staged insert that fails, or succeeds without an answer, is retried with the same token: stored once', async () => {
  const s = new FlakyStore(await sharedStore());
  const w = await IngestWriter.open({ store: s, walDir: join(tmp.dir, 'wal-d') });
  try {
    await w.write(request('job-flaky-a', 30, 'a:').wal, request('job-flaky-a', 30, 'a:').parts);
    s.failAfter = 1; // the rows go in, the flusher hears an error
    await assert.rejects(w.flush(), /answer was lost/);
    await w.flush(); // the same staged batch again, same range and token: ClickHouse drops the repeat
    assert.equal(s.inserts, 2, 'the rows were sent twice');
    await w.write(request('job-flaky-b', 30, 'b:').wal, request('job-flaky-b', 30, 'b:').parts);
    s.failBefore = 2;
    await assert.rejects(w.flush(), /storage unavailable/);
    await assert.rejects(w.flush(), /storage unavailable/);
    await w.flush();
    assert.equal(w.stats().flushesFromLog, 0, 'every retry used the staged rows');
    assert.equal(w.stats().pendingRecords, 0);
  } finally {
    await w.close();
  }
  for (const job of ['job-flaky-a', 'job-flaky-b']) {
    const n = await s.query<{ n: number }>('SELECT count() AS n FROM otel_logs WHERE JobId = {j:String}', { j: job });
    assert.equal(Number(n[0]!.n), 30, `${job} stored once`);
  }
});
