/**
 * A ClickHouse server or cluster through the official @clickhouse/client.
 * Deliberately thin: the same SQL and schema as the embedded store.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { JobscopeError } from '@jobscope/core';
import {
  insertSettings, READ_SETTINGS,
  type InsertOptions, type QueryOptions, type QueryParams, type Store,
} from './store.js';

export class ClickHouseStore implements Store {
  readonly kind = 'server' as const;
  readonly location: string;
  #client: ClickHouseClient;

  constructor(url: string) {
    const u = new URL(url);
    const database = u.pathname.replace(/^\//, '') || 'default';
    this.location = `${u.protocol}//${u.host}/${database}`;
    this.#client = createClient({
      url: `${u.protocol}//${u.host}`,
      username: decodeURIComponent(u.username) || 'default',
      password: decodeURIComponent(u.password),
      database,
      request_timeout: 60_000,
    });
  }

  async exec(sql: string, params?: QueryParams): Promise<void> {
    await wrap(this.#client.command({ query: sql, query_params: params }));
  }

  async query<T>(sql: string, params: QueryParams = {}, opts: QueryOptions = {}): Promise<T[]> {
    const rs = await wrap(this.#client.query({
      query: sql, query_params: params, format: 'JSONEachRow',
      clickhouse_settings: { ...READ_SETTINGS, ...opts.settings } as Record<string, never>,
      abort_signal: opts.signal,
    }));
    return (await rs.json()) as T[];
  }

  async insert(table: string, payload: Buffer, opts?: InsertOptions): Promise<void> {
    if (payload.length === 0) return;
    // The client streams raw bytes when given a Readable of the payload.
    const { Readable } = await import('node:stream');
    await wrap(this.#client.insert({
      table, values: Readable.from([payload]), format: 'JSONEachRow',
      clickhouse_settings: insertSettings(opts) as Record<string, never>,
    }));
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

async function wrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw new JobscopeError('JS_STORAGE', (err as Error).message, { cause: err });
  }
}
