// A ComfyUI connector: jobs arrive, a workflow is queued over ComfyUI's
// HTTP/websocket API, sampling steps report progress, and the job completes
// or fails the way ComfyUI jobs fail (VRAM, a missing checkpoint, a dropped
// websocket). Records go to a Jobscope server over OTLP/HTTP.
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node examples/comfyui.mjs
import { ConnectorLogger, createExporter, installShutdownHooks } from '@jobscope/sdk';
import { JOBS, between, chance, failure, jobId, pick, report, sleep, summary } from './lib/sim.mjs';

// The exporter: worker thread, batches, retries, disk spool. Endpoint and
// headers come from the standard OTEL_EXPORTER_OTLP_* variables.
const exporter = createExporter({ serviceName: 'comfyui-worker' });
installShutdownHooks(exporter); // Ctrl-C / SIGTERM: send or spool what is pending, then exit
const log = new ConnectorLogger({
  machineId: process.env.MACHINE_ID ?? 'gpu-box-01',
  serviceType: 'comfyui',
  connectorId: 'comfyui-local',
  sink: exporter,
});

const CHECKPOINTS = ['sdxl_base_1.0.safetensors', 'juggernautXL_v9.safetensors', 'flux1-dev-fp8.safetensors'];
const FAILURES = [
  () => failure('CUDA out of memory. Tried to allocate 2.50 GiB (GPU 0; 23.65 GiB total capacity; 20.91 GiB already allocated; 1.12 GiB free)', { name: 'OutOfMemoryError' }),
  () => failure("Prompt outputs failed validation: CheckpointLoaderSimple: Value not in list: ckpt_name: 'sdxl_turbo.safetensors' not in ['sdxl_base_1.0.safetensors']"),
  () => failure('websocket closed before execution_success (code 1006)', { code: 'ECONNRESET' }),
];

async function runJob() {
  const id = jobId('comfy');
  const job = log.withJobContext(id); // a cheap child: every record carries job_id
  const promptId = crypto.randomUUID();
  const steps = pick([20, 25, 30]);
  const model = pick(CHECKPOINTS);
  job.jobReceived(id, { queue_wait_ms: between(50, 3000), model_name: model, workflow_hash: 'wf-' + between(1000, 9999) });
  await sleep(between(100, 400));
  job.jobStarted(id, { prompt_id: promptId, client_id: 'connector-1', model_name: model, queue_remaining: between(0, 4) });
  const started = Date.now();
  const failAt = chance(0.25) ? between(1, steps - 1) : -1;
  for (let step = 1; step <= steps; step++) {
    await sleep(between(80, 160));
    if (step === failAt) {
      job.jobFailed(id, pick(FAILURES)(), { duration_ms: Date.now() - started, node_id: '3', execution_step: `${step}/${steps}` });
      return report(id, 'failed');
    }
    if (step % 5 === 0 || step === steps) {
      job.jobProgress(id, { step, total_steps: steps, node_id: '3', websocket_message_type: 'progress', vram_usage: 14 + step / steps * 6 });
    }
  }
  job.jobCompleted(id, { duration_ms: Date.now() - started, model_name: model, output_size: between(1_200_000, 2_400_000), prompt_id: promptId });
  report(id, 'completed');
}

log.workerRegistered({ capabilities: ['txt2img', 'img2img'], gpu: 'RTX 4090', version: '0.3.10' });
for (let i = 0; i < JOBS; i++) await runJob();
log.workerHeartbeat({ status: 'idle', active_jobs: 0 });
await exporter.close(); // flush; what cannot be sent in time is spooled and replayed by the next run
summary("comfyui", exporter.stats());
