/** A LineSink that keeps lines in memory, for tests and benchmarks. */
import type { ExporterStats, LineSink } from '../contract.js';

export class MemorySink implements LineSink {
  readonly lines: string[] = [];

  write(line: string): boolean {
    this.lines.push(line);
    return true;
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  stats(): ExporterStats {
    return {
      accepted: this.lines.length, sent: this.lines.length, retried: 0, spooled: 0, replayed: 0, dropped: 0,
      batchesSent: 0, breaker: 'closed', queueBytes: 0, spoolBytes: 0,
    };
  }

  /** Every line parsed (a line that is not one JSON object fails the test). */
  records(): Array<Record<string, unknown>> {
    return this.lines.map((l) => {
      if (l.includes('\n')) throw new Error(`not one line: ${l}`);
      return JSON.parse(l) as Record<string, unknown>;
    });
  }

  last(): Record<string, unknown> {
    const r = this.records();
    return r[r.length - 1];
  }

  clear(): void {
    this.lines.length = 0;
  }
}
