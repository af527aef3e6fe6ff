import { runServer, serverConfigFrom } from './server.js';
import type { Command } from '../command.js';

const USAGE = `Usage: jobscope start [server options]

What \`npm start\` runs: the server with embedded storage, printing its URL.
Takes the same options as \`jobscope server\`; honours PORT and JOBSCOPE_DATA.
`;

export const startCommand: Command = {
  summary: 'start the server with embedded storage (what `npm start` runs)',
  async run(argv) {
    const config = serverConfigFrom(argv, USAGE);
    if (!config) return 0;
    return await runServer(config, (url, s) => {
      process.stdout.write([
        '',
        `  Jobscope is running at ${url}`,
        `  storage:  ${s.store.kind} ClickHouse in ${s.store.location}`,
        `  ingest:   OTLP/HTTP ${url}/v1/logs  /v1/traces  /v1/metrics`,
        `  query:    ${url}/api/logs?q=level:error   ·   jobscope logs --server ${url}`,
        '  stop:     Ctrl-C (data is flushed and kept)',
        '',
      ].join('\n') + '\n');
    });
  },
};
