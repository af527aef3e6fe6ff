/**
 * Exporter benchmark: `node packages/sdk/dist/export/bench.js [seconds]`.
 * 1. Caller cost of write() at 5,000 lines/s in worker mode: per call
 *    (hrtime around each call, ~40 ns of it is the clock) and amortized over
 *    each tick of 50 calls.
 * 2. CPU per record, all threads of this process (caller, worker thread,
 *    gzip on the threadpool, HTTP), at 20,000 lines/s, minus the same loop
 *    writing to a no-op sink; the receiver runs in another process.
 * 3. Encoding alone (parse → OTLP → protobuf → gzip) per record, by gzip level.
 * Lines: the issue's ten-field event (job_id … status) plus time/level/msg.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BatchEncoder } from './batch.js';
import { createExporter } from './index.js';
import { resolveOptions } from './options.js';
import type { LineSink } from '../contract.js';

const seconds = Number(process.argv[2] ?? 5);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function event(i: number): string {
  return `{"time":${Date.now()},"level":"info","msg":"Job completed","job_id":"job-${i}","worker_id":"machine-7-worker-2",` +
    `"machine_id":"machine-7","service_type":"comfyui","connector_id":"comfyui-local","event_type":"job_completed",` +
    `"duration_ms":${1000 + (i % 5000)},"model":"sdxl-base-1.0","progress":100,"status":"completed"}`;
}

async function receiver(): Promise<{ url: string; stop(): void }> {
  const code = `const s=require('http').createServer((q,r)=>{q.resume();q.on('end',()=>{r.writeHead(200,{'content-type':'application/x-protobuf'});r.end()})});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
  const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((r) => createInterface({ input: p.stdout }).once('line', r));
  return { url: `http://127.0.0.1:${port}/v1/logs`, stop: () => p.kill() };
}

function pct(a: number[], p: number): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Writes `rate` lines/s for `secs` in 10 ms ticks. perCall: hrtime around
 * each call (the clock and its BigInt are in it); amortized: one clock read
 * per tick of rate/100 calls, so the clock's cost is shared.
 */
async function paced(sink: LineSink, rate: number, secs: number, perCallTiming: boolean): Promise<{ ns: number[]; n: number }> {
  const perTick = Math.round(rate / 100);
  const ns: number[] = [];
  const start = Date.now();
  let n = 0;
  for (let t = 0; t < secs * 100; t++) {
    const lines = Array.from({ length: perTick }, (_, k) => event(n + k));
    if (perCallTiming) {
      for (const l of lines) {
        const c0 = process.hrtime.bigint();
        sink.write(l);
        ns.push(Number(process.hrtime.bigint() - c0));
      }
    } else {
      const t0 = process.hrtime.bigint();
      for (const l of lines) sink.write(l);
      ns.push(Number(process.hrtime.bigint() - t0) / perTick);
    }
    n += perTick;
    await sleep(Math.max(0, start + (t + 1) * 10 - Date.now()));
  }
  return { ns, n };
}

/** CPU µs (user+system, whole process) spent writing at `rate` for `secs`, then flushing. */
async function cpu(sink: LineSink, rate: number, secs: number): Promise<{ us: number; n: number }> {
  const perTick = Math.round(rate / 100);
  const c0 = process.cpuUsage();
  const start = Date.now();
  let n = 0;
  for (let t = 0; t < secs * 100; t++) {
    for (let k = 0; k < perTick; k++) sink.write(event(n++));
    await sleep(Math.max(0, start + (t + 1) * 10 - Date.now()));
  }
  await sink.flush(10_000);
  const c = process.cpuUsage(c0);
  return { us: c.user + c.system, n };
}

async function main(): Promise<void> {
  const rx = await receiver();
  const opts = { endpoint: rx.url, spoolDir: false as const, serviceName: 'bench' };
  try {
    const sink = createExporter(opts);
    const noop: LineSink = { write: () => true, flush: async () => {}, close: async () => {}, stats: () => sink.stats() };
    await sleep(200); // worker start-up
    for (const [name, target] of [['no-op sink (harness)', noop], ['exporter, worker mode', sink]] as const) {
      const c = await paced(target, 5000, seconds, true);
      const a = await paced(target, 5000, seconds, false);
      console.log(`write() at 5,000 lines/s, ${name}: per call p50 ${pct(c.ns, 50)} ns, p99 ${pct(c.ns, 99)} ns, max ${pct(c.ns, 100)} ns; ` +
        `amortized over 50 calls p50 ${pct(a.ns, 50).toFixed(0)} ns, p99 ${pct(a.ns, 99).toFixed(0)} ns`);
    }
    await sink.flush(5000);
    console.log('  stats:', JSON.stringify({ sent: sink.stats().sent, dropped: sink.stats().dropped }));
    await sink.close(5000);

    const base = await cpu(noop, 20_000, seconds);
    for (const gzipLevel of [6, 1]) {
      const s = createExporter({ ...opts, gzipLevel });
      for (let i = 0; i < 5000; i++) s.write(event(i)); // warm up: worker start-up and JIT are not per-record costs
      await s.flush(5000);
      const r = await cpu(s, 20_000, seconds);
      const sent = s.stats().sent - 5000;
      await s.close(5000);
      const per = (r.us - base.us * (r.n / base.n)) / r.n;
      console.log(`CPU per record, all threads, 20,000 lines/s, gzip ${gzipLevel}: ${(per * 1000).toFixed(0)} ns (${r.n} lines, ${sent} sent; no-op baseline ${((base.us / base.n) * 1000).toFixed(0)} ns/line for building the line)`);
    }

    const lines = Array.from({ length: 1024 }, (_, i) => event(i));
    const bytes = lines.reduce((a, l) => a + l.length, 0);
    for (const gzipLevel of [0, 1, 6]) {
      const enc = new BatchEncoder(resolveOptions({ ...opts, gzipLevel }));
      const rounds = 200;
      let size = 0;
      const c0 = process.cpuUsage();
      for (let i = 0; i < rounds; i++) size = (await enc.encode(i, lines, bytes)).batch?.payload.length ?? 0;
      const c = process.cpuUsage(c0);
      console.log(`encode (parse+protobuf${gzipLevel ? `+gzip ${gzipLevel}` : ''}): ${(((c.user + c.system) * 1000) / (rounds * 1024)).toFixed(0)} ns/record, batch of 1024: ${bytes} B of lines → ${size} B`);
    }
  } finally {
    rx.stop();
  }
}

void main();
