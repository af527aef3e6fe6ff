// An existing Winston setup (the original stack) shipping to Jobscope: add
// the transport, keep the logger. Job fields are ordinary meta; the server
// normalizes camelCase aliases (jobId → job_id).
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node examples/winston.mjs
import winston from 'winston';
import { JobscopeWinstonTransport } from '@jobscope/sdk/winston';
import { JOBS, between, chance, failure, jobId, pick, report, sleep, summary } from './lib/sim.mjs';

const transport = new JobscopeWinstonTransport({ exporter: { serviceName: 'winston-worker' } });
const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  defaultMeta: { machine_id: process.env.MACHINE_ID ?? 'gpu-box-04', worker_id: 'gpu-box-04-comfyui-0', service_type: 'comfyui', connector_id: 'comfyui-winston' },
  transports: [transport],
});

async function runJob() {
  const id = jobId('wjob');
  const job = logger.child({ job_id: id });
  const model = pick(['sdxl_base_1.0.safetensors', 'flux1-schnell.safetensors']);
  job.info('Job received', { event_type: 'job_received', model });
  job.info('Job started', { event_type: 'job_started', model });
  const started = Date.now();
  for (let p = 25; p <= 100; p += 25) {
    await sleep(between(200, 600));
    job.info('Job progress', { event_type: 'job_progress', progress: p });
  }
  if (chance(0.25)) {
    const err = failure('CUDA out of memory. Tried to allocate 1.25 GiB (GPU 0; 11.77 GiB total capacity)');
    job.error('Job failed', { event_type: 'job_failed', error: err, duration_ms: Date.now() - started, model });
    return report(id, 'failed');
  }
  job.info('Job completed', { event_type: 'job_completed', duration_ms: Date.now() - started, model, status: 'completed' });
  report(id, 'completed');
}

for (let i = 0; i < JOBS; i++) await runJob();
await transport.close(); // winston's logger.close() calls it too; awaiting it makes sure the records left
summary('winston', transport.stats().sink);
