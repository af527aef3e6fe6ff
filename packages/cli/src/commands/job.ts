import { clientOptions, getJson } from '../client.js';
import { CliError, parse, type Command } from '../command.js';
import { safe } from '../format.js';
import { formatDuration } from '../waterfall.js';

const USAGE = `Usage: jobscope job JOB_ID [options]

Shows what happened to a job: its state and its whole timeline (lifecycle
events, logs and spans from every process it touched), in time order.

Options:
  --json          the API's answer as JSON
  --server URL    Jobscope server (default http://127.0.0.1:4318, env JOBSCOPE_URL)
  --token TOKEN   bearer token (env JOBSCOPE_TOKEN)
`;

interface TimelineItem {
  kind: string; timestamp: string; level?: string; message?: string; event_type?: string; name?: string; service?: string;
  durationMs?: number; duration_ms?: number; status?: string; machine_id?: string; worker_id?: string;
}
interface JobAnswer { job: Record<string, unknown> | null; traceIds?: string[]; timeline: TimelineItem[] }

export const jobCommand: Command = {
  summary: "show a job's state and timeline: what happened to job X, and why",
  async run(argv) {
    const p = parse(argv, { json: { type: 'boolean' }, server: { type: 'string' }, token: { type: 'string' } } as const, USAGE);
    if (!p) return 0;
    const id = p.positionals[0];
    if (!id) throw new CliError(`a job id is required\n\n${USAGE}`);
    const o = clientOptions(p.values);
    const a = await getJson<JobAnswer>(o, `/api/jobs/${encodeURIComponent(id)}`);
    if (p.values.json) {
      process.stdout.write(JSON.stringify(a, null, 2) + '\n');
      return 0;
    }
    const j = a.job ?? {};
    const traces = (a.traceIds ?? []).map(safe);
    const f = (k: string): string => (j[k] === null || j[k] === undefined || j[k] === '' ? '-' : safe(String(j[k])));
    process.stdout.write([
      `job ${safe(id)}: ${f('status')}`,
      `  service ${f('service_type')}  model ${f('model')}  machine ${f('machine_id')}  worker ${f('worker_id')}`,
      `  attempts ${f('attempts')}  queue wait ${f('queue_wait_ms')} ms  duration ${f('duration_ms')} ms  error ${f('error_type')}`,
      traces.length > 0 ? `  traces ${traces.join(', ')}  (waterfall: jobscope trace ID)` : `  trace ${f('trace_id')}`,
      '',
    ].join('\n') + '\n');
    for (const t of a.timeline) {
      const what = t.kind === 'span'
        ? `span ${t.service ? `${safe(t.service)}: ` : ''}${safe(t.name ?? '')} (${formatDuration(t.durationMs ?? t.duration_ms ?? 0)})${t.status === 'Error' ? ' ERROR' : ''}`
        : `${(t.level ?? '').toUpperCase()} ${t.event_type ? `${t.event_type} ` : ''}${safe(t.message ?? '')}`;
      process.stdout.write(`${t.timestamp} ${[t.machine_id, t.worker_id].filter(Boolean).join('/')} ${what}\n`);
    }
    return 0;
  },
};
