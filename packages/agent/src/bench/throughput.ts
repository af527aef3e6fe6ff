/**
 * Records/s from the sender to the server's acknowledgement, two ways in
 * the same run: straight to the server (OTLP/protobuf, gzip, as an SDK or a
 * Collector sends), and through the agent (JSON arrays to the Fluent Bit
 * HTTP input → processors → disk buffer → OTLP exporter → the same server).
 * Plus the agent alone, delivering to a null destination: its own ceiling.
 */
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { jsonBody, otlpBody } from './records.js';
import { cpuSeconds, metric, rssBytes, startAgent, type Proc } from './procs.js';
import { sendAll } from './send.js';

export const PER_REQUEST = 1000;

export interface PathRun {
  records: number;
  seconds: number;
  /** CPU seconds of the agent process (0 for the direct path). */
  agentCpu: number;
  /** CPU seconds of the server process (0 when the destination is the null sink). */
  serverCpu: number;
  agentPeakRss: number;
}

export function bodies(records: number, kind: 'json' | 'otlp', offset: number): Buffer[] {
  const out: Buffer[] = [];
  for (let first = 0; first < records; first += PER_REQUEST) {
    out.push(kind === 'json' ? jsonBody(offset + first, PER_REQUEST) : gzipSync(otlpBody(offset + first, PER_REQUEST)));
  }
  return out;
}

export async function direct(server: Proc & { url: string }, payload: Buffer[], records: number, round: number): Promise<PathRun> {
  const cpu0 = cpuSeconds(server.pid);
  const t0 = performance.now();
  await sendAll(`${server.url}/v1/logs`, payload, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, 4, `bench-direct-${round}`);
  const seconds = (performance.now() - t0) / 1000;
  return { records, seconds, agentCpu: 0, serverCpu: cpuSeconds(server.pid) - cpu0, agentPeakRss: 0 };
}

/**
 * Waits until the server is idle (under 5 % of a core over 500 ms, at most
 * 60 s): its flusher and merges from the previous path must not be billed to
 * the next one.
 */
export async function settle(pid: number): Promise<void> {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const c0 = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 500));
    if (cpuSeconds(pid) - c0 < 0.025) return;
  }
}

export async function viaAgent(destination: string, serverPid: number | null, payload: Buffer[], records: number, dir: string): Promise<PathRun> {
  const agent = await startAgent(['--server', destination, '--buffer', join(dir, 'buffer'), '--http-port', '0', '--otlp-port', 'off',
    '--forward-port', 'off', '--health-port', '0']);
  try {
    const health = agent.addresses.health as string;
    let peak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, rssBytes(agent.pid)); }, 100);
    const a0 = cpuSeconds(agent.pid);
    const s0 = serverPid ? cpuSeconds(serverPid) : 0;
    const t0 = performance.now();
    await sendAll(`http://${agent.addresses.http}/bench`, payload, { 'content-type': 'application/json' }, 4);
    for (;;) {
      if (await metric(health, 'jobscope_agent_records_out_total') >= records) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    return {
      records, seconds, agentCpu: cpuSeconds(agent.pid) - a0, serverCpu: serverPid ? cpuSeconds(serverPid) - s0 : 0, agentPeakRss: peak,
    };
  } finally {
    await agent.stop();
  }
}
