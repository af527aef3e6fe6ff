/** What an exporter reports about its destination (counters since this exporter was created). */

/**
 * idle: waiting for data or forming a batch; sending: first attempt of a
 * batch in flight; retrying: an attempt of the current batch failed (waiting
 * or re-sending); closed: close() was called (or the DiskLog closed).
 */
export type OtlpHttpExporterState = 'idle' | 'sending' | 'retrying' | 'closed';

export interface OtlpHttpExporterStats {
  /** Buffer records delivered (2xx) and acknowledged. */
  sentRecords: number;
  /** Log records / spans / data points in them (from the record headers; partially rejected ones included). */
  sentItems: number;
  /** Request body bytes on the wire (compressed when gzip) of the delivered batches. */
  sentBytes: number;
  /** HTTP requests started (every attempt). */
  requests: number;
  /** Attempts after the first of a batch. */
  retries: number;
  /** Failed attempts: error statuses (permanent ones included), network errors, timeouts. */
  failures: number;
  /** Items the destination rejected in an OTLP partial success (not retried). */
  rejectedItems: number;
  /** Records dropped and acknowledged: permanently refused (400/413/415) or unreadable. */
  droppedRecords: number;
  /** The cursor's records still to deliver. */
  pendingRecords: number;
  /** now − receive time of the oldest record not yet acknowledged (of those read); 0 when caught up. */
  lagMs: number;
  /** The last failure (kept after a later success; see state for the present). */
  lastError: string | null;
  state: OtlpHttpExporterState;
}
