// A REST connector: jobs forwarded to a third-party HTTP API, with retries
// on 502/503/timeouts and the HTTP method, endpoint and status of each call;
// the result is delivered to the caller's webhook.
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node examples/rest.mjs
import { ConnectorLogger, createExporter, installShutdownHooks } from '@jobscope/sdk';
import { JOBS, between, chance, failure, jobId, pick, report, sleep, summary } from './lib/sim.mjs';

const exporter = createExporter({ serviceName: 'rest-worker' });
installShutdownHooks(exporter);
const log = new ConnectorLogger({
  machineId: process.env.MACHINE_ID ?? 'api-host-05',
  serviceType: 'rest',
  connectorId: 'upscaler-api',
  sink: exporter,
});

const ENDPOINT = 'https://api.upscale.example/v2/jobs';
const TRANSIENT = [
  () => failure('Request failed with status code 503', { status: 503 }),
  () => failure('connect ETIMEDOUT 203.0.113.7:443', { code: 'ETIMEDOUT' }),
  () => failure('Request failed with status code 502', { status: 502 }),
];

async function runJob() {
  const id = jobId('rest');
  const job = log.withJobContext(id);
  job.jobReceived(id, { http_method: 'post', endpoint: ENDPOINT, input_size: between(200_000, 4_000_000) });
  job.jobStarted(id, { http_method: 'POST', endpoint: ENDPOINT, timeout_ms: 30_000 });
  const started = Date.now();
  let retries = 0;
  for (;;) {
    await sleep(between(200, 1200));
    if (!chance(0.3)) break;
    const err = pick(TRANSIENT)();
    if (retries === 2) {
      job.jobFailed(id, err, { http_method: 'POST', endpoint: ENDPOINT, retry_count: retries, status_code: err.status, duration_ms: Date.now() - started });
      return report(id, 'failed');
    }
    retries++;
    job.warn('Upstream call failed, retrying', { http_method: 'POST', endpoint: ENDPOINT, retry_count: retries, error: err.message });
  }
  job.jobCompleted(id, { http_method: 'POST', endpoint: ENDPOINT, status_code: 200, retry_count: retries, duration_ms: Date.now() - started });
  await sleep(between(30, 120));
  job.webhookDelivered(id, { url: 'https://client.example/hooks/jobs', status_code: 204, duration_ms: between(30, 120), attempt: 1 });
  report(id, 'completed');
}

log.workerRegistered({ capabilities: ['upscale'], upstream: ENDPOINT });
for (let i = 0; i < JOBS; i++) await runJob();
await exporter.close();
summary('rest', exporter.stats());
