/**
 * Renders the benchmark results as docs/benchmarks.md. The hand-written
 * analysis between ANALYSIS_START and ANALYSIS_END in the existing file is
 * kept across runs, and so are the other benchmarks' sections (the SDK's,
 * the agent's, the fleet's … between `<!-- NAME-bench:start/end -->`
 * markers, written by their own runs);
 * everything else is regenerated.
 */
import { cpuPerMillion, rate, type IngestResult, type PathResult } from './ingest.js';
import { median, quantile, type QueryPhaseResult, type QueryStat } from './queries.js';
import type { ProfileSummary } from './profile.js';

export const ANALYSIS_START = '<!-- analysis:start -->';
export const ANALYSIS_END = '<!-- analysis:end -->';
/** The SDK benchmark's markers (the same strings as packages/sdk/src/bench/section.ts; the server does not depend on the SDK). */
export const SDK_START = '<!-- sdk-bench:start -->';
export const SDK_END = '<!-- sdk-bench:end -->';
/** The agent benchmark's markers (packages/agent/src/bench/report.ts). */
export const AGENT_START = '<!-- agent-bench:start -->';
export const AGENT_END = '<!-- agent-bench:end -->';

/** The block between `start` and `end` (markers included) in `doc`, or '' when absent. */
function keptBlock(doc: string, start: string, end: string): string {
  const a = doc.indexOf(start);
  const b = a < 0 ? -1 : doc.indexOf(end, a);
  return a >= 0 && b >= 0 ? doc.slice(a, b + end.length) : '';
}

export interface Machine {
  date: string; cpus: number; cpuModel: string; memoryBytes: number; node: string; chdb: string; engine: string;
  os: string; commit: string; loadBefore: number[]; loadAfter: number[];
}

export interface BenchSettings {
  command: string; ingestRows: number; warmupRows: number; rounds: number; concurrency: number;
  perRequest: [number, number]; directBatchRows: number; queryRows: number; runs: number; profileRows: number;
}

export interface Report {
  machine: Machine; settings: BenchSettings; ingest?: IngestResult; queries?: QueryPhaseResult;
  profile?: ProfileSummary; seconds: number;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);
const mb = (b: number): string => { const m = b / 1024 / 1024; return `${m < 10 ? m.toFixed(1) : int(m)} MiB`; };
const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
const size = (n: number): string => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : `${+(n / 1e3).toFixed(0)}k`);
const pass = (ok: boolean): string => (ok ? '**pass**' : '**FAIL**');

function ingestRows(i: IngestResult): string[] {
  const rRatio = rate(i.full) / rate(i.direct);
  const cRatio = cpuPerMillion(i.full) / cpuPerMillion(i.direct);
  return [
    `| ingest rate, whole path (OTLP/HTTP → queryable) | ${int(rate(i.full))} records/s | ≥ 60 % of the direct insert | ${pct(rRatio)} of direct | ${pass(rRatio >= 0.6)} |`,
    `| ingest rate, direct JSONEachRow insert (ceiling) | ${int(rate(i.direct))} records/s | — | — | |`,
    `| CPU, whole path | ${f1(cpuPerMillion(i.full))} CPU-s per million records | ≤ 1.5 × the direct insert | ${f2(cRatio)} × direct | ${pass(cRatio <= 1.5)} |`,
    `| CPU, direct insert | ${f1(cpuPerMillion(i.direct))} CPU-s per million records | — | — | |`,
  ];
}

function queryRow(q: QueryStat, rows: number): string {
  const m = median(q.httpMs);
  return `| ${q.name} at ${size(rows)} rows, median over HTTP (storage time) | ${f1(m)} ms (${f1(median(q.storeMs))} ms) | < ${q.targetMs} ms | ${f2(m / q.targetMs)} × target | ${pass(m < q.targetMs)} |`;
}

function queryDetail(title: string, list: QueryStat[]): string[] {
  return [
    `**${title}**`, '',
    '| query | HTTP median | HTTP p95 | HTTP min–max | storage median | storage p95 | each storage query, median | last response |',
    '|---|---|---|---|---|---|---|---|',
    ...list.map((q) => `| ${q.name} | ${f1(median(q.httpMs))} ms | ${f1(quantile(q.httpMs, 0.95))} ms | ${f1(Math.min(...q.httpMs))}–${f1(Math.max(...q.httpMs))} ms | ${f1(median(q.storeMs))} ms | ${f1(quantile(q.storeMs, 0.95))} ms | ${eachMedian(q.eachMs)} | ${q.check} |`),
    '',
  ];
}

