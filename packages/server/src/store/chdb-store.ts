/**
 * Embedded ClickHouse through chdb. One writer session and a small pool of
 * reader sessions on the same data directory run in parallel (a session runs
 * one operation at a time, so a query would wait behind an insert, and the
 * job page's queries would wait behind each other). Only the async API is
 * used: the event loop keeps serving while the engine works.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Session } from 'chdb';
import { JobscopeError } from '@jobscope/core';
import {
  insertSettings, parseJsonEachRow, READ_SETTINGS,
  type InsertOptions, type QueryOptions, type QueryParams, type Store,
} from './store.js';

export interface ChdbStoreOptions {
  dataDir: string;
  /** Engine-wide memory cap in bytes (--max_server_memory_usage). */
  maxServerMemoryBytes?: number;
  /** Reader sessions, i.e. queries that run at once (default 3). */
  readers?: number;
}

interface Reader { session: Session; busy: number }

export class ChdbStore implements Store {
  readonly kind = 'embedded' as const;
  readonly location: string;
  #writer: Session;
  #readers: Reader[];
  #closed = false;

  private constructor(location: string, writer: Session, readers: Session[]) {
    this.location = location;
    this.#writer = writer;
    this.#readers = readers.map((session) => ({ session, busy: 0 }));
  }

  static open(opts: ChdbStoreOptions): ChdbStore {
    const dir = resolve(opts.dataDir);
    mkdirSync(dir, { recursive: true });
    const args = [`--max_server_memory_usage=${opts.maxServerMemoryBytes ?? 4_000_000_000}`];
    try {
      const writer = new Session(dir, { connectionArgs: args });
      const readers = Array.from({ length: Math.max(1, opts.readers ?? 3) }, () => new Session(dir, { connectionArgs: args }));
      return new ChdbStore(dir, writer, readers);
    } catch (err) {
      throw new JobscopeError('JS_STORAGE', `cannot open the embedded ClickHouse data directory ${dir}: ${(err as Error).message} (is another Jobscope server using it?)`, { cause: err });
    }
  }

  async exec(sql: string, params?: QueryParams): Promise<void> {
    this.#check();
    await wrap(params ? this.#writer.queryBindAsync(sql, params) : this.#writer.queryAsync(sql));
  }

  async query<T>(sql: string, params: QueryParams = {}, opts: QueryOptions = {}): Promise<T[]> {
    this.#check();
    const settings = { ...READ_SETTINGS, ...opts.settings };
    const text = `${sql}\nSETTINGS ${Object.entries(settings).map(([k, v]) => `${k}=${typeof v === 'number' ? v : `'${v}'`}`).join(', ')}`;
    // The least busy reader takes the query.
    const r = this.#readers.reduce((a, b) => (b.busy < a.busy ? b : a));
    r.busy++;
    try {
      const res = await wrap(r.session.queryBindAsync(text, params, { format: 'JSONEachRow', signal: opts.signal }));
      return parseJsonEachRow<T>(res.text());
    } finally {
      r.busy--;
    }
  }

  async insert(table: string, payload: Buffer, opts?: InsertOptions): Promise<void> {
    this.#check();
    if (payload.length === 0) return;
    await wrap(this.#writer.insert({ table, values: payload, format: 'JSONEachRow', settings: insertSettings(opts) }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const r of this.#readers) r.session.close();
    this.#writer.close();
  }

  #check(): void {
    if (this.#closed) throw new JobscopeError('JS_UNAVAILABLE', 'the store is closed');
  }
}

async function wrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof JobscopeError) throw err;
    throw new JobscopeError('JS_STORAGE', (err as Error).message, { cause: err });
  }
}
