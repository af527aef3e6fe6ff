/**
 * Deterministic worker log records for the agent benchmark: job lifecycle
 * events and log lines as a connector writes them (JSON objects of ~250 B),
 * and the same records as an OTLP logs request for the direct path.
 */
import { encodeRequest, type ExportLogsServiceRequest } from '@jobscope/otlp';
import { logsRequest, structuredToLogRecord } from '@jobscope/pipeline';

const SERVICES = ['comfyui', 'a1111', 'openai', 'simulation', 'rest'] as const;
const EVENTS = ['job_received', 'job_started', 'job_progress', 'job_progress', 'log', 'log', 'job_completed'] as const;
const MESSAGES = [
  'loaded checkpoint sdxl_base_1.0.safetensors in 2.31s',
  'node KSampler finished step 14/30',
  'POST https://api.openai.com/v1/images/generations -> 200 in 8412 ms',
  'queue_remaining=3 vram_used_mb=18234',
  'simulation iteration 412 residual 3.2e-5',
  'webhook delivered to https://example.com/hooks/jobs (attempt 1)',
];

export function benchRecord(i: number): Record<string, unknown> {
  const job = Math.floor(i / 7);
  const ev = EVENTS[i % EVENTS.length] as string;
  return {
    time: 1_764_300_000_000 + i,
    level: i % 97 === 0 ? 'error' : 'info',
    message: MESSAGES[i % MESSAGES.length],
    job_id: `bench-job-${job}`,
    event_type: ev,
    machine_id: `machine-${job % 8}`,
    worker_id: `machine-${job % 8}-worker-${job % 4}`,
    service_type: SERVICES[job % SERVICES.length],
    model: 'sdxl-base-1.0',
    step: i % 30,
    duration_ms: 1000 + (i % 5000),
  };
}

/** One Fluent Bit HTTP input body: a JSON array of `count` records starting at `first`. */
export function jsonBody(first: number, count: number): Buffer {
  const out: Record<string, unknown>[] = [];
  for (let i = first; i < first + count; i++) out.push(benchRecord(i));
  return Buffer.from(JSON.stringify(out));
}

/** The same records as one OTLP/protobuf logs request. */
export function otlpBody(first: number, count: number): Buffer {
  const obs = '1764300000000000000';
  const records = [];
  for (let i = first; i < first + count; i++) records.push(structuredToLogRecord(benchRecord(i), '', obs));
  const req: ExportLogsServiceRequest = logsRequest({ 'service.name': 'bench-worker' }, 'bench', records);
  return Buffer.from(encodeRequest('logs', req, 'protobuf'));
}
