/**
 * Simulated ComfyUI connector: POST /prompt with a text-to-image workflow,
 * then the websocket's messages — status, execution_start, execution_cached,
 * executing (per node), progress (per KSampler step), executed — each logged
 * with the comfyui schema's fields (prompt_id, client_id,
 * websocket_message_type, queue_remaining, execution_step, node_id,
 * workflow_hash, model_name, vram_usage in MB).
 *
 * Failures: a rejected prompt (validation; missing checkpoint → model),
 * CUDA OOM in KSampler or VAEDecode (memory; most jobs on a machine with
 * gpu_oom), the websocket dropping (network), a hung prompt (timeout).
 */
import { createHash } from 'node:crypto';
import type { LogMeta } from '@jobscope/sdk';
import { durationProfile, sampleDurationMs } from './durations.js';
import {
  GPU_OOM_FAILURE_RATE, NEW_ERROR_FAILURE_RATE, connectionRefused, connectionReset, cudaOom, decideFailure, makeError, newError, timedOut,
  type FailureKind, type FailureProfile,
} from './failures.js';
import { entryOf, num, runSession, type Session } from './session.js';
import type { ConnectorContext, ConnectorJob, ConnectorResult, SimulatedConnector } from './types.js';
import type { Rng } from '../random/index.js';

interface ComfyModel {
  ckpt: string;
  /** VRAM the loaded checkpoint holds, MB. */
  vramMb: number;
  steps: number;
  size: number;
}

export const COMFYUI_MODELS: Readonly<Record<string, ComfyModel>> = {
  sdxl: { ckpt: 'sd_xl_base_1.0.safetensors', vramMb: 9_800, steps: 25, size: 1024 },
  sd15: { ckpt: 'v1-5-pruned-emaonly.safetensors', vramMb: 3_900, steps: 20, size: 512 },
  'flux-dev': { ckpt: 'flux1-dev-fp8.safetensors', vramMb: 17_500, steps: 20, size: 1024 },
  'sd3-medium': { ckpt: 'sd3_medium_incl_clips.safetensors', vramMb: 12_400, steps: 28, size: 1024 },
};

/** A 24 GiB card (RTX 4090 / A10G class). */
export const GPU_TOTAL_MB = 24_564;
export const COMFYUI_TIMEOUT_MS = 120_000;
export const COMFYUI_FAILURES: FailureProfile = { rate: 0.04, weights: { memory: 3, network: 2, timeout: 1.5, model: 1.5, validation: 2 } };

/** The default ComfyUI text-to-image graph, in execution order, with each node's share of the time. */
const NODES = [
  { id: '4', type: 'CheckpointLoaderSimple', share: 0.15 },
  { id: '6', type: 'CLIPTextEncode', share: 0.02 },
  { id: '7', type: 'CLIPTextEncode', share: 0.02 },
  { id: '5', type: 'EmptyLatentImage', share: 0.005 },
  { id: '3', type: 'KSampler', share: 0.75 },
  { id: '8', type: 'VAEDecode', share: 0.06 },
  { id: '9', type: 'SaveImage', share: 0.02 },
] as const;

const SAMPLERS = ['euler', 'euler_ancestral', 'dpmpp_2m', 'dpmpp_2m_sde', 'dpmpp_sde'] as const;
const SCHEDULERS = ['normal', 'karras', 'sgm_uniform'] as const;

/** The errors ComfyUI and its client raise, by kind. */
export const comfyuiErrors = {
  memory: (rng: Rng): Error => Object.assign(cudaOom(rng, GPU_TOTAL_MB / 1024), { exception_type: 'torch.cuda.OutOfMemoryError' }),
  network: (rng: Rng): Error =>
    rng.pick([
      () => makeError('WebSocket is not open: readyState 3 (CLOSED)'),
      () => connectionReset(rng),
      () => connectionRefused('127.0.0.1', 8188),
    ])(),
  timeout: (promptId: string, ms: number): Error => timedOut(`ComfyUI prompt ${promptId}`, ms),
  model: (rng: Rng, ckpt: string): Error => {
    const others = Object.values(COMFYUI_MODELS).map((m) => m.ckpt).filter((c) => c !== ckpt);
    const listed = others.filter(() => rng.chance(0.6)).map((c) => `'${c}'`).join(', ');
    return makeError(
      `Prompt outputs failed validation: CheckpointLoaderSimple: Value not in list: ckpt_name: '${ckpt}' not in [${listed}]`,
      { status: 400, node_id: '4' },
    );
  },
  validation: (rng: Rng): Error =>
    rng.pick([
      () => makeError('Invalid prompt: Prompt outputs failed validation: KSampler: Value 0 smaller than min of 1: steps', { status: 400, node_id: '3' }),
      () => makeError('Invalid prompt: Prompt outputs failed validation: SaveImage: Required input is missing: images', { status: 400, node_id: '9' }),
      () => makeError('Invalid prompt: Prompt outputs failed validation: KSampler: Value -3.5 smaller than min of 0.0: cfg', { status: 400, node_id: '3' }),
    ])(),
};

