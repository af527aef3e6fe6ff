/** Garbage in: dropped and counted, never a crash, in both modes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExporter } from './index.js';
import { line, startServer, tempDir } from './testkit/server.js';

const GARBAGE = [
  '', 'not json', '{"a":', '[1,2,3]', '42', '"a string"', 'null', 'true', '{"msg":"x"}}', '\ud800{"broken":', '{"a":1}\n{"b":2}',
  '\u0000\u0001\u0002', 'undefined', "{'single':'quotes'}",
];

for (const mode of ['worker', 'inline'] as const) {
  test(`${mode} mode: invalid lines are dropped and counted, valid ones arrive, the exporter keeps working`, async () => {
    const srv = await startServer();
    const spool = tempDir('sdk-spool-');
    const run = `garbage-${mode}-${Date.now()}`;
    try {
      const sink = createExporter({ mode, endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 20, maxLineLength: 4096 });
      let valid = 0;
      for (let i = 0; i < 200; i++) {
        sink.write(line(run, valid++));
        sink.write(GARBAGE[i % GARBAGE.length]);
      }
      // Odd but valid: nested values, nulls, unicode, numbers as level, no msg.
      sink.write(JSON.stringify({ run, seq: valid++, level: 50, nested: { a: [1, { b: null }], c: 'é€😀' }, n: null }));
      sink.write(JSON.stringify({ run, seq: valid++, msg: { structured: true }, time: 'not a time' }));
      sink.write('x'.repeat(5000)); // longer than maxLineLength
      sink.write(42 as unknown as string);
      sink.write(undefined as unknown as string);
      await sink.flush(5000);
      for (let i = 0; i < 50; i++) sink.write(line(run, valid++));
      await sink.close(5000);
      const s = sink.stats();
      assert.equal(s.droppedMalformed, 200, JSON.stringify(s));
      assert.equal(s.droppedOversize, 3);
      assert.equal(s.dropped, 203);
      assert.equal(s.sent, valid);
      assert.equal(s.lastError, null);
      assert.deepEqual(await srv.rows(run), { total: valid, distinct: valid });
    } finally {
      await srv.close();
      spool.cleanup();
    }
  });
}
