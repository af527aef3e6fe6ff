/**
 * Model-based test: random sequences of append / read / ack / rewind /
 * reopen (clean or abandoned, as after SIGKILL) against an in-memory model
 * of what each cursor must see. Small segments make roll-over and deletion
 * frequent.
 */
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DiskLog } from '../disk-log.js';
import type { DiskLogCursor } from '../cursor.js';
import { parseSegmentFileName } from '../format.js';
import { openLog, tempDir } from './helpers.js';

const CURSORS = ['a', 'b'] as const;
type Name = (typeof CURSORS)[number];
const SEGMENT_BYTES = 300;

interface Model {
  records: Buffer[]; // records[seq - 1]
  acked: Record<Name, number>;
  readThrough: Record<Name, number>;
}

interface Real {
  dir: string;
  log: DiskLog;
  /** Logs left open by a simulated crash; closed (released) when the run ends. */
  abandoned: DiskLog[];
  cursors: Record<Name, DiskLogCursor>;
}

function body(seq: number, size: number): Buffer {
  const b = Buffer.alloc(size, seq % 251);
  if (size >= 4) b.writeUInt32LE(seq, 0);
  return b;
}

async function openCursors(log: DiskLog): Promise<Record<Name, DiskLogCursor>> {
  return { a: await log.cursor('a'), b: await log.cursor('b') };
}

async function checkInvariants(m: Model, r: Real): Promise<void> {
  assert.equal(r.log.lastSeq, m.records.length);
  const minAcked = Math.min(m.acked.a, m.acked.b);
  const firsts = (await readdir(r.dir)).map(parseSegmentFileName).filter((s): s is number => s !== null);
  assert.ok(Math.min(...firsts) <= minAcked + 1, 'a segment with unacked records was deleted');
  for (const n of CURSORS) assert.equal(r.log.stats().cursors[n].acked, m.acked[n]);
}

class AppendCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly sizes: number[]) {}
  check(): boolean { return true; }
  async run(m: Model, r: Real): Promise<void> {
    const first = m.records.length + 1;
    const bufs = this.sizes.map((s, k) => body(first + k, s));
    const last = await r.log.append(bufs.length === 1 ? bufs[0] : bufs);
    m.records.push(...bufs);
    assert.equal(last, m.records.length);
    await checkInvariants(m, r);
  }
  toString(): string { return `append(${this.sizes.join(',')})`; }
}

class ReadCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly name: Name, readonly maxRecords: number, readonly maxBytes: number) {}
  check(): boolean { return true; }
  async run(m: Model, r: Real): Promise<void> {
    const got = await r.cursors[this.name].read(this.maxRecords, this.maxBytes);
    const want: { seq: number; payload: Buffer }[] = [];
    let bytes = 0;
    for (let seq = m.readThrough[this.name] + 1; seq <= m.records.length && want.length < this.maxRecords; seq++) {
      const p = m.records[seq - 1];
      if (want.length > 0 && (bytes >= this.maxBytes || bytes + p.length > this.maxBytes)) break;
      want.push({ seq, payload: p });
      bytes += p.length;
    }
    assert.deepEqual(got.map((x) => x.seq), want.map((x) => x.seq));
    for (let i = 0; i < got.length; i++) assert.ok(got[i].payload.equals(want[i].payload), `payload of ${got[i].seq}`);
    if (want.length > 0) m.readThrough[this.name] = want[want.length - 1].seq;
  }
  toString(): string { return `read(${this.name}, ${this.maxRecords}, ${this.maxBytes})`; }
}

class AckCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly name: Name, readonly fraction: number) {}
  check(m: Model): boolean { return m.readThrough[this.name] > m.acked[this.name]; }
  async run(m: Model, r: Real): Promise<void> {
    const from = m.acked[this.name];
    const seq = from + Math.max(1, Math.round(this.fraction * (m.readThrough[this.name] - from)));
    await r.cursors[this.name].ack(seq);
    m.acked[this.name] = seq;
    await checkInvariants(m, r);
  }
  toString(): string { return `ack(${this.name}, ${this.fraction.toFixed(2)})`; }
}

class RewindCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly name: Name) {}
  check(): boolean { return true; }
  async run(m: Model, r: Real): Promise<void> {
    r.cursors[this.name].rewind();
    m.readThrough[this.name] = m.acked[this.name];
  }
  toString(): string { return `rewind(${this.name})`; }
}

class ReopenCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly clean: boolean) {}
  check(): boolean { return true; }
  async run(m: Model, r: Real): Promise<void> {
    if (this.clean) await r.log.close();
    else r.abandoned.push(r.log); // as after SIGKILL: whatever reached the files is all there is
    r.log = await openLog(r.dir, { segmentBytes: SEGMENT_BYTES });
    r.cursors = await openCursors(r.log);
    for (const n of CURSORS) m.readThrough[n] = m.acked[n];
    await checkInvariants(m, r);
  }
  toString(): string { return this.clean ? 'reopen' : 'crash+reopen'; }
}

const commands = [
  fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 6 }).map((s) => new AppendCmd(s)),
  fc.tuple(fc.constantFrom(...CURSORS), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 400 }))
    .map(([n, r, b]) => new ReadCmd(n, r, b)),
  fc.tuple(fc.constantFrom(...CURSORS), fc.double({ min: 0, max: 1, noNaN: true })).map(([n, f]) => new AckCmd(n, f)),
  fc.constantFrom(...CURSORS).map((n) => new RewindCmd(n)),
  fc.boolean().map((c) => new ReopenCmd(c)),
];

test('disk log behaves like its in-memory model', async (t) => {
  const root = await tempDir(t);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 100, size: 'large' }), async (cmds) => {
      const dir = `${root}/${run++}`;
      const log = await openLog(dir, { segmentBytes: SEGMENT_BYTES });
      const real: Real = { dir, log, abandoned: [], cursors: await openCursors(log) };
      const model: Model = { records: [], acked: { a: 0, b: 0 }, readThrough: { a: 0, b: 0 } };
      try {
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      } finally {
        await real.log.close().catch(() => {});
        for (const l of real.abandoned) await l.close().catch(() => {});
        await rm(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 150 },
  );
});
