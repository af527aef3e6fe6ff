import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNK_BYTES, LineReader, completeUtf8Length, type Line, type ReadSource } from '../line-reader.js';

/** An in-memory file that can grow. */
class MemFile implements ReadSource {
  data = Buffer.alloc(0);
  reads = 0;
  append(s: string | Buffer): void {
    this.data = Buffer.concat([this.data, typeof s === 'string' ? Buffer.from(s) : s]);
  }
  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    this.reads++;
    const n = Math.max(0, Math.min(length, this.data.length - position));
    this.data.copy(buffer, offset, position, position + n);
    return { bytesRead: n };
  }
}

async function readAll(r: LineReader, f: MemFile, maxLines = 1000, maxBytes = 1 << 20): Promise<Line[]> {
  const out: Line[] = [];
  for (;;) {
    const res = await r.read(f, f.data.length, maxLines, maxBytes);
    out.push(...res.lines);
    if (res.lines.length === 0) return out;
  }
}

test('lines across chunk boundaries, with the offset after each', async () => {
  const f = new MemFile();
  const want: string[] = [];
  let seed = 7;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  for (let i = 0; i < 400; i++) {
    const line = `${i}:` + 'abcdefghij'.repeat(rnd(120));
    want.push(line);
    f.append(line + '\n');
  }
  assert.ok(f.data.length > 3 * CHUNK_BYTES);
  const r = new LineReader(0, 1 << 20);
  const got = await readAll(r, f, 37);
  assert.deepEqual(got.map((l) => l.text), want);
  let end = 0;
  for (const l of got) {
    end += Buffer.byteLength(l.text) + 1;
    assert.equal(l.end, end);
    assert.equal(l.truncated, false);
  }
  assert.equal(r.lineStart, f.data.length);
});

test('an unfinished line is completed by a later read; \\r\\n is stripped', async () => {
  const f = new MemFile();
  const r = new LineReader(0, 100);
  f.append('one\r\ntw');
  let res = await r.read(f, f.data.length, 10, 1000);
  assert.deepEqual(res.lines.map((l) => l.text), ['one']);
  assert.equal(res.eof, true);
  assert.equal(r.lineStart, 5);
  assert.equal(r.pendingBytes, 2);
  f.append('o\r');
  res = await r.read(f, f.data.length, 10, 1000);
  assert.deepEqual(res.lines, []);
  f.append('\n');
  res = await r.read(f, f.data.length, 10, 1000);
  assert.deepEqual(res.lines.map((l) => [l.text, l.end]), [['two', 10]]);
  f.append('rest');
  await r.read(f, f.data.length, 10, 1000);
  const rest = r.takeRest();
  assert.deepEqual(rest && [rest.text, rest.end, rest.truncated], ['rest', 14, false]);
  assert.equal(r.takeRest(), null);
});

test('maxLines and maxBytes bound a batch, yet one long line still goes alone', async () => {
  const f = new MemFile();
  f.append('aaaa\nbbbb\ncccc\n' + 'd'.repeat(50) + '\neeee\n');
  const r = new LineReader(0, 1000);
  const sizes: string[][] = [];
  for (;;) {
    const res = await r.read(f, f.data.length, 2, 10);
    if (res.lines.length === 0) break;
    sizes.push(res.lines.map((l) => l.text[0]));
  }
  assert.deepEqual(sizes, [['a', 'b'], ['c'], ['d'], ['e']]);
});

test('over-long lines are cut at maxLineBytes on a character boundary', async () => {
  const f = new MemFile();
  f.append('x'.repeat(10) + '\n' + 'x'.repeat(11) + '\n' + 'x'.repeat(10) + '\r\n' + '€'.repeat(4) + '\n');
  f.append('y'.repeat(3 * CHUNK_BYTES) + '\nok\n');
  const r = new LineReader(0, 10);
  const got = await readAll(r, f);
  assert.deepEqual(got.map((l) => [l.text, l.truncated]), [
    ['x'.repeat(10), false],
    ['x'.repeat(10), true],
    ['x'.repeat(10), false], // only the \r was beyond the limit
    ['€€€', true], // 9 bytes: a 4th € would need 12
    ['y'.repeat(10), true],
    ['ok', false],
  ]);
  assert.equal(got[4].end, f.data.length - 3);
});

test('reset starts over at an offset', async () => {
  const f = new MemFile();
  f.append('a\nb\nhalf');
  const r = new LineReader(0, 100);
  await readAll(r, f);
  r.reset(2);
  assert.deepEqual((await readAll(r, f)).map((l) => l.text), ['b']);
  assert.equal(r.pendingBytes, 4);
});

test('completeUtf8Length', () => {
  const b = Buffer.from('a€'); // 61 e2 82 ac
  assert.equal(completeUtf8Length(b), 4);
  assert.equal(completeUtf8Length(b.subarray(0, 3)), 1);
  assert.equal(completeUtf8Length(b.subarray(0, 2)), 1);
  assert.equal(completeUtf8Length(Buffer.from([0x80, 0x80])), 2);
  assert.equal(completeUtf8Length(Buffer.alloc(0)), 0);
});
