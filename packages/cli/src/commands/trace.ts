import { clientOptions, getText } from '../client.js';
import { CliError, parse, type Command } from '../command.js';
import { formatWaterfall, type WaterfallTrace } from '../waterfall.js';

const USAGE = `Usage: jobscope trace TRACE_ID [options]

Shows one trace as a waterfall: every span in tree order, indented by depth,
with its service, duration, and a bar on the trace's time axis. Errors are
marked ✗ with their status message; spans whose parent never arrived
(orphans) are listed at the top level and said so.

TRACE_ID is 32 hex digits (a job's trace ids are in \`jobscope job ID\`).

Options:
  --json          the API's answer as JSON (the span tree with every field)
  --dataset NAME  only spans of this dataset
  --server URL    Jobscope server (default http://127.0.0.1:4318, env JOBSCOPE_URL)
  --token TOKEN   bearer token (env JOBSCOPE_TOKEN)
`;

export const traceCommand: Command = {
  summary: 'show a trace as a waterfall of its spans (services, durations, errors)',
  async run(argv) {
    const p = parse(argv, { json: { type: 'boolean' }, dataset: { type: 'string' }, server: { type: 'string' }, token: { type: 'string' } } as const, USAGE);
    if (!p) return 0;
    const id = p.positionals[0];
    if (!id) throw new CliError(`a trace id is required\n\n${USAGE}`);
    if (p.positionals.length > 1) throw new CliError(`one trace id at a time (got ${p.positionals.length} arguments)\n\n${USAGE}`);
    if (!/^[0-9a-fA-F]{32}$/.test(id) || /^0+$/.test(id)) throw new CliError(`'${id.slice(0, 40)}' is not a trace id: 32 hex digits, not all zero`);
    const o = clientOptions(p.values);
    const text = await getText(o, `/api/traces/${id.toLowerCase()}`, { dataset: p.values.dataset });
    if (p.values.json) {
      // As the server wrote it: a deep tree is more than JSON.stringify can re-indent.
      process.stdout.write(text + '\n');
      return 0;
    }
    const t = JSON.parse(text) as WaterfallTrace;
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    process.stdout.write(formatWaterfall(t, { color, width: process.stdout.columns || 120 }));
    return 0;
  },
};