/** Median of each storage query position across runs: "12.1 + 20.3 + 3.0 ms". */
function eachMedian(runs: number[][]): string {
  const n = Math.max(0, ...runs.map((r) => r.length));
  return Array.from({ length: n }, (_, i) => f1(median(runs.map((r) => r[i] ?? 0)))).join(' + ') + ' ms';
}

function pathLine(name: string, r: PathResult): string {
  return `| ${name} | ${int(r.rows)} | ${f1(r.seconds)} s | ${int(rate(r))} | ${f1(r.cpuSeconds)} s | ${f1(cpuPerMillion(r))} | ${mb(r.maxRssBytes)} | ${int(r.stored)} |`;
}

function profileSection(p: ProfileSummary, rows: number): string[] {
  const fn = (h: ProfileSummary['top'][number]): string => `| ${f1(h.share * 100)} % | ${int(h.selfMs)} ms | \`${h.name}\` | ${h.where ? `\`${h.where}\`` : h.area} |`;
  return [
    `## CPU profile of the server's main thread during ingest`, '',
    `${int(rows)} records through the whole path, sampled by the V8 profiler (inspector, 0.5 ms interval) over the measured window only.`,
    `Main thread busy ${int(p.busyMs)} ms of ${int(p.totalMs)} ms sampled. chdb's insert threads and libuv's pool are not sampled, so this is the JS side only.`, '',
    '| area | self time | share of busy |', '|---|---|---|',
    ...p.areas.slice(0, 10).map((a) => `| ${a.area} | ${int(a.selfMs)} ms | ${f1(a.share * 100)} % |`), '',
    '**Top self-time functions (all code)**', '',
    '| share of busy | self | function | where |', '|---|---|---|---|', ...p.top.map(fn), '',
    '**Top self-time functions in our packages**', '',
    '| share of busy | self | function | where |', '|---|---|---|---|', ...p.ours.map(fn), '',
  ];
}

