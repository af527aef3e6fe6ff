import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Collector, append, lines, names, setup, sleep, tailer, waitFor } from './helpers.js';

test('JSON lines become fields, plain lines the body; empty lines are skipped', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, [
    '{"msg":"hello","level":"warn","user":"u1","time":"2024-01-02T03:04:05Z"}',
    'plain text\r',
    '',
    '[1,2]',
    '{not json',
    '',
  ].join('\n'));
  const c = new Collector();
  const r = tailer(s, c.consumer);
  await r.start();
  await waitFor(() => c.records().length >= 4, '4 records');
  await sleep(60);
  const recs = c.records();
  assert.equal(recs.length, 4);
  assert.equal(recs[0].body, 'hello');
  assert.equal(recs[0].severityText, 'warn');
  assert.equal(recs[0].attributes.user, 'u1');
  assert.equal(recs[0].timeUnixNano, (BigInt(Date.parse('2024-01-02T03:04:05Z')) * 1_000_000n).toString());
  assert.deepEqual(recs.slice(1).map((x) => x.body), ['plain text', '[1,2]', '{not json']);
  for (const rec of recs) {
    assert.equal(rec.scope, 'jobscope.agent.file_tail');
    assert.deepEqual(rec.resource, { 'log.file.path': path, 'log.file.name': 'app.log' });
    assert.equal(rec.attributes.stream, undefined);
  }
  assert.equal(r.stats().lines, 4);
  assert.equal(r.stats().files, 1);
});

test('PM2 layout: service.name from the path, stream stdout / stderr', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'api-out.log'), 'started\n');
  await writeFile(join(s.dir, 'api-error.log'), '{"msg":"boom","level":"error"}\n');
  await writeFile(join(s.dir, 'other.log'), 'no service\n');
  const c = new Collector();
  await tailer(s, c.consumer).start();
  await waitFor(() => c.records().length >= 3, '3 records');
  const byBody = new Map(c.records().map((x) => [x.body, x]));
  assert.equal(byBody.get('started')?.resource['service.name'], 'api');
  assert.equal(byBody.get('started')?.attributes.stream, 'stdout');
  assert.equal(byBody.get('boom')?.resource['service.name'], 'api');
  assert.equal(byBody.get('boom')?.attributes.stream, 'stderr');
  assert.equal(byBody.get('no service')?.resource['service.name'], undefined);
  assert.equal(byBody.get('no service')?.attributes.stream, undefined);
});

test('a custom pathPattern: other stream values are kept as they are', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'web.access.log'), 'GET /\n');
  const c = new Collector();
  await tailer(s, c.consumer, { pathPattern: '/(?<service>[a-z]+)\\.(?<stream>[a-z]+)\\.log$' }).start();
  await waitFor(() => c.records().length >= 1, 'a record');
  assert.equal(c.records()[0].resource['service.name'], 'web');
  assert.equal(c.records()[0].attributes.stream, 'access');
});

test('lines appended after start are read; an unfinished line waits for its newline', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, '');
  const c = new Collector();
  const r = tailer(s, c.consumer);
  await r.start();
  await append(path, lines('a', 1, 3));
  await waitFor(() => c.records().length >= 3, 'appended lines');
  await append(path, 'half');
  await sleep(150);
  assert.deepEqual(c.bodies(), names('a', 1, 3));
  await append(path, ' and half\n');
  await waitFor(() => c.records().length >= 4, 'the completed line');
  assert.deepEqual(c.bodies(), [...names('a', 1, 3), 'half and half']);
  assert.equal(r.stats().bytes, Buffer.byteLength(lines('a', 1, 3) + 'half and half\n'));
});

test("startAt 'end' skips what the files of the first scan hold; later files are read whole", async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('old', 1, 5) + 'unfinished-');
  const c = new Collector();
  const r = tailer(s, c.consumer, { startAt: 'end' });
  await r.start();
  await append(path, 'line\n' + lines('new', 1, 2));
  await writeFile(join(s.dir, 'later.log'), lines('later', 1, 2));
  await waitFor(() => c.records().length >= 5, 'new lines');
  await sleep(60);
  const bodies = c.bodies();
  assert.deepEqual(bodies.filter((b) => !b.startsWith('later')), ['unfinished-line', ...names('new', 1, 2)]);
  assert.deepEqual(bodies.filter((b) => b.startsWith('later')), names('later', 1, 2));
});

