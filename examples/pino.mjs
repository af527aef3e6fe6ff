// pino shipping to Jobscope through its own transport mechanism: the
// transport runs on pino's worker thread (the exporter with it), so logging
// costs the main thread what pino to a file costs. On exit pino ends the
// transport, which sends what is pending (or spools it to disk).
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node examples/pino.mjs
import pino from 'pino';
import { JOBS, between, chance, failure, jobId, pick, report, sleep } from './lib/sim.mjs';

const logger = pino(pino.transport({
  target: '@jobscope/sdk/pino',
  // Exporter options (plain data: they are sent to the worker). The endpoint comes from OTEL_EXPORTER_OTLP_ENDPOINT.
  options: { serviceName: 'pino-worker' },
})).child({ machine_id: process.env.MACHINE_ID ?? 'api-host-06', worker_id: 'api-host-06-openai-0', service_type: 'openai', connector_id: 'openai-pino' });

async function runJob() {
  const id = jobId('pjob');
  const job = logger.child({ job_id: id });
  const model = pick(['gpt-4o-mini', 'gpt-4.1-mini']);
  job.info({ event_type: 'job_received', model }, 'Job received');
  job.info({ event_type: 'job_started', model }, 'Job started');
  const started = Date.now();
  await sleep(between(500, 2000));
  if (chance(0.25)) {
    const err = failure('429 Rate limit reached for requests', { status: 429 });
    job.error({ event_type: 'job_failed', err, error: err.message, error_type: 'rate_limit', duration_ms: Date.now() - started }, 'Job failed');
    return report(id, 'failed');
  }
  const prompt = between(100, 3000);
  const completion = between(20, 800);
  job.info({ event_type: 'job_completed', model, prompt_tokens: prompt, completion_tokens: completion, duration_ms: Date.now() - started }, 'Job completed');
  report(id, 'completed');
}

for (let i = 0; i < JOBS; i++) await runJob();
// Nothing else to do: when the process exits, pino ends the transport and its exporter sends or spools the rest.
