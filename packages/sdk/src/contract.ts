/**
 * The contract between the SDK's producers (ConnectorLogger, the Winston and
 * pino transports) and its exporter core.
 *
 * A record crosses it as ONE JSON line in pino's shape, built on the
 * caller's thread with as little work as possible (cached prefixes, no
 * per-call objects where avoidable):
 *
 *   {"time":1764324000123.456,"level":"info","msg":"Job completed","job_id":"job-1","event_type":"job_completed",…}
 *
 * - `time`: unix epoch milliseconds (a number; fractions allowed);
 * - `level`: trace|debug|info|warn|error|fatal (pino's numbers 10–60 are accepted too);
 * - `msg` (or `message`): the message;
 * - every other key is an attribute, with the canonical names of the mission
 *   brief (`job_id`, `machine_id`, `worker_id`, `service_type`, `connector_id`,
 *   `event_type`, `duration_ms`, `trace_id`, `span_id`, …). Values may be
 *   strings, numbers, booleans, arrays or objects.
 *
 * The exporter core turns lines into OTLP log records off the caller's
 * thread, batches, sends, retries, spools to disk and replays.
 */

export interface ExporterStats {
  /** Lines taken by write(). */
  accepted: number;
  /** Records acknowledged by the server (or agent). */
  sent: number;
  /** Send attempts that failed and were retried. */
  retried: number;
  /** Records written to the disk spool. */
  spooled: number;
  /** Records read back from the spool and sent. */
  replayed: number;
  /** Records lost: only when the spool's bound is hit (or a record is malformed). */
  dropped: number;
  batchesSent: number;
  breaker: 'closed' | 'open' | 'half-open';
  /** Bytes waiting in memory. */
  queueBytes: number;
  /** Bytes in the disk spool. */
  spoolBytes: number;
}

export interface LineSink {
  /**
   * Takes one JSON line. Never throws, never blocks the event loop. Returns
   * false when the in-memory queue is full (the line then goes to the spool,
   * or is dropped and counted when the spool is full too).
   */
  write(line: string): boolean;
  /** Sends (or spools) everything written so far; resolves by the deadline at the latest. */
  flush(timeoutMs?: number): Promise<void>;
  /** flush, then stop; what could not be sent by the deadline is spooled. */
  close(timeoutMs?: number): Promise<void>;
  stats(): ExporterStats;
}