export function renderReport(r: Report, previous = ''): string {
  const m = r.machine;
  const s = r.settings;
  const out: string[] = [
    '# Benchmarks', '',
    `Issue #2's benchmark: ingest through the whole server path against the engine's own ceiling, query latency at ${size(s.queryRows)} rows through the HTTP API, bytes on disk per row and peak memory. Generated by \`${s.command}\` (${f1(r.seconds / 60)} min); the analysis section is written by hand and kept across runs.`, '',
    '## Machine', '',
    `- date: ${m.date}; commit ${m.commit}`,
    `- ${m.cpus} cores (${m.cpuModel}), ${f1(m.memoryBytes / 2 ** 30)} GiB memory, ${m.os}`,
    `- Node ${m.node}, chdb ${m.chdb} (ClickHouse engine ${m.engine})`,
    `- load average (1, 5, 15 min) before / after: ${m.loadBefore.map(f2).join(' ')} / ${m.loadAfter.map(f2).join(' ')} — other work on the machine skews results`, '',
    '## Results', '',
    '| measure | measured | target | ratio | result |', '|---|---|---|---|---|',
  ];
  if (r.ingest) out.push(...ingestRows(r.ingest));
  if (r.queries) {
    const q = r.queries;
    out.push(...q.queries.map((x) => queryRow(x, s.queryRows)));
    out.push(`| bytes on disk per log row (after OPTIMIZE FINAL; before) | ${f1(q.diskAfter.bytes / q.diskAfter.rows)} B (${f1(q.diskBefore.bytes / q.diskBefore.rows)} B) | — | — | |`);
  }
  const rss = [r.ingest && `ingest server ${mb(r.ingest.full.maxRssBytes)}`, r.queries && `query server (incl. loading ${size(s.queryRows)} rows, OPTIMIZE) ${mb(r.queries.maxRssBytes)}`].filter(Boolean).join('; ');
  if (rss) out.push(`| server peak RSS | ${rss} | — | — | |`);
  out.push('');

  if (r.ingest) {
    const i = r.ingest;
    const f = i.full;
    out.push('## Ingest details', '',
      `${s.rounds} round(s); each round runs the direct insert, then the whole path, each in a fresh child process on a fresh temporary data directory, on the same ${int(s.ingestRows)} records (after the same ${int(s.warmupRows)}-record warm-up, not counted). Totals above sum the rounds.`, '',
      '| round / path | records | wall | records/s | CPU | CPU-s per M | peak RSS | rows in otel_logs after |', '|---|---|---|---|---|---|---|---|',
      ...i.rounds.flatMap((x, n) => [pathLine(`${n + 1}: direct`, x.direct), pathLine(`${n + 1}: whole path`, x.full)]), '',
      `Whole path: ${int(f.requests)} requests of ${s.perRequest[0]}–${s.perRequest[1]} records (${int(f.bodyBytes / f.requests / 1024)} KiB protobuf on average), ${s.concurrency} concurrent keep-alive senders (the sender process itself used ${f1(f.senderCpuSeconds)} CPU-s in the last round, not counted), ${f.retries} retries after 429/503 in the last round; the last round's writer made ${f.writer.flushes} flushes (${f.writer.flushesFromLog ?? 0} of them rendered from the write-ahead log rather than from the rows staged in memory; ${int(f.writer.flushedRows)} rows flushed, warm-up included), ${f.writer.flushErrors} flush errors. Direct: ${int(s.directBatchRows)}-row JSONEachRow batches.`, '');
  }
  if (r.queries) {
    const q = r.queries;
    out.push('## Query details', '',
      `${int(q.load.rows)} rows spread over the last 24 h, loaded straight into the server's store in ${int(s.directBatchRows)}-row inserts at ${int(q.load.rows / q.load.seconds)} rows/s (insert time only, ${f1(q.load.cpuSeconds / (q.load.rows / 1e6))} CPU-s per million). Merges settled for ${f1(q.mergeWaitSeconds)} s; ${q.partsAtQueryTime} active parts when timed. Each query ran ${s.runs} times after 2 warm-up runs; the job lookups use ${s.runs} different jobs. Storage time is measured inside the server, from the start of the request's first storage query to the end of its last one.`, '',
      ...queryDetail('As loaded (after merges settled)', q.queries),
      ...queryDetail(`After OPTIMIZE TABLE otel_logs FINAL (${f1(q.optimizeSeconds)} s; ${q.diskAfter.parts} parts)`, q.queriesOptimized),
      '## Bytes on disk', '',
      `otel_logs: ${mb(q.diskBefore.bytes)} in ${q.diskBefore.parts} parts as loaded, ${mb(q.diskAfter.bytes)} in ${q.diskAfter.parts} parts after OPTIMIZE FINAL = **${f1(q.diskAfter.bytes / q.diskAfter.rows)} B per row** (sum of bytes_on_disk of active parts in system.parts). job_states adds ${mb(q.jobStatesBytes)} (${f1(q.jobStatesBytes / q.diskAfter.rows)} B per log row). Skip and text indexes: ${mb(q.indexBytes)} (${f1(q.indexBytes / q.diskAfter.rows)} B per row) of the total. Largest columns (compressed):`, '',
      '| column | bytes | per row |', '|---|---|---|',
      ...q.columns.map((c) => `| ${c.name} | ${mb(c.bytes)} | ${f1(c.bytes / q.diskAfter.rows)} B |`), '');
  }
  if (r.profile) out.push(...profileSection(r.profile, s.profileRows));

  const kept = keptBlock(previous, ANALYSIS_START, ANALYSIS_END) || `${ANALYSIS_START}\n## Analysis\n\n(none yet)\n${ANALYSIS_END}`;
  out.push(kept, '', ...METHOD(s));
  for (const block of otherSections(previous)) out.push(...(out[out.length - 1] === '' ? [] : ['']), block);
  return out.join('\n') + '\n';
}

/**
 * Every section another benchmark wrote (`<!-- NAME-bench:start -->` …
 * `<!-- NAME-bench:end -->`: sdk, agent, fleet, tracing …), in file order:
 * the server's run rewrites the rest and keeps them.
 */
