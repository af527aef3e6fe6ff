// An AUTOMATIC1111 (stable-diffusion-webui) connector: txt2img through the
// /sdapi/v1 API with sampler, steps, CFG, seed and size, progress polled
// from /sdapi/v1/progress, failing on VRAM or a webui that went away.
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node examples/a1111.mjs
import { ConnectorLogger, createExporter, installShutdownHooks } from '@jobscope/sdk';
import { JOBS, between, chance, failure, jobId, pick, report, sleep, summary } from './lib/sim.mjs';

const exporter = createExporter({ serviceName: 'a1111-worker' });
installShutdownHooks(exporter);
const log = new ConnectorLogger({
  machineId: process.env.MACHINE_ID ?? 'gpu-box-03',
  serviceType: 'a1111',
  connectorId: 'a1111-webui',
  sink: exporter,
});

const FAILURES = [
  () => failure('RuntimeError: Not enough memory, use lower resolution (max approx. 1280x1280). Need: 4.2GB free, Have: 1.9GB free'),
  () => failure('connect ECONNREFUSED 127.0.0.1:7860', { code: 'ECONNREFUSED' }),
  () => failure('500 Internal Server Error: NansException: A tensor with all NaNs was produced in Unet.', { status: 500 }),
];

async function runJob() {
  const id = jobId('sd');
  const job = log.withJobContext(id);
  const params = {
    sampler: pick(['DPM++ 2M Karras', 'Euler a', 'DPM++ SDE Karras']),
    steps: pick([20, 28, 35]),
    cfg_scale: pick([5, 6.5, 7]),
    seed: chance(0.3) ? -1 : between(1, 2 ** 31),
    width: pick([832, 1024]),
    height: pick([1024, 1216]),
    batch_size: pick([1, 2]),
    model_checkpoint: pick(['sd_xl_base_1.0.safetensors [31e35c80fc]', 'realisticVisionV60B1.safetensors [15012c538f]']),
    vae: 'sdxl_vae.safetensors',
  };
  job.jobReceived(id, { ...params, queue_wait_ms: between(20, 1500) });
  job.jobStarted(id, params);
  const started = Date.now();
  const fails = chance(0.25);
  for (let p = 25; p <= 100; p += 25) {
    await sleep(between(300, 900));
    if (fails && p === 50) {
      job.jobFailed(id, pick(FAILURES)(), { ...params, duration_ms: Date.now() - started });
      return report(id, 'failed');
    }
    job.jobProgress(id, p, { step: Math.round((p / 100) * params.steps), total_steps: params.steps });
  }
  job.jobCompleted(id, { duration_ms: Date.now() - started, output_size: params.batch_size * between(1_500_000, 2_500_000), seed: params.seed });
  report(id, 'completed');
}

log.workerRegistered({ capabilities: ['txt2img'], gpu: 'RTX 3090', version: 'v1.10.1' });
for (let i = 0; i < JOBS; i++) await runJob();
await exporter.close();
summary('a1111', exporter.stats());
