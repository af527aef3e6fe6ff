#!/usr/bin/env node
// Runs the compiled benchmark (packages/server/dist/bench/run.js), passing
// arguments through: `npm run bench -- --quick`. Writes docs/benchmarks.md.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const entry = `${root}packages/server/dist/bench/run.js`;
if (!existsSync(entry)) {
  console.error('packages/server/dist/bench/run.js not found (run the build first: npm run build)');
  process.exit(1);
}
const r = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16' },
});
process.exit(r.status ?? 1);
