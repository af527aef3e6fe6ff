/**
 * Simulated Automatic1111 (stable-diffusion-webui) connector: POST
 * /sdapi/v1/txt2img, polling /sdapi/v1/progress per sampling step, with the
 * a1111 schema's fields (sampler, steps, cfg_scale, seed, width, height,
 * batch_size, model_checkpoint, vae). A checkpoint switch logs
 * "Loading weights […]" and costs load time.
 *
 * Failures: CUDA OOM while sampling or decoding (memory; most jobs on a
 * machine with gpu_oom), a checkpoint that fails to load (model), a 422 on
 * the request body (validation), the webui restarting or dropping the
 * connection (network), a hung request (timeout).
 */
import { durationProfile, sampleDurationMs } from './durations.js';
import {
  GPU_OOM_FAILURE_RATE, NEW_ERROR_FAILURE_RATE, connectionRefused, connectionReset, cudaOom, decideFailure, makeError, newError, timedOut,
  type FailureKind, type FailureProfile,
} from './failures.js';
import { entryOf, num, runSession, text } from './session.js';
import type { ConnectorContext, ConnectorJob, ConnectorResult, SimulatedConnector } from './types.js';
import type { Rng } from '../random/index.js';

interface A1111Model {
  /** As the webui names it: file [short hash]. */
  checkpoint: string;
  vae: string;
  steps: number;
  size: number;
}

export const A1111_MODELS: Readonly<Record<string, A1111Model>> = {
  sd15: { checkpoint: 'v1-5-pruned-emaonly.safetensors [6ce0161689]', vae: 'vae-ft-mse-840000-ema-pruned.safetensors', steps: 20, size: 512 },
  sdxl: { checkpoint: 'sd_xl_base_1.0.safetensors [31e35c80fc]', vae: 'sdxl_vae.safetensors', steps: 30, size: 1024 },
  'realistic-vision': { checkpoint: 'realisticVisionV60B1_v51VAE.safetensors [15012c538f]', vae: 'Automatic', steps: 25, size: 512 },
};

export const A1111_TIMEOUT_MS = 120_000;
export const A1111_FAILURES: FailureProfile = { rate: 0.04, weights: { memory: 3, network: 2, timeout: 1, model: 1.5, validation: 1.5 } };
/** A 12 GiB card (RTX 3060/4070 class): A1111 boxes are often smaller than ComfyUI's. */
const GPU_TOTAL_GIB = 11.99;

/** Share of the job's time spent loading weights when the checkpoint changes. */
const LOAD_SHARE = 0.25;

const SAMPLERS = ['DPM++ 2M Karras', 'Euler a', 'DPM++ SDE Karras', 'DDIM', 'UniPC', 'DPM++ 2M SDE Karras'] as const;

export const a1111Errors = {
  memory: (rng: Rng): Error => cudaOom(rng, GPU_TOTAL_GIB),
  network: (rng: Rng): Error => (rng.chance(0.5) ? connectionRefused('127.0.0.1', 7860) : connectionReset(rng)),
  timeout: (ms: number): Error => timedOut('A1111 txt2img request', ms),
  model: (rng: Rng, checkpoint: string): Error =>
    rng.chance(0.5)
      ? makeError(`Failed to load checkpoint, restoring previous: ${checkpoint.split(' ')[0]}`)
      : makeError(
          'Error(s) in loading state_dict for LatentDiffusion: size mismatch for model.diffusion_model.input_blocks.0.0.weight: ' +
            'copying a param with shape torch.Size([320, 9, 3, 3]) from checkpoint, the shape in current model is torch.Size([320, 4, 3, 3]).',
        ),
  validation: (rng: Rng): Error =>
    rng.chance(0.5)
      ? makeError('Request failed with status code 422: {"detail":[{"loc":["body","steps"],"msg":"value is not a valid integer","type":"type_error.integer"}]}', { status: 422 })
      : makeError('Invalid sampler name: Euler b (expected one of: DPM++ 2M Karras, Euler a, DDIM, UniPC)', { status: 404 }),
};

export class A1111Connector implements SimulatedConnector {
  readonly serviceType = 'a1111';
  readonly connectorId = 'a1111-sdapi';
  readonly models: readonly string[] = Object.keys(A1111_MODELS);

