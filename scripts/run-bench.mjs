#!/usr/bin/env node
// `npm run bench`: the server's benchmark (packages/server/dist/bench/run.js,
// issue #2), the SDK's (packages/sdk/dist/bench/run.js, issue #3), the
// agent's (packages/agent/dist/bench/run.js, issue #4), the fleet's in
// load mode (packages/sim/dist/bench/run.js, issue #5) and tracing's
// (packages/sdk/dist/bench/tracing/run.js, issue #6) and the web UI's in a
// browser (packages/ui/dist/node/bench/run.js, issue #7), all into
// docs/benchmarks.md: the server's run rewrites the file and keeps the other
// sections; the others replace only their own section.
//
//   npm run bench [-- --quick] [-- --out FILE] [-- --only server|sdk|agent|fleet|tracing|ui] [server options: --no-ingest …]
//
// --quick prints without writing docs/benchmarks.md (unless --out is given),
// as the server's benchmark does.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const at = (name) => args.indexOf(name);
const only = at('--only') >= 0 ? args[at('--only') + 1] : undefined;
const SECTIONS = ['server', 'sdk', 'agent', 'fleet', 'tracing', 'ui'];
if (only !== undefined && !SECTIONS.includes(only)) {
  console.error(`--only must be one of ${SECTIONS.join(', ')} (got '${only}')`);
  process.exit(2);
}
const passed = args.filter((a, i) => a !== '--only' && args[i - 1] !== '--only');
const quick = passed.includes('--quick');
const outArg = at('--out') >= 0 ? args[at('--out') + 1] : undefined;
const out = outArg ?? (quick ? undefined : `${root}docs/benchmarks.md`);

function run(entry, entryArgs) {
  if (!existsSync(`${root}${entry}`)) {
    console.error(`${entry} not found (run the build first: npm run build)`);
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [`${root}${entry}`, ...entryArgs], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16' },
  });
  return r.status ?? 1;
}

let status = 0;
const sectionArgs = [...(quick ? ['--quick'] : []), ...(out ? ['--out', out] : [])];
if (only === undefined || only === 'server') status = run('packages/server/dist/bench/run.js', passed);
if ((only === undefined || only === 'sdk') && status === 0) status = run('packages/sdk/dist/bench/run.js', sectionArgs);
if ((only === undefined || only === 'agent') && status === 0) status = run('packages/agent/dist/bench/run.js', sectionArgs);
if ((only === undefined || only === 'fleet') && status === 0) status = run('packages/sim/dist/bench/run.js', sectionArgs);
if ((only === undefined || only === 'tracing') && status === 0) status = run('packages/sdk/dist/bench/tracing/run.js', sectionArgs);
if ((only === undefined || only === 'ui') && status === 0) status = run('packages/ui/dist/node/bench/run.js', sectionArgs);
process.exit(status);
