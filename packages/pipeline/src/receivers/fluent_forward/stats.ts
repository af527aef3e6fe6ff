/** Counters of the Fluent forward receiver (monotonic except `connections`). */
export interface ForwardReceiverStats {
  /** Connections open now. */
  connections: number;
  /** Protocol messages fully handled (delivered, or holding only skipped events). */
  messages: number;
  /** Log records accepted by `next`. */
  records: number;
  /** { ack } replies written. */
  acks: number;
  /** Connections closed for bad data (not msgpack, wrong shape or types, bad gzip, ended inside a message). */
  malformed: number;
  /** Connections closed for a message beyond maxMessageBytes or entries beyond maxDecompressedBytes. */
  oversize: number;
  /** Times `next` pushed back (JS_OVERLOADED / JS_UNAVAILABLE) and the receiver waited to retry. */
  backpressureWaits: number;
  /** Connections refused because maxConnections were open. */
  refused: number;
  /** Events skipped because their record was not a map. */
  skipped: number;
  /** Handshakes that failed (bad PING or shared key). */
  authFailures: number;
  /** Connections closed because `next` failed with an error other than push-back. */
  consumerErrors: number;
}

export function emptyForwardStats(): ForwardReceiverStats {
  return {
    connections: 0, messages: 0, records: 0, acks: 0, malformed: 0, oversize: 0, backpressureWaits: 0,
    refused: 0, skipped: 0, authFailures: 0, consumerErrors: 0,
  };
}