export function otherSections(doc: string): string[] {
  const found: { name: string; block: string }[] = [];
  const re = /<!-- ([a-z]+)-bench:start -->/g;
  for (let m = re.exec(doc); m; m = re.exec(doc)) {
    const block = keptBlock(doc.slice(m.index), m[0], `<!-- ${m[1]}-bench:end -->`);
    if (block) {
      found.push({ name: m[1] as string, block });
      re.lastIndex = m.index + block.length;
    }
  }
  const rank = (n: string): number => (SECTION_ORDER.indexOf(n) + 1) || SECTION_ORDER.length + 1;
  return found.sort((a, b) => rank(a.name) - rank(b.name)).map((f) => f.block);
}
/** Sections in issue order; unknown ones after them, in file order (the sort is stable). */
const SECTION_ORDER = ['sdk', 'agent', 'fleet', 'tracing', 'ui'];

const METHOD = (s: BenchSettings): string[] => [
  '## How it is measured', '',
  `Commands: \`npm run bench\` (builds, then runs \`node scripts/run-bench.mjs\` → \`node packages/server/dist/bench/run.js\`, then the SDK's, the agent's, the fleet's and tracing's benchmarks, each writing its own section below; \`npm run bench -- --only server|sdk|agent|fleet|tracing\` runs one). This run: \`${s.command}\`. Options: \`--quick\` (small smoke run; prints, does not write this file unless \`--out\` is given), \`--out FILE\`, \`--no-ingest\`, \`--no-queries\`, \`--no-profile\`; environment overrides \`BENCH_ROWS\` (ingest records per round, default 3000000), \`BENCH_ROUNDS\` (default 2), \`BENCH_CONCURRENCY\`, \`BENCH_QUERY_ROWS\` (default 10000000), \`BENCH_RUNS\` (default 20), \`BENCH_PROFILE_ROWS\`.`, '',
  '- **Data**: deterministic job logs from 8 machines × 4 workers, 5 service types (comfyui, a1111, ollama, openai, replicate); jobs of 8–13 records (job_received, job_started, progress events, log lines, job_completed or job_failed for 5 %); attributes job_id, model, event_type, duration_ms, step, progress, error_type, attempt; resource machine_id, worker_id, service_type, connector_id; severities DEBUG/INFO/WARN/ERROR (~1.8 % errors); messages from 24 templates with variables (ids, URLs, numbers). Exactly 10 records carry the rare token `zqxcanary`.',
  '- **records/s**: records divided by the wall time from the first request sent (first insert, for the direct path) until every record is queryable — `count()` on otel_logs reaches the expected total, polled every 100 ms (the direct path is queryable when its last insert returns).',
  '- **CPU-s per million records**: user + system CPU of the measuring child process over that window (`process.cpuUsage()`, which covers all of its threads: chdb\'s inserts and background merges, libuv, GC), divided by millions of records. The sender runs in the parent process and is not counted; it shares the same cores, so it does slow the whole path a little.',
  '- **Whole path**: protobuf bodies encoded before timing; POST /v1/logs over keep-alive HTTP with an `x-jobscope-batch-id` per request; decode, normalize, JSONEachRow, write-ahead log (fsync `never`, the default), the flusher inserts every 1 s or 32 MiB with a dedup token.',
  '- **Direct**: the same records, passed through the same decode and normalize before timing, as JSONEachRow buffers of ~100k rows inserted with `ChdbStore.insert` (same schema, same insert settings, materialized view to job_states included, no dedup token).',
  '- **Query latency**: wall time of `fetch()` in the bench process until the whole body is read (includes the HTTP round trip over 127.0.0.1 and JSON encoding); median of the runs. Queries: `GET /api/jobs/<id>` (job state + every record of the job, 3 storage queries), `GET /api/logs?q=zqxcanary&from=now-24h`, `GET /api/stats?q=level:error&by=service_type&interval=1m&from=now-24h`.',
  '- **Bytes per row**: `sum(bytes_on_disk)` of the active parts of otel_logs in `system.parts` divided by their rows (job_states reported separately).',
  '- **Peak RSS**: `process.resourceUsage().maxRSS` of the server child at the end of its phase (the high-water mark of the whole process).',
  '',
];
