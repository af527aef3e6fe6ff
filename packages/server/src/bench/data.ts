/**
 * Deterministic job-log data for the benchmark: OTLP log requests from a
 * small fleet (machines × workers × service types), jobs of ~10 records
 * (lifecycle events and log lines), messages drawn from a few dozen
 * templates with variables. The same options always yield the same rows,
 * so separate processes can generate identical data without shipping it.
 *
 * Exactly `RARE_TOKEN_ROWS` records (for totals ≥ that) carry RARE_TOKEN in
 * their message; nothing else does.
 */
import type { AnyValue, Attributes, ExportLogsServiceRequest, LogRecord } from '@jobscope/otlp';

export const RARE_TOKEN = 'zqxcanary';
export const RARE_TOKEN_ROWS = 10;

export interface DataOptions {
  /** Log records to produce. */
  total: number;
  /** Unix ms of the first record; records spread evenly over spanMs. */
  startMs: number;
  spanMs: number;
  seed?: number;
  /** Records per request: uniform in [min, max]. */
  minPerRequest?: number;
  maxPerRequest?: number;
}

export interface GeneratedRequest {
  req: ExportLogsServiceRequest;
  records: number;
}

const MACHINES = 8;
const WORKERS_PER_MACHINE = 4;
const SERVICE_TYPES = ['comfyui', 'a1111', 'ollama', 'openai', 'replicate'] as const;
const MODELS: Record<string, readonly string[]> = {
  comfyui: ['sdxl-base-1.0', 'flux-dev', 'sd15-dreamshaper'],
  a1111: ['sd15-realistic', 'sdxl-turbo'],
  ollama: ['llama3.1:8b', 'qwen2.5:14b', 'mistral:7b'],
  openai: ['gpt-4o', 'gpt-4o-mini', 'dall-e-3'],
  replicate: ['flux-schnell', 'sdxl-lightning'],
};
const QUEUES = ['default', 'priority', 'batch', 'free-tier'];
const SAMPLERS = ['euler_a', 'dpmpp_2m', 'ddim', 'lcm'];
const HOSTS = ['cdn.example.com', 'storage.googleapis.com', 's3.us-east-1.amazonaws.com'];