export class ComfyUIConnector implements SimulatedConnector {
  readonly serviceType = 'comfyui';
  readonly connectorId = 'comfyui-websocket';
  readonly models: readonly string[] = Object.keys(COMFYUI_MODELS);

  run(job: ConnectorJob, ctx: ConnectorContext): Promise<ConnectorResult> {
    const model = job.model === '' ? this.models[0] : job.model;
    const known = entryOf(COMFYUI_MODELS, model);
    const spec = known ?? { ckpt: `${model}.safetensors`, vramMb: 8_000, steps: 20, size: 1024 };
    const rng = ctx.rng;
    const clientId = rng.uuid();
    const promptId = rng.uuid();
    const steps = Math.max(1, Math.round(num(job.payload, 'steps', spec.steps)));
    const size = Math.round(num(job.payload, 'width', spec.size));
    const seed = Math.round(num(job.payload, 'seed', rng.int(0, 2 ** 32 - 1)));
    const sampler = rng.pick(SAMPLERS);
    const scheduler = rng.pick(SCHEDULERS);
    const workflowHash = hashWorkflow(spec.ckpt, steps, size, `${sampler}/${scheduler}`);
    // Which websocket message we are at: the error line repeats the last one.
    const at: { node: string; step: string; vram: number; ws: boolean } = { node: '4', step: 'queued', vram: 0, ws: false };
    const base = { prompt_id: promptId, client_id: clientId, workflow_hash: workflowHash, model_name: model };

    return runSession(job, ctx, model, {
      timeoutMs: COMFYUI_TIMEOUT_MS,
      timeoutError: (ms) => comfyuiErrors.timeout(promptId, ms),
      logFailure: (error, s) => {
        const meta = { ...base, node_id: at.node, execution_step: at.step, vram_usage: at.vram, attempt: job.attempts };
        if (at.ws) s.log.error('ComfyUI execution error', error, { ...meta, websocket_message_type: 'execution_error' });
        else s.log.error('ComfyUI rejected prompt', error, meta);
      },
      play: async (s) => {
        const oomMachine = ctx.faults.has('gpu_oom', s.scope);
        const failure: FailureKind | null = known !== undefined
          ? decideFailure(rng, COMFYUI_FAILURES, [
              { active: oomMachine, probability: GPU_OOM_FAILURE_RATE, kind: 'memory' },
              { active: ctx.faults.has('new_error', s.scope), probability: NEW_ERROR_FAILURE_RATE, kind: 'new_error' },
            ])
          : 'model';
        const total = sampleDurationMs(durationProfile(model, ctx.faults, s.scope), rng) * (steps / spec.steps);
        const cached = rng.chance(0.7);
        const failStep = rng.int(1, Math.max(1, Math.ceil(steps * 0.4)));
        const oomInDecode = rng.chance(0.25);
        // VRAM: idle ComfyUI, + checkpoint, + activations while sampling; a leak on a gpu_oom machine fills the card.
        const leak = oomMachine ? GPU_TOTAL_MB - spec.vramMb - rng.uniform(1_800, 2_600) : 0;
        const vram = (phase: 'idle' | 'loaded' | 'sampling' | 'decode'): number => {
          const v = rng.uniform(350, 600) + leak +
            (phase === 'idle' ? 0 : spec.vramMb) +
            (phase === 'sampling' ? (spec.size * spec.size) / 600 : 0) +
            (phase === 'decode' ? (spec.size * spec.size) / 450 : 0);
          return (at.vram = Math.round(Math.min(GPU_TOTAL_MB, v)));
        };

        // POST /prompt
        await s.wait(rng.uniform(15, 90));
        at.vram = vram(cached ? 'loaded' : 'idle');
        if (failure === 'validation') throw comfyuiErrors.validation(rng);
        if (failure === 'model') throw comfyuiErrors.model(rng, spec.ckpt);
        const queued = rng.chance(0.15) ? 2 : 1;
        s.log.info('ComfyUI prompt queued', { ...base, queue_remaining: queued, number: rng.int(1, 5000), ckpt_name: spec.ckpt, sampler_name: sampler, scheduler, steps_requested: steps });

        at.ws = true;
        ws(s, 'debug', 'status', { ...base, queue_remaining: queued });
        if (queued > 1) await s.wait(total * rng.uniform(0.3, 1)); // the prompt ahead of ours
        ws(s, 'info', 'execution_start', { ...base, queue_remaining: 1, vram_usage: at.vram });
        await s.progress(0, steps, { ...base, websocket_message_type: 'execution_start', execution_step: `0/${steps}`, vram_usage: at.vram });
        if (cached) ws(s, 'debug', 'execution_cached', { ...base, node_id: '4', execution_step: 'CheckpointLoaderSimple', vram_usage: at.vram });

        const shares = NODES.reduce((sum, n) => sum + (cached && n.id === '4' ? 0 : n.share), 0);
        for (const node of NODES) {
          if (cached && node.id === '4') continue;
          at.node = node.id;
          at.step = node.type;
          const phase = node.id === '4' || node.id === '6' || node.id === '7' || node.id === '5' ? 'loaded' : node.id === '8' ? 'decode' : 'sampling';
          ws(s, 'debug', 'executing', { ...base, node_id: node.id, execution_step: node.type, vram_usage: vram(phase), node_type: node.type });
          const nodeMs = (total * node.share) / shares;
          const execute = async (): Promise<void> => {
            if (node.id === '3') {
              for (let i = 1; i <= steps; i++) {
                at.step = `${i}/${steps}`;
                if (i === failStep) {
                  if (failure === 'new_error') throw newError('gpu', model, rng);
                  if (failure === 'memory' && !oomInDecode) throw comfyuiErrors.memory(rng);
                  if (failure === 'network') throw comfyuiErrors.network(rng);
                  if (failure === 'timeout') await s.hang();
                }
                await s.wait(nodeMs / steps);
                await s.progress(i, steps, { ...base, websocket_message_type: 'progress', node_id: node.id, execution_step: at.step, vram_usage: vram('sampling') });
              }
            } else {
              await s.wait(nodeMs);
              if (node.id === '8' && failure === 'memory') throw comfyuiErrors.memory(rng);
            }
          };
          // one span per executed node when the worker traces the job
          await (ctx.trace ? ctx.trace.node(node.id, node.type, execute, { vramUsage: at.vram }) : execute());
        }

        const image = { filename: `ComfyUI_${String(rng.int(1, 99_999)).padStart(5, '0')}_.png`, subfolder: '', type: 'output' };
        const bytes = Math.round(size * size * rng.uniform(1.2, 1.9));
        ws(s, 'info', 'executed', { ...base, node_id: '9', execution_step: 'SaveImage', vram_usage: vram('loaded'), output_size: bytes, images: [image] });
        ws(s, 'debug', 'executing', { ...base, node_id: 'null', execution_step: 'done', queue_remaining: queued - 1, vram_usage: at.vram });
        return { prompt_id: promptId, images: [image], output_size: bytes, model, width: size, height: size, steps, seed };
      },
    });
  }
}

/** One websocket message as a log line. */
function ws(s: Session, level: 'debug' | 'info', type: string, meta: LogMeta): void {
  s.log[level](`ComfyUI websocket: ${type}`, { ...meta, websocket_message_type: type });
}

/** Hash of the graph's structure (not of the prompt text or seed): equal workflows group together. */
function hashWorkflow(ckpt: string, steps: number, size: number, sampler: string): string {
  const graph = NODES.map((n) => `${n.id}:${n.type}`).join(',') + `|${ckpt}|${steps}|${size}|${sampler}`;
  return createHash('sha256').update(graph).digest('hex').slice(0, 16);
}