  run(job: ConnectorJob, ctx: ConnectorContext): Promise<ConnectorResult> {
    const model = job.model === '' ? this.models[0] : job.model;
    const known = entryOf(A1111_MODELS, model);
    const spec = known ?? { checkpoint: `${model}.safetensors`, vae: 'Automatic', steps: 20, size: 512 };
    const rng = ctx.rng;
    const p = job.payload;
    const params = {
      sampler: text(p, 'sampler_name', rng.pick(SAMPLERS)),
      steps: Math.max(1, Math.round(num(p, 'steps', spec.steps))),
      cfg_scale: num(p, 'cfg_scale', rng.pick([5, 6, 7, 7, 7, 7.5, 8, 9])),
      seed: Math.round(num(p, 'seed', rng.int(0, 2 ** 32 - 1))),
      width: Math.round(num(p, 'width', spec.size)),
      height: Math.round(num(p, 'height', spec.size)),
      batch_size: Math.max(1, Math.round(num(p, 'batch_size', 1))),
      model_checkpoint: spec.checkpoint,
      vae: spec.vae,
    };
    let step = 0;

    return runSession(job, ctx, model, {
      timeoutMs: A1111_TIMEOUT_MS,
      timeoutError: (ms) => a1111Errors.timeout(ms),
      logFailure: (error, s) => s.log.error('A1111 txt2img failed', error, { ...params, step, total_steps: params.steps, attempt: job.attempts }),
      play: async (s) => {
        const kind: FailureKind | null = known !== undefined
          ? decideFailure(rng, A1111_FAILURES, [
              { active: ctx.faults.has('gpu_oom', s.scope), probability: GPU_OOM_FAILURE_RATE, kind: 'memory' },
              { active: ctx.faults.has('new_error', s.scope), probability: NEW_ERROR_FAILURE_RATE, kind: 'new_error' },
            ])
          : 'model';
        const batchFactor = params.batch_size ** 0.85;
        const total = sampleDurationMs(durationProfile(model, ctx.faults, s.scope), rng) * (params.steps / spec.steps) * batchFactor;
        const switching = kind === 'model' || rng.chance(0.2);
        const failStep = rng.int(1, Math.max(1, Math.ceil(params.steps * 0.5)));
        const oomInDecode = rng.chance(0.3);

        await s.wait(rng.uniform(10, 40));
        if (kind === 'validation') throw a1111Errors.validation(rng);
        s.log.info('A1111 txt2img request', { ...params, endpoint: '/sdapi/v1/txt2img' });
        if (switching) {
          s.log.info(`Loading weights [${spec.checkpoint.split('[')[1]?.replace(']', '') ?? rng.hex(10)}] from /models/Stable-diffusion/${spec.checkpoint.split(' ')[0]}`, {
            model_checkpoint: spec.checkpoint, vae: spec.vae,
          });
          await s.wait(total * LOAD_SHARE);
          if (kind === 'model') throw a1111Errors.model(rng, spec.checkpoint);
          s.log.info('Model loaded', { model_checkpoint: spec.checkpoint, vae: spec.vae, load_ms: s.elapsedMs });
        }

        const sampling = total * (switching ? 0.92 - LOAD_SHARE : 0.92);
        await s.progress(0, params.steps, { sampler: params.sampler, model_checkpoint: spec.checkpoint, eta_relative: Math.round(total / 100) / 10 });
        for (step = 1; step <= params.steps; step++) {
          if (step === failStep) {
            if (kind === 'new_error') throw newError('gpu', model, rng);
            if (kind === 'memory' && !oomInDecode) throw a1111Errors.memory(rng);
            if (kind === 'network') throw a1111Errors.network(rng);
            if (kind === 'timeout') await s.hang();
          }
          await s.wait(sampling / params.steps);
          const eta = Math.max(0, ((params.steps - step) * sampling) / params.steps + total * 0.08) / 1000;
          await s.progress(step, params.steps, { sampler: params.sampler, model_checkpoint: spec.checkpoint, eta_relative: Math.round(eta * 10) / 10 });
        }
        step = params.steps;
        await s.wait(total * 0.08); // VAE decode and encode to PNG
        if (kind === 'memory') throw a1111Errors.memory(rng);

        const bytes = Math.round(params.width * params.height * params.batch_size * rng.uniform(1.2, 1.9) * 1.34); // base64 PNGs
        s.log.info('A1111 txt2img completed', { ...params, output_size: bytes, images: params.batch_size });
        return {
          images: params.batch_size,
          output_size: bytes,
          info: { ...params, sd_model_name: spec.checkpoint.split('.')[0], sd_vae_name: spec.vae },
          parameters: params,
        };
      },
    });
  }
}
