/** Test helpers for the transports: a sink that keeps lines, and the rows a run left in otel_logs. */
import type { ExporterStats, LineSink } from '../contract.js';
import type { TestServer } from '../export/testkit/server.js';

export class MemorySink implements LineSink {
  lines: string[] = [];
  accept = true;
  flushed = 0;
  closed = 0;
  write(line: string): boolean {
    this.lines.push(line);
    return this.accept;
  }
  async flush(): Promise<void> {
    this.flushed++;
  }
  async close(): Promise<void> {
    this.closed++;
  }
  stats(): ExporterStats {
    return { accepted: this.lines.length, sent: 0, retried: 0, spooled: 0, replayed: 0, dropped: 0, batchesSent: 0, breaker: 'closed', queueBytes: 0, spoolBytes: 0 };
  }
}

export interface Row {
  SeverityText: string;
  SeverityNumber: number;
  Body: string;
  JobId: string;
  EventType: string;
  MachineId: string;
  WorkerId: string;
  ServiceType: string;
  ServiceName: string;
  Timestamp: string;
  LogAttributes: Record<string, string>;
}

/** The rows of one run (attribute `run`), in `seq` order. */
export async function runRows(srv: TestServer, run: string): Promise<Row[]> {
  await srv.server.writer.flush();
  return srv.server.store.query<Row>(
    `SELECT SeverityText, SeverityNumber, Body, JobId, EventType, MachineId, WorkerId, ServiceType, ServiceName,
            toString(Timestamp) AS Timestamp, LogAttributes
     FROM otel_logs WHERE LogAttributes['run'] = {run:String}
     ORDER BY toUInt64OrZero(LogAttributes['seq'])`,
    { run },
  );
}
