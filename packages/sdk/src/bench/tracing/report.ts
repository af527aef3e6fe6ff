/** The tracing benchmark's section of docs/benchmarks.md, between its own markers. */
import { writeMarkedBlock } from '@jobscope/core';
import type { ChildResult, Variant } from './child.js';
import { SPANS_PER_JOB } from './job-spans.js';

export const TRACING_START = '<!-- tracing-bench:start -->';
export const TRACING_END = '<!-- tracing-bench:end -->';
export const TARGET_RATIO = 1.2;

export interface TracingBenchResult { date: string; machine: string; command: string; jobs: number; warm: number; rounds: number; runs: ChildResult[] }

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function renderTracingSection(r: TracingBenchResult): string {
  const per = (v: Variant): number => median(r.runs.filter((x) => x.variant === v).map((x) => x.cpuUs / x.jobs));
  const exported = (v: Variant): string => r.runs.filter((x) => x.variant === v).map((x) => `${x.exported.toLocaleString('en-US')}`).join(' / ');
  const rss = (v: Variant): number => median(r.runs.filter((x) => x.variant === v).map((x) => x.rssBytes)) / 1024 / 1024;
  const expected = (r.jobs + r.warm) * SPANS_PER_JOB;
  const baseline = (v: Variant): Variant => (v === 'jobscope' || v === 'plain-gzip' ? 'plain-gzip' : 'plain');
  const row = (v: Variant, what: string): string =>
    `| ${what} | ${per(v).toFixed(1)} µs | ${(per(v) / SPANS_PER_JOB).toFixed(2)} µs | ${v.startsWith('plain') ? '(baseline)' : `${(per(v) / per(baseline(v))).toFixed(2)}× ${baseline(v)}`} | ${exported(v)} | ${rss(v).toFixed(0)} MiB |`;
  const raw = per('jobscope-raw') / per('plain');
  const gz = per('jobscope') / per('plain-gzip');
  const ratio = Math.max(raw, gz);
  return [
    TRACING_START,
    '## Tracing (issue #6)', '',
    `${r.date} · ${r.machine} · \`${r.command}\` · ${r.jobs.toLocaleString('en-US')} jobs per run after ${r.warm.toLocaleString('en-US')} warm-up, ${r.rounds} round(s), medians`, '',
    `Each job makes the ${SPANS_PER_JOB} spans of a job in a fleet — \`send jobs:pending\` (PRODUCER), \`receive jobs:pending\`, \`process jobs:pending\` (CONSUMER, linked to the job's creation), an OpenAI call (\`chat gpt-4o-mini\`, gen_ai.* attributes) and the webhook \`POST\` — with the context carried through the job as a W3C traceparent. CPU is the whole process (all threads: encoding, gzip, HTTP) from the first measured job until every span is exported, divided by jobs. The receiver is a minimal OTLP sink in another process.`, '',
    '| variant | CPU per job | per span | vs the plain SDK sending the same bytes | spans exported (per run) | RSS |', '|---|---|---|---|---|---|',
    row('plain', '`plain`: OpenTelemetry SDK, BatchSpanProcessor + OTLPTraceExporter (protobuf, uncompressed: its default), spans by hand'),
    row('jobscope-raw', '`jobscope-raw`: initTracing + span helpers, every trace kept (ratio 1), gzip off'),
    row('plain-gzip', '`plain-gzip`: the plain SDK with the exporter\'s gzip compression'),
    row('jobscope', '`jobscope`: initTracing + span helpers, every trace kept (ratio 1), gzip level 1 (the default)'),
    row('jobscope-10', '`jobscope-10`: Jobscope at the default sampling (10 % of normal traces kept)'),
    '',
    `**Target: Jobscope ≤ ${TARGET_RATIO}× the plain SDK doing the same spans, every span exported — measured ${raw.toFixed(2)}× uncompressed and ${gz.toFixed(2)}× gzip'd: ${ratio <= TARGET_RATIO ? 'pass' : 'FAIL'}.** Expected spans per run at ratio 1: ${expected.toLocaleString('en-US')}. On top of the plain path, Jobscope's gives each batch an id kept across retries and the disk spool, spools instead of dropping when the destination is down, and holds not-yet-decided traces for job-aware sampling; at the default sampling a fleet pays \`jobscope-10\` (${(per('jobscope-10') / per('plain')).toFixed(2)}× the plain SDK exporting everything). Spans are encoded by Jobscope's own protobuf writer (tracing/init/span-proto.ts, byte-compatible with the official serializer and tested against it: the same request once decoded), which takes about half the official serializer's time.`,
    '', TRACING_END,
  ].join('\n');
}

export function writeTracingSection(file: string, block: string): void {
  writeMarkedBlock(file, TRACING_START, TRACING_END, block);
}
