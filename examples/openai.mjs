// An OpenAI connector: chat completions with token accounting, retried on
// 429 as the OpenAI client does, failing on quota, context length or a
// reset connection. Records go to a Jobscope server over OTLP/HTTP.
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node examples/openai.mjs
import { ConnectorLogger, createExporter, installShutdownHooks } from '@jobscope/sdk';
import { JOBS, between, chance, failure, jobId, pick, report, sleep, summary } from './lib/sim.mjs';

const exporter = createExporter({ serviceName: 'openai-worker' });
installShutdownHooks(exporter);
const log = new ConnectorLogger({
  machineId: process.env.MACHINE_ID ?? 'api-host-02',
  serviceType: 'openai',
  connectorId: 'openai-chat',
  sink: exporter,
});

const MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'];
const rateLimited = (model) => failure(
  `429 Rate limit reached for ${model} in organization org-jobscope on tokens per min (TPM): Limit 200000, Used 199412, Requested 1873. Please try again in 561ms.`,
  { status: 429, code: 'rate_limit_exceeded', name: 'RateLimitError' },
);
const FATAL = [
  () => failure("400 This model's maximum context length is 128000 tokens. However, your messages resulted in 131204 tokens.", { status: 400, code: 'context_length_exceeded', name: 'BadRequestError' }),
  () => failure('429 You exceeded your current quota, please check your plan and billing details.', { status: 429, code: 'insufficient_quota', name: 'RateLimitError' }),
  () => failure('Connection error.', { name: 'APIConnectionError', cause: failure('read ECONNRESET', { code: 'ECONNRESET' }) }),
];

async function runJob() {
  const id = jobId('chat');
  const job = log.withJobContext(id);
  const model = pick(MODELS);
  job.jobReceived(id, { model, queue_wait_ms: between(5, 400), request_size_bytes: between(800, 24_000) });
  job.jobStarted(id, { model, attempt: 1 });
  const started = Date.now();
  for (let attempt = 1; attempt <= 3; attempt++) {
    await sleep(between(400, 2500));
    if (attempt < 3 && chance(0.2)) {
      job.jobRetried(id, attempt, { reason: 'rate_limit', delay_ms: 561, error: rateLimited(model).message });
      continue;
    }
    if (chance(0.15)) {
      job.jobFailed(id, pick(FATAL)(), { model, attempt, duration_ms: Date.now() - started });
      return report(id, 'failed');
    }
    const prompt = between(200, 6000);
    const completion = between(50, 1200);
    job.jobProgress(id, 100, { model, completion_tokens: completion });
    job.jobCompleted(id, {
      model, request_id: `req_${between(1e8, 9e8)}`, prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion,
      response_time_ms: Date.now() - started, duration_ms: Date.now() - started, response_size_bytes: completion * 4, attempt,
    });
    return report(id, 'completed');
  }
  job.jobFailed(id, rateLimited(model), { model, attempt: 3, duration_ms: Date.now() - started });
  report(id, 'failed');
}

log.workerRegistered({ capabilities: ['chat.completions'], version: 'openai-node 4.x' });
for (let i = 0; i < JOBS; i++) await runJob();
await exporter.close();
summary('openai', exporter.stats());
