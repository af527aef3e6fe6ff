/**
 * Summarizes a V8 CPU profile (.cpuprofile, as written by --cpu-prof or the
 * inspector): self time per function and per area (our packages, Fastify,
 * Node internals, GC, idle), so the hot spots of the ingest path are visible
 * without opening DevTools. Only the main JS thread is sampled: chdb's own
 * threads and libuv's pool do not appear here.
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface HotFunction { name: string; where: string; area: string; selfMs: number; share: number }
export interface ProfileSummary {
  totalMs: number;
  /** Sampled time the main thread was busy (not idle). */
  busyMs: number;
  areas: { area: string; selfMs: number; share: number }[];
  top: HotFunction[];
  /** Top functions of our own packages. */
  ours: HotFunction[];
}

/** Where a script lives: `packages/<pkg>/…` for ours, the npm package for dependencies. */
function place(url: string): { area: string; where: string } {
  const ours = /packages\/([a-z-]+)\/(?:dist|src)\/(.+)$/.exec(url);
  if (ours) return { area: `@jobscope/${ours[1]}`, where: `packages/${ours[1]}/src/${ours[2]!.replace(/\.js$/, '.ts')}` };
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(url);
  if (dep) return { area: dep[1]!, where: `${dep[1]}/${dep[2]}` };
  if (url.startsWith('node:')) return { area: 'node internals', where: url };
  return { area: url === '' ? 'native / VM' : 'other', where: url };
}

const SPECIAL = new Map([['(idle)', 'idle'], ['(garbage collector)', 'GC'], ['(program)', 'native / VM'], ['(root)', 'native / VM']]);

export function summarizeProfile(file: string, topN = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const fns = new Map<string, HotFunction>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    const ms = us / 1000;
    total += ms;
    const special = SPECIAL.get(f.functionName);
    if (special === 'idle') { idle += ms; continue; }
    const { area, where } = special ? { area: special, where: '' } : place(f.url);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const name = f.functionName || '(anonymous)';
    const key = `${name}|${where}|${f.lineNumber}`;
    const h = fns.get(key) ?? { name, where: where ? `${where}:${f.lineNumber + 1}` : '', area, selfMs: 0, share: 0 };
    h.selfMs += ms;
    fns.set(key, h);
  }
  const busy = total - idle;
  const all = [...fns.values()].map((h) => ({ ...h, share: h.selfMs / busy })).sort((a, b) => b.selfMs - a.selfMs);
  return {
    totalMs: total,
    busyMs: busy,
    areas: [...areas.entries()].map(([area, ms]) => ({ area, selfMs: ms, share: ms / busy })).sort((a, b) => b.selfMs - a.selfMs),
    top: all.slice(0, topN),
    ours: all.filter((h) => h.area.startsWith('@jobscope/')).slice(0, topN),
  };
}
