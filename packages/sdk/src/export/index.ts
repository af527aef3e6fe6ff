/**
 * The SDK's exporter core: ships JSON log lines (contract.ts) to a Jobscope
 * agent or server over OTLP/HTTP, and is never the reason a worker slows
 * down, blocks or crashes.
 *
 * Design (pino's hot path + the OpenTelemetry Collector's exporterhelper):
 *
 *   write(line) ──► shared ring (SharedArrayBuffer, Atomics) ──► worker thread:
 *     parse → OTLP records (record.ts) → batch by count/bytes/age → protobuf
 *     (official ProtobufLogsSerializer) → gzip (batch.ts) → queue.ts:
 *     memory queue ─┬─► sender.ts: breaker( retry( timeout( POST ) ) )  (layers.ts, http.ts)
 *                   └─► disk spool (DiskLog, spool.ts) ──► replay in order
 *
 * - write() costs one UTF-8 copy into the ring, an atomic store and an
 *   atomic load (a notify only when the worker sleeps idle); it never
 *   throws, never waits, and returns false when the line could not go into
 *   the ring (it then waits in a bounded overflow list, or is dropped).
 * - mode 'inline' runs the same pipeline on the caller's thread (no worker;
 *   no exit-time spooling: await close(), or use installShutdownHooks).
 * - Counters: stats() (shared memory, a plain read); registerExporterMetrics
 *   exposes them as OpenTelemetry instruments.
 * - Spans take the same pipeline inline, with their own encoder
 *   (BatchEncoding: tracing/init/span-encoder.ts) and URL (signal 'traces').
 *
 * Delivery guarantee: at-least-once to the server, exactly-once in storage.
 * Every batch has an id (`x-jobscope-batch-id`, `<stream>-<n>`) kept across
 * retries, spooling and replays (also by the next process using the same
 * spool directory); the server stores a batch id once. A batch leaves the
 * exporter only when the server answered 2xx, or refused it for good.
 * What survives a crash: the spool (SIGKILL loses what was only in memory);
 * SIGTERM/SIGINT/beforeExit with installShutdownHooks, or process 'exit' in
 * worker mode, spool what could not be sent by the deadline.
 *
 * Bounds (all configurable, see options.ts): ring 4 MiB + overflow 1 MiB
 * on the caller's side; on the worker, the open batch (1 MiB) + batches
 * encoding or being spooled (≤ maxQueueBytes, 8 MiB) + the memory queue
 * (≤ maxQueueBytes); disk: maxSpoolBytes (256 MiB). The spool directory
 * defaults to `<tmpdir>/jobscope-spool/<service.name>/<slot>` (the first
 * slot no live process holds, so a restarted worker finds its leftovers).
 *
 * Where batches go: the memory queue while the breaker is closed and the
 * queue has room; otherwise (breaker open or half-open, queue full, a
 * flush/close deadline) the spool, which then takes everything until the
 * sender has replayed it: order is kept. Retry: exponential backoff with
 * full jitter within retry.maxElapsedMs, Retry-After honoured (429/503);
 * after `breaker.failures` failed cycles the breaker opens for
 * halfOpenAfterMs. A failed batch is never given up: it is retried later.
 *
 * Drop policy (every drop counted in stats().dropped and one reason):
 * - the spool is at maxSpoolBytes: the new batch is dropped (droppedSpoolFull)
 *   — the only drop of valid data while the spool works and the worker
 *   keeps up;
 * - the server refused it for good: 400/413/415 or an OTLP partial success
 *   (droppedRejected);
 * - the line is not a JSON object (droppedMalformed), longer than
 *   maxLineLength or not a string (droppedOversize), written after close
 *   (droppedClosed);
 * - the worker cannot keep up: ring and overflow full (droppedQueueFull);
 * - no spool (disabled or unopenable) and memory full or the close deadline
 *   passed (droppedNoSpool); a spool write failed (droppedSpoolError).
 */
export { createExporter, type Exporter } from './create.js';
export { installShutdownHooks, type ShutdownHookOptions } from './shutdown.js';
export type { ExporterOptions } from './options.js';
export type { ExporterStatsDetail } from './stats.js';
export { registerExporterMetrics } from './metrics.js';
