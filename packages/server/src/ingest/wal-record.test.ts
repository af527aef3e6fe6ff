import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWalEntry, encodeWalEntry, toJsonEachRow } from './wal-record.js';

test('a WAL record round-trips every table, row count and batch id', () => {
  const logs = [{ Body: 'héllo ✓', JobId: 'j1' }, { Body: 'line\nbreak "quoted"', JobId: 'j2' }];
  const spans = [{ SpanName: 'x'.repeat(5000) }];
  const { record, rows } = encodeWalEntry('batch-7', [{ table: 'otel_logs', rows: logs }, { table: 'otel_traces', rows: spans }]);
  assert.equal(rows, 3);
  const e = decodeWalEntry(record);
  assert.equal(e.batchId, 'batch-7');
  assert.deepEqual(e.parts.map((p) => [p.table, p.rows]), [['otel_logs', 2], ['otel_traces', 1]]);
  assert.deepEqual(e.parts[0]!.data.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l)), logs);
  assert.deepEqual(JSON.parse(e.parts[1]!.data.toString('utf8')), spans[0]);
  assert.deepEqual(e.parts[0]!.data, toJsonEachRow(logs));
});

test('an empty request and a corrupt record are handled', () => {
  const { record } = encodeWalEntry('', []);
  assert.deepEqual(decodeWalEntry(record), { batchId: '', parts: [] });
  assert.throws(() => decodeWalEntry(Buffer.from([1, 2])), /too short/);
  assert.throws(() => decodeWalEntry(Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f])), /bad header length/);
});
