/**
 * The one small interface both storage modes implement: embedded ClickHouse
 * (chdb, in-process) and a ClickHouse server or cluster (@clickhouse/client).
 * Same schema, same SQL. Every user value travels as a server-side
 * `{name:Type}` parameter; SQL text is built only from trusted fragments.
 */
export type QueryParams = Record<string, unknown>;

export interface QueryOptions {
  signal?: AbortSignal;
  /** Per-query ClickHouse settings (e.g. max_execution_time). */
  settings?: Record<string, string | number>;
}

export interface InsertOptions {
  /**
   * ClickHouse insert_deduplication_token: an insert retried with the same
   * token and the same data is stored once (tables set
   * non_replicated_deduplication_window > 0; dependent materialized views
   * are deduplicated too).
   */
  dedupToken?: string;
}

export interface Store {
  readonly kind: 'embedded' | 'server';
  /** A human-readable location (data directory or URL without credentials). */
  readonly location: string;
  /** A statement with no result rows (DDL, ALTER, …). */
  exec(sql: string, params?: QueryParams): Promise<void>;
  /** A query whose rows come back as objects (JSONEachRow). */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams, opts?: QueryOptions): Promise<T[]>;
  /** Insert a JSONEachRow payload into a table. */
  insert(table: string, jsonEachRow: Buffer, opts?: InsertOptions): Promise<void>;
  close(): Promise<void>;
}

/** Settings applied to every read query: bounded memory, bounded time. */
export const READ_SETTINGS: Readonly<Record<string, string | number>> = {
  max_execution_time: 30,
  max_memory_usage: 2_000_000_000,
  max_bytes_before_external_group_by: 500_000_000,
  max_bytes_before_external_sort: 500_000_000,
  output_format_json_quote_64bit_integers: 0,
};

/** Settings applied to every insert. */
export function insertSettings(opts: InsertOptions | undefined): Record<string, string | number> {
  const s: Record<string, string | number> = {
    deduplicate_blocks_in_dependent_materialized_views: 1,
    input_format_skip_unknown_fields: 1,
    // inserts must not be split into many small blocks: keep a batch whole
    max_insert_block_size: 1_048_576,
  };
  if (opts?.dedupToken) s.insert_deduplication_token = opts.dedupToken;
  return s;
}

/** Parses JSONEachRow text into objects without one giant JSON.parse. */
export function parseJsonEachRow<T>(text: string): T[] {
  const out: T[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) out.push(JSON.parse(text.slice(start, end)) as T);
    start = end + 1;
  }
  return out;
}