/** Id of the n-th job (0-based), stable across runs. */
export function jobId(n: number): string {
  const h = (Math.imul(n + 1, 2654435761) >>> 0).toString(16).padStart(8, '0');
  return `job-${h}-${n}`;
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const SEVERITY: Record<Level, number> = { DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17 };

interface Worker { resource: Attributes; serviceType: string; connector: string }

function fleet(): Worker[] {
  const out: Worker[] = [];
  for (let m = 0; m < MACHINES; m++) {
    for (let w = 0; w < WORKERS_PER_MACHINE; w++) {
      const serviceType = SERVICE_TYPES[(m * WORKERS_PER_MACHINE + w) % SERVICE_TYPES.length]!;
      const connector = `${serviceType}-conn-${m % 2}`;
      out.push({
        serviceType, connector,
        resource: {
          'service.name': 'emp-worker', machine_id: `machine-${String(m).padStart(2, '0')}`,
          worker_id: `worker-${m}-${w}`, service_type: serviceType, connector_id: connector,
        },
      });
    }
  }
  return out;
}

/**
 * Yields requests until `total` records. Each request comes from one worker
 * (one resource) and holds whole or partial jobs of that worker.
 */
export function* generateRequests(o: DataOptions): Generator<GeneratedRequest> {
  const rand = rng(o.seed ?? 42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const workers = fleet();
  const minR = o.minPerRequest ?? 1000;
  const maxR = o.maxPerRequest ?? 5000;
  const rareEvery = Math.max(1, Math.floor(o.total / RARE_TOKEN_ROWS));
  const nsPerRecord = (o.spanMs * 1e6) / Math.max(1, o.total);
  const startNs = BigInt(o.startMs) * 1_000_000n;
  let index = 0;
  let job = 0;
  let reqNo = 0;

  while (index < o.total) {
    const worker = workers[reqNo % workers.length]!;
    reqNo++;
    const want = Math.min(int(minR, maxR), o.total - index);
    const records: LogRecord[] = [];
    while (records.length < want) {
      const id = jobId(job++);
      const model = pick(MODELS[worker.serviceType]!);
      const steps = int(3, 7);
      const fails = rand() < 0.05;
      const lines = jobLines(id, model, steps, fails, worker, rand, pick, int);
      for (const [level, body, attrs] of lines) {
        if (records.length >= want) break;
        const i = index + records.length;
        const text = i % rareEvery === rareEvery >> 1 && i < rareEvery * RARE_TOKEN_ROWS
          ? `watchdog: anomaly ${RARE_TOKEN} seen on ${String(worker.resource.worker_id)}` : body;
        const t = startNs + BigInt(Math.floor(i * nsPerRecord));
        records.push({
          timeUnixNano: t.toString(), observedTimeUnixNano: t.toString(),
          severityNumber: SEVERITY[level], severityText: level, body: text,
          attributes: { job_id: id, model, ...attrs }, droppedAttributesCount: 0,
          flags: 0, traceId: '', spanId: '', eventName: '',
        });
      }
    }
    index += records.length;
    yield {
      records: records.length,
      req: {
        resourceLogs: [{
          resource: { attributes: worker.resource, droppedAttributesCount: 0 }, schemaUrl: '',
          scopeLogs: [{ scope: { name: 'emp-connector', version: '2.3.1', attributes: {}, droppedAttributesCount: 0 }, logRecords: records, schemaUrl: '' }],
        }],
      },
    };
  }
}

type Line = [Level, string, Record<string, AnyValue>];

/** The records of one job: lifecycle events with log lines in between. */
function jobLines(
  id: string, model: string, steps: number, fails: boolean, w: Worker,
  rand: () => number, pick: <T>(a: readonly T[]) => T, int: (lo: number, hi: number) => number,
): Line[] {
  const ev = (e: string, extra: Record<string, AnyValue> = {}): Record<string, AnyValue> => ({ event_type: e, ...extra });
  const out: Line[] = [
    ['INFO', `job ${id} received from queue ${pick(QUEUES)} (position ${int(0, 40)})`, ev('job_received')],
    ['INFO', `starting ${w.serviceType} job with model ${model} on ${w.connector}`, ev('job_started', { attempt: 1 })],
    ['DEBUG', `downloading input from https://${pick(HOSTS)}/inputs/${id}/${int(1, 9)}.png`, {}],
    ['INFO', `loaded model ${model} in ${int(200, 9000)} ms`, { duration_ms: int(200, 9000) }],
  ];
  let total = 0;
  for (let s = 1; s <= steps; s++) {
    const ms = int(50, 4000);
    total += ms;
    const r = rand();
    if (r < 0.12) out.push(['INFO', `progress ${Math.round((s / steps) * 100)}%`, ev('job_progress', { progress: Math.round((s / steps) * 100) })]);
    else if (r < 0.30) out.push(['INFO', `sampler ${pick(SAMPLERS)} steps=${int(10, 50)} cfg=${(rand() * 10).toFixed(1)} seed=${int(0, 1 << 30)}`, {}]);
    else if (r < 0.45) out.push(['DEBUG', `GPU memory ${(rand() * 20 + 2).toFixed(1)} GB / 24.0 GB, utilization ${int(30, 100)}%`, {}]);
    else if (r < 0.55) out.push(['WARN', `slow response from ${w.connector} (${ms} ms), retrying request ${int(1, 3)}/3`, { duration_ms: ms }]);
    else if (r < 0.58) out.push(['ERROR', `connection reset by peer while uploading output ${s} to ${pick(HOSTS)}`, { error_type: 'network' }]);
    else if (r < 0.62) out.push(['INFO', `queue depth ${int(0, 200)} on ${w.serviceType}, ${int(1, 32)} workers busy`, {}]);
    else if (r < 0.65) out.push(['DEBUG', `cache hit for ${model} weights (${(rand() * 12).toFixed(1)} GB)`, {}]);
    else if (r < 0.68) out.push(['INFO', `prompt tokens=${int(10, 4000)} completion tokens=${int(1, 2000)}`, {}]);
    else if (r < 0.70) out.push(['WARN', `rate limit remaining ${int(0, 50)}/500, reset in ${int(1, 60)}s`, {}]);
    else if (r < 0.72) out.push(['DEBUG', `saved checkpoint to /tmp/${id}/step-${s}.safetensors`, {}]);
    else if (r < 0.74) out.push(['DEBUG', `vae decode took ${ms} ms`, { duration_ms: ms }]);
    else if (r < 0.76) out.push(['DEBUG', `resizing image ${int(256, 2048)}x${int(256, 2048)} -> 1024x1024`, {}]);
    else if (r < 0.77) out.push(['WARN', `retrying webhook delivery for ${id} (attempt ${int(2, 5)})`, {}]);
    else out.push(['INFO', `step ${s}/${steps} done in ${ms} ms`, { duration_ms: ms, step: s }]);
  }
  if (fails) {
    const mib = int(256, 8192);
    out.push(['ERROR', pick([
      `CUDA out of memory. Tried to allocate ${mib} MiB (GPU 0; 24.00 GiB total capacity)`,
      `upstream ${w.connector} returned HTTP ${pick([500, 502, 503, 429])} after ${total} ms`,
      `timeout after ${total} ms waiting for ${model}`,
    ]), ev('job_failed', { duration_ms: total, error_type: pick(['memory', 'network', 'timeout', 'model']) })]);
  } else {
    out.push(['INFO', `uploaded ${int(1, 8)} outputs (${(rand() * 30).toFixed(1)} MB) to ${pick(HOSTS)}`, {}]);
    out.push(['INFO', `job ${id} completed in ${total} ms`, ev('job_completed', { duration_ms: total, progress: 100 })]);
  }
  return out;
}
