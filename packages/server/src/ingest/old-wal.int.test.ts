/** An older server's write-ahead log (rendered rows, no request bodies) is replayed by a newer one. Real chdb, real log files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DiskLog } from '@jobscope/pipeline';
import { tempDir } from '../testkit/temp-dir.js';
import { logRecord, logsRequest, startTestServer, count, postLogs } from '../testkit/server.js';
import { toJsonEachRow } from './json-rows.js';

test("a newer server replays an older server's write-ahead log (rendered rows) and remembers its batch ids", async () => {
  const t = tempDir('jobscope-oldwal-');
  try {
    // What a server before request-body records left behind: JSONEachRow per table, then the header.
    const wal = await DiskLog.open({ dir: join(t.dir, 'wal'), maxBytes: 256 * 1024 * 1024, segmentBytes: 128 * 1024 * 1024 });
    const now = (BigInt(Date.now()) * 1_000_000n).toString();
    const rows = Array.from({ length: 3 }, (_, i) => ({ Timestamp: now, TimestampTime: Math.floor(Date.now() / 1000), Body: `old ${i}`, JobId: 'job-old-wal', SeverityText: 'INFO', SeverityNumber: 9 }));
    const data = toJsonEachRow(rows);
    const header = Buffer.from(JSON.stringify({ b: 'old-batch', t: [['otel_logs', data.length, rows.length]] }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    await wal.append(Buffer.concat([data, header, len]));
    await wal.close();
    const srv = await startTestServer({}, t.dir);
    try {
      assert.equal(await count(srv.server, "JobId = 'job-old-wal'"), 3);
      const again = await postLogs(srv.url, logsRequest([logRecord({ attrs: { job_id: 'job-old-wal' } })]), { batchId: 'old-batch' });
      assert.equal(again.status, 200);
      await srv.server.writer.flush();
      assert.equal(await count(srv.server, "JobId = 'job-old-wal'"), 3, 'the batch id of the old log is a duplicate');
    } finally {
      await srv.server.close();
    }
  } finally {
    t.cleanup();
  }
});
