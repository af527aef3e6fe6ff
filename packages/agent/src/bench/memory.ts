/**
 * The agent's memory while 1 GiB waits on disk: the destination is down,
 * records stream into the HTTP input until the buffer holds 1 GiB; RSS is
 * sampled throughout, after filling, and after a restart on the full buffer
 * (opening must not read the buffer into memory).
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { jsonBody } from './records.js';
import { metric, rssBytes, startAgent } from './procs.js';
import { PER_REQUEST } from './throughput.js';

export interface MemoryRun {
  bufferBytes: number;
  fillSeconds: number;
  peakRssFilling: number;
  rssFull: number;
  peakRssRestart: number;
  refused: number;
}

async function closedPort(): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

export async function memoryWhileBuffered(dir: string, targetBytes: number): Promise<MemoryRun> {
  const port = await closedPort();
  const args = ['--server', `http://127.0.0.1:${port}`, '--buffer', join(dir, 'mem-buffer'), '--buffer-max-bytes', String(Math.ceil(targetBytes * 1.25)),
    '--http-port', '0', '--otlp-port', 'off', '--forward-port', 'off', '--health-port', '0'];
  const agent = await startAgent(args);
  const health = agent.addresses.health as string;
  let peak = 0;
  const sample = (): void => { peak = Math.max(peak, rssBytes(agent.pid)); };
  const sampler = setInterval(sample, 100);
  // 16 distinct bodies, reused: the sender's own cost stays small
  const payload = Array.from({ length: 16 }, (_, k) => jsonBody(k * PER_REQUEST, PER_REQUEST));
  const t0 = performance.now();
  let bytes = 0;
  let i = 0;
  const url = `http://${agent.addresses.http}/bench`;
  const senders = Array.from({ length: 4 }, async () => {
    while (bytes < targetBytes) {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload[i++ % payload.length] });
      await r.arrayBuffer();
      if (r.status !== 201) throw new Error(`agent answered ${r.status} while filling`);
      if (i % 64 === 0) bytes = await metric(health, 'jobscope_agent_buffer_bytes');
    }
  });
  await Promise.all(senders);
  const fillSeconds = (performance.now() - t0) / 1000;
  const bufferBytes = await metric(health, 'jobscope_agent_buffer_bytes');
  const refused = await metric(health, 'jobscope_agent_refused_total');
  const peakFilling = peak;
  await new Promise((r) => setTimeout(r, 3000));
  const rssFull = rssBytes(agent.pid);
  clearInterval(sampler);
  await agent.stop();

  const again = await startAgent(args);
  let peakRestart = 0;
  const s2 = setInterval(() => { peakRestart = Math.max(peakRestart, rssBytes(again.pid)); }, 50);
  await new Promise((r) => setTimeout(r, 5000));
  clearInterval(s2);
  await again.stop();
  return { bufferBytes, fillSeconds, peakRssFilling: peakFilling, rssFull, peakRssRestart: peakRestart, refused };
}
