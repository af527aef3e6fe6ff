/** The pipeline (inline mode) with a scripted transport: ids, drops by policy, partial success, flush/close semantics. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Batch } from './batch.js';
import { PermanentError, TransientError } from './errors.js';
import { InlineSink } from './inline-sink.js';
import type { Send } from './layers.js';
import { resolveOptions, type ExporterOptions } from './options.js';
import { line, tempDir } from './testkit/server.js';

function sink(post: Send, o: ExporterOptions = {}): InlineSink {
  return new InlineSink(resolveOptions({ mode: 'inline', spoolDir: false, maxBatchDelayMs: 10, env: {}, ...o }), post);
}

test('batches are cut by count, carry stable ids, and a retried batch keeps its id', async () => {
  const seen: string[] = [];
  let n = 0;
  const s = sink(async (b: Batch) => {
    seen.push(b.id);
    if (n++ === 0) throw new TransientError('first attempt fails');
    return { rejected: 0 };
  }, { maxBatchRecords: 10, retry: { initialDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 1000 } });
  for (let i = 0; i < 30; i++) s.write(line('ids', i));
  await s.close(2000);
  assert.equal(seen.length, 4);
  assert.equal(seen[0], seen[1], 'the retry reuses the id');
  assert.equal(new Set(seen).size, 3);
  assert.match(seen[0], /^[0-9a-f]{16}-1$/);
  assert.equal(s.stats().sent, 30);
  assert.equal(s.stats().retried, 1);
});

test('a permanent refusal drops the batch and counts it; an OTLP partial success counts the rejected records', async () => {
  let n = 0;
  const s = sink(async () => {
    n++;
    if (n === 1) throw new PermanentError('HTTP 400');
    return { rejected: n === 2 ? 3 : 0 };
  }, { maxBatchRecords: 10 });
  for (let i = 0; i < 30; i++) s.write(line('perm', i));
  await s.close(2000);
  const st = s.stats();
  assert.equal(st.droppedRejected, 13);
  assert.equal(st.dropped, 13);
  assert.equal(st.sent, 17);
  assert.match(st.lastError ?? '', /dropped: HTTP 400/);
});

test('without a spool, close at its deadline counts what could not be sent; close never throws or hangs', async () => {
  const s = sink(async () => { throw new TransientError('down'); }, { retry: { initialDelayMs: 5, maxDelayMs: 10, maxElapsedMs: 20 } });
  for (let i = 0; i < 5; i++) s.write(line('nospool', i));
  const start = Date.now();
  await s.close(300);
  assert.ok(Date.now() - start < 1500, `close took ${Date.now() - start} ms`);
  assert.equal(s.stats().droppedNoSpool, 5);
  assert.equal(s.write(line('nospool', 5)), false);
  assert.equal(s.stats().droppedClosed, 1);
});

test('flush by its deadline spools what is not sent yet; the spool holds it for the next run', async () => {
  const dir = tempDir('sdk-pipe-');
  try {
    const s = sink(() => new Promise(() => {}), { spoolDir: dir.dir, timeoutMs: 60_000 }); // hangs forever
    for (let i = 0; i < 50; i++) s.write(line('flush', i));
    const start = Date.now();
    await s.flush(500);
    assert.ok(Date.now() - start < 1000);
    assert.equal(s.stats().spooled, 50);
    await s.close(200);
    const sent: number[] = [];
    const next = sink(async (b) => { sent.push(b.records); return { rejected: 0 }; }, { spoolDir: dir.dir });
    await new Promise((r) => setTimeout(r, 300));
    await next.close(1000);
    assert.equal(next.stats().replayed, 50);
  } finally {
    dir.cleanup();
  }
});
