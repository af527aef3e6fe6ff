/** Test helpers for tracing against a real server: the spans of some traces as stored in otel_traces. */
import type { JobscopeServer } from '@jobscope/server';

export interface SpanRow {
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  machine: string;
  run: string;
}

/** Rows of otel_traces whose span attribute `run` is `run` (after the server's writer flushed). */
export async function spanRows(server: JobscopeServer, run: string): Promise<SpanRow[]> {
  await server.writer.flush();
  return server.store.query<SpanRow>(
    "SELECT TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, ResourceAttributes['machine_id'] AS machine, SpanAttributes['run'] AS run FROM otel_traces WHERE SpanAttributes['run'] = {run:String} ORDER BY Timestamp",
    { run },
  );
}
