/**
 * The agent's memory while 1 GiB waits on disk: the destination is down,
 * records stream into the HTTP input as fast as four senders can until the
 * buffer holds 1 GiB (a bench shortcut: the peak of that burst follows the
 * ingest rate). Then the agent restarts on the full buffer (opening must not
 * read it into memory) and, with the backlog waiting, records keep arriving
 * at a steady 10,000/s for 20 s — what a fleet does while its server is
 * down. RSS is sampled every 100 ms throughout.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { jsonBody } from './records.js';
import { metric, rssBytes, startAgent } from './procs.js';
import { PER_REQUEST } from './throughput.js';

export interface MemoryRun {
  bufferBytes: number;
  fillSeconds: number;
  /** While filling as fast as 4 senders can (informational: a function of the ingest rate, not of the backlog). */
  peakRssFilling: number;
  /** Ingest rate of the steady phase, records/s, and its length. */
  steadyRate: number;
  steadySeconds: number;
  /** While the full buffer waits and records keep arriving at steadyRate. */
  peakRssSteady: number;
  rssSteadyEnd: number;
  peakRssRestart: number;
  refused: number;
}

export const STEADY_RATE = 10_000;

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
  clearInterval(sampler);
  await agent.stop();

  // The same agent restarted on the full buffer: the first 5 s (opening must not read the buffer into
  // memory), then the fleet keeps sending at a steady rate while the backlog waits.
  const again = await startAgent(args);
  let peakRestart = 0;
  let peakSteady = 0;
  let steady = false;
  const s2 = setInterval(() => {
    const rss = rssBytes(again.pid);
    if (steady) peakSteady = Math.max(peakSteady, rss);
    else peakRestart = Math.max(peakRestart, rss);
  }, 100);
  await new Promise((r) => setTimeout(r, 5000));
  steady = true;
  const steadySeconds = 20;
  const perSecond = STEADY_RATE / PER_REQUEST;
  const url2 = `http://${again.addresses.http}/bench`;
  const t1 = performance.now();
  for (let k = 0; k < steadySeconds * perSecond; k++) {
    const wait = t1 + (k * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const r = await fetch(url2, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload[i++ % payload.length] });
    await r.arrayBuffer();
    if (r.status !== 201) throw new Error(`agent answered ${r.status} in the steady phase`);
  }
  const rssSteadyEnd = rssBytes(again.pid);
  clearInterval(s2);
  await again.stop();
  return {
    bufferBytes, fillSeconds, peakRssFilling: peakFilling, steadyRate: STEADY_RATE, steadySeconds, peakRssSteady: peakSteady, rssSteadyEnd,
    peakRssRestart: peakRestart, refused,
  };
}
