import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWalEntry, encodeWalRequest, type WalRequest } from './wal-record.js';
import { JsonRows, toJsonEachRow } from './json-rows.js';

test('a WAL record keeps the request body and everything replay needs to render the same rows', () => {
  const req: WalRequest = {
    batchId: 'batch-7', signal: 'traces', encoding: 'protobuf', receivedAtNs: '1764324000123456789', dataset: 'staging',
    body: Buffer.from([0x0a, 0x00, 0xff, 0x10, 0x80]),
  };
  const e = decodeWalEntry(encodeWalRequest(req));
  assert.deepEqual(e, { kind: 'request', ...req });
  const { dataset: _, ...noDataset } = req;
  assert.deepEqual(decodeWalEntry(encodeWalRequest({ ...noDataset, batchId: '' })), { kind: 'request', ...noDataset, batchId: '' });
});

/** The record format of servers before request bodies were logged: JSONEachRow per table, then the header. */
function olderRecord(batchId: string, parts: { table: string; rows: object[] }[]): Buffer {
  const t = parts.map((p) => [p.table, toJsonEachRow(p.rows).length, p.rows.length]);
  const header = Buffer.from(JSON.stringify({ b: batchId, t }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  return Buffer.concat([...parts.map((p) => toJsonEachRow(p.rows)), header, len]);
}

test("an older server's record (rendered rows) is still read", () => {
  const logs = [{ Body: 'héllo ✓', JobId: 'j1' }, { Body: 'line\nbreak "quoted"', JobId: 'j2' }];
  const spans = [{ SpanName: 'x'.repeat(5000) }];
  const e = decodeWalEntry(olderRecord('batch-7', [{ table: 'otel_logs', rows: logs }, { table: 'otel_traces', rows: spans }]));
  assert.equal(e.kind, 'rows');
  if (e.kind !== 'rows') return;
  assert.equal(e.batchId, 'batch-7');
  assert.deepEqual(e.parts.map((p) => [p.table, p.rows]), [['otel_logs', 2], ['otel_traces', 1]]);
  assert.deepEqual(e.parts[0]!.data.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l)), logs);
  assert.deepEqual(JSON.parse(e.parts[1]!.data.toString('utf8')), spans[0]);
  assert.deepEqual(decodeWalEntry(olderRecord('', [])), { kind: 'rows', batchId: '', parts: [] });
});

test('corrupt records are refused with a reason', () => {
  assert.throws(() => decodeWalEntry(Buffer.from([1, 2])), /too short/);
  assert.throws(() => decodeWalEntry(Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f])), /bad header length/);
  const bad = encodeWalRequest({ batchId: '', signal: 'logs', encoding: 'json', receivedAtNs: '1', body: Buffer.from('{}') });
  const h = Buffer.from(bad.subarray(2, bad.length - 4).toString().replace('"logs"', '"blobs"'));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(h.length);
  assert.throws(() => decodeWalEntry(Buffer.concat([Buffer.from('{}'), h, len])), /unknown header/);
});

test('JsonRows: rows never split across chunks, joined once, bytes and rows counted', () => {
  const rows = Array.from({ length: 300 }, (_, i) => ({ i, s: 'é'.repeat(i % 7 === 0 ? 3000 : 20) }));
  const out = new JsonRows(4096);
  let bytes = 0;
  bytes += out.add(rows.slice(0, 100));
  out.addRendered(toJsonEachRow(rows.slice(100, 200)), 100);
  bytes += out.add(rows.slice(200));
  const joined = out.toBuffer();
  assert.equal(out.rows, 300);
  assert.equal(out.bytes, joined.length);
  assert.equal(bytes + toJsonEachRow(rows.slice(100, 200)).length, joined.length);
  assert.deepEqual(joined.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l)), rows);
  assert.equal(out.toBuffer(), joined, 'the same buffer on a retry');
  assert.equal(new JsonRows().toBuffer().length, 0);
});