test('a line longer than maxLineBytes is cut at that size, marked and counted', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  const huge = 'y'.repeat(200_000); // spans several 64 KiB chunks
  const accents = 'é'.repeat(200); // 2-byte characters: the cut must not split one
  await writeFile(path, `${'x'.repeat(300)}\nshort\n${huge}\n${accents}\n{"msg":"${'z'.repeat(500)}"}\nlast\n`);
  const c = new Collector();
  const r = tailer(s, c.consumer, { maxLineBytes: 101 });
  await r.start();
  await waitFor(() => c.records().length >= 6, '6 records');
  const recs = c.records();
  assert.equal(recs[0].body, 'x'.repeat(101));
  assert.equal(recs[0].attributes['log.truncated'], true);
  assert.equal(recs[1].body, 'short');
  assert.equal(recs[1].attributes['log.truncated'], undefined);
  assert.equal(recs[2].body, 'y'.repeat(101));
  assert.equal(recs[3].body, 'é'.repeat(50)); // 100 bytes, not 101 with half a character
  assert.equal(String(recs[4].body).length, 101); // cut JSON is text
  assert.equal(recs[5].body, 'last');
  assert.equal(r.stats().truncatedLines, 4);
  assert.equal(r.stats().bytes, (await readFile(path)).length);
});

test('the glob picks up a file created later; exclude leaves files out', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'a.log'), 'a-1\n');
  await writeFile(join(s.dir, 'skip-me.log'), 'never\n');
  const c = new Collector();
  const r = tailer(s, c.consumer, { exclude: [join(s.dir, 'skip-*.log'), '**/*.tmp.log'] });
  await r.start();
  await waitFor(() => c.records().length >= 1, 'a.log');
  await writeFile(join(s.dir, 'b.log'), 'b-1\n');
  await writeFile(join(s.dir, 'c.tmp.log'), 'never\n');
  await writeFile(join(s.dir, 'd.txt'), 'never\n');
  await waitFor(() => c.records().length >= 2, 'b.log');
  await sleep(150);
  assert.deepEqual(c.bodies().sort(), ['a-1', 'b-1']);
  assert.equal(r.stats().files, 2);
});

test('batches respect maxBatchLines and maxBatchBytes, one file per batch', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'a.log'), lines('a', 1, 35));
  await writeFile(join(s.dir, 'b.log'), 'b'.repeat(40) + '\n' + 'b'.repeat(40) + '\n' + 'b'.repeat(40) + '\n');
  const c = new Collector();
  await tailer(s, c.consumer, { maxBatchLines: 10, maxBatchBytes: 100 }).start();
  await waitFor(() => c.records().length >= 38, 'all lines');
  for (const b of c.batches) {
    const rl = (b.request as { resourceLogs: { resource: { attributes: Record<string, unknown> }; scopeLogs: { logRecords: { body: unknown }[] }[] }[] }).resourceLogs;
    assert.equal(rl.length, 1);
    const recs = rl[0].scopeLogs[0].logRecords;
    assert.ok(recs.length <= 10);
    const bytes = recs.reduce((n, x) => n + Buffer.byteLength(String(x.body)), 0);
    assert.ok(bytes <= 100 || recs.length === 1, `batch of ${bytes} bytes`);
    const file = String(rl[0].resource.attributes['log.file.name']);
    assert.ok(recs.every((x) => String(x.body)[0] === file[0]));
  }
  assert.deepEqual(c.bodies().filter((b) => b.startsWith('a-')), names('a', 1, 35));
});

test('files are read fairly: a busy file does not starve a quiet one', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'busy.log'), lines('busy', 1, 3000));
  await writeFile(join(s.dir, 'quiet.log'), 'quiet-1\n');
  const c = new Collector();
  await tailer(s, c.consumer, { maxBatchLines: 50 }).start();
  await waitFor(() => c.records().length >= 3001, 'all lines');
  const idx = c.bodies().indexOf('quiet-1');
  assert.ok(idx >= 0 && idx <= 100, `quiet line delivered at position ${idx}`);
});

test('at most maxOpenFiles are open; every file is still read', async (t) => {
  const s = await setup(t);
  for (let i = 1; i <= 6; i++) await writeFile(join(s.dir, `f${i}.log`), lines(`f${i}`, 1, 3));
  const c = new Collector();
  const r = tailer(s, c.consumer, { maxOpenFiles: 2 });
  let maxFiles = 0;
  const timer = setInterval(() => { maxFiles = Math.max(maxFiles, r.stats().files); }, 2);
  t.after(() => clearInterval(timer));
  await r.start();
  await waitFor(() => c.records().length >= 18, 'lines of all 6 files');
  // a file that was closed to make room continues where it was
  await append(join(s.dir, 'f1.log'), 'f1-4\n');
  await waitFor(() => c.records().length >= 19, 'the line appended to an evicted file');
  clearInterval(timer);
  assert.ok(maxFiles <= 2, `max ${maxFiles} files open`);
  const bodies = c.bodies();
  assert.equal(new Set(bodies).size, bodies.length, 'no line twice');
  assert.ok(bodies.includes('f1-4'));
});
