/**
 * Child process of crash.test.ts (not a test file itself): tails
 * `<logDir>/*.log` and appends each delivered body to `<out>` synchronously
 * before resolving (the consumer's "durable"), until it is killed.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestBySignal } from '@jobscope/otlp';
import { createFileTailReceiver } from '../receiver.js';

const [logDir, checkpointFile, out] = process.argv.slice(2);
const r = createFileTailReceiver(async (t) => {
  const bodies: string[] = [];
  for (const rl of (t.request as RequestBySignal['logs']).resourceLogs) {
    for (const sl of rl.scopeLogs) for (const rec of sl.logRecords) bodies.push(String(rec.body));
  }
  appendFileSync(out, bodies.join('\n') + '\n');
}, { include: [join(logDir, '*.log')], checkpointFile, pollIntervalMs: 5, rescanIntervalMs: 20, maxBatchLines: 13 });
await r.start();
process.stdout.write('ready\n');
