/**
 * The receiver of the benchmark: a minimal OTLP/HTTP sink in a process of
 * its own that reads each request and answers 200 with an empty
 * ExportLogsServiceResponse. Its CPU is not counted (it stands for the
 * Jobscope server or agent, which is measured by the server's benchmark);
 * being another process, it does not compete with the measured worker's
 * event loop. Counts requests, for the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const CODE = `
const http = require('node:http');
let requests = 0, bytes = 0;
const s = http.createServer((q, r) => {
  q.on('data', (c) => { bytes += c.length; });
  q.on('end', () => { requests++; r.writeHead(200, { 'content-type': 'application/x-protobuf' }); r.end(); });
});
s.keepAliveTimeout = 60000;
s.listen(Number(process.argv[1]), '127.0.0.1', () => console.log(s.address().port));
process.on('SIGTERM', () => { console.log(JSON.stringify({ requests, bytes })); process.exit(0); });
`;

export interface Sink {
  url: string;
  port: number;
  /** Stops the sink; resolves with what it received. */
  stop(): Promise<{ requests: number; bytes: number }>;
}

export async function startSink(port = 0): Promise<Sink> {
  const p: ChildProcess = spawn(process.execPath, ['-e', CODE, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: p.stdout as NodeJS.ReadableStream });
  const it = lines[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new Error(`benchmark sink did not start on port ${port}`);
  const actual = Number(first.value);
  return {
    url: `http://127.0.0.1:${actual}/v1/logs`,
    port: actual,
    async stop() {
      const exited = new Promise<void>((r) => p.once('exit', () => r()));
      p.kill('SIGTERM');
      const last = await it.next();
      await exited;
      try {
        return JSON.parse(String(last.value)) as { requests: number; bytes: number };
      } catch {
        return { requests: 0, bytes: 0 };
      }
    },
  };
}
