import { startDemo, type Demo } from '@jobscope/sim';
import { runServer, serverConfigFrom, uiLine } from './server.js';
import { demoBanner, demoOptionsFrom, demoSummary } from './demo.js';
import type { Command } from '../command.js';

const USAGE = `Usage: jobscope start [server options] [--no-demo]

What \`npm start\` runs: the server with embedded storage and a small
simulated fleet (3 machines, 2-4 workers each, each machine with its own
agent; \`jobscope demo --help\` for the fleet), printing the URL of the web
UI. Takes the same options as \`jobscope server\` (--no-ui: no web UI);
honours PORT and JOBSCOPE_DATA. --no-demo starts the server alone.
`;

export const startCommand: Command = {
  summary: 'start the server with embedded storage and a simulated fleet (what `npm start` runs)',
  async run(argv) {
    const noDemo = argv.includes('--no-demo');
    const config = serverConfigFrom(argv.filter((a) => a !== '--no-demo'), USAGE);
    if (!config) return 0;
    let demo: Demo | null = null;
    return await runServer(config, async (url, s) => {
      process.stdout.write([
        '',
        `  Jobscope is running at ${url}`,
        `  ${uiLine(url, config, argv)}`,
        `  storage:  ${s.store.kind} ClickHouse in ${s.store.location}`,
        `  ingest:   OTLP/HTTP ${url}/v1/logs  /v1/traces  /v1/metrics`,
        `  query:    ${url}/api/logs?q=level:error   ·   jobscope logs --server ${url}`,
      ].join('\n') + '\n');
      if (!noDemo) {
        const o = demoOptionsFrom({}, url, config.dataDir);
        if (config.token) o.token = config.token;
        try {
          demo = await startDemo(o);
          process.stdout.write(demoBanner(demo, o));
        } catch (e) {
          process.stdout.write(`  fleet:    not started (${(e as Error).message}); the server runs alone\n`);
        }
      }
      process.stdout.write('  stop:     Ctrl-C (data is flushed and kept)\n\n');
    }, async () => {
      if (!demo) return;
      const d: Demo = demo;
      process.stderr.write('jobscope: stopping the fleet (agents deliver what they hold, up to 10 s)…\n');
      await d.stop();
      process.stderr.write(demoSummary(d));
    });
  },
};
