import { clientOptions, getJson, readSse } from '../client.js';
import { CliError, parse, parseDuration, type Command } from '../command.js';
import { formatLog, type LogView } from '../format.js';

const USAGE = `Usage: jobscope logs [options]

Searches logs and events, newest first; --follow then streams new ones live.

Options:
  --job ID        only this job's records (job_id:ID)
  --query Q, -q Q search language, e.g. 'service_type:comfyui level:error "out of memory"'
  --since DUR     how far back (default 1h; e.g. 15m, 24h, 7d)
  --limit N       most records to print (default 100, at most 10000)
  --follow, -f    keep streaming new records (live tail)
  --json          one JSON object per line
  --server URL    Jobscope server (default http://127.0.0.1:4318, env JOBSCOPE_URL)
  --token TOKEN   bearer token (env JOBSCOPE_TOKEN)
`;

const OPTIONS = {
  job: { type: 'string' }, query: { type: 'string', short: 'q' }, since: { type: 'string' },
  limit: { type: 'string' }, follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' },
  server: { type: 'string' }, token: { type: 'string' },
} as const;

/** Quotes a value for the search language. */
export function quoteValue(v: string): string {
  return /^[\w.\-:/@]+$/.test(v) ? v : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export const logsCommand: Command = {
  summary: 'search logs and events, or follow them live (--follow)',
  async run(argv) {
    const p = parse(argv, OPTIONS, USAGE);
    if (!p) return 0;
    const v = p.values;
    const o = clientOptions(v);
    const limit = v.limit === undefined ? 100 : Number(v.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new CliError('--limit must be a whole number from 1 to 10000');
    const q = [v.job ? `job_id:${quoteValue(v.job)}` : '', v.query ?? '', ...p.positionals].filter(Boolean).join(' ');
    const from = new Date(Date.now() - parseDuration(v.since ?? '1h')).toISOString();
    const print = (r: LogView): void => { process.stdout.write((v.json ? JSON.stringify(r) : formatLog(r)) + '\n'); };

    const page = await getJson<{ rows: LogView[] }>(o, '/api/logs', { q, from, limit: String(limit) });
    // Newest first from the API; a terminal reads best oldest → newest.
    for (const r of page.rows.slice().reverse()) print(r);
    if (!v.follow) return 0;
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    try {
      await readSse(o, '/api/tail', { q }, (event, data) => {
        if (event === 'logs') for (const r of JSON.parse(data) as LogView[]) print(r);
        else if (event === 'dropped') process.stderr.write(`jobscope: live tail skipped ${data} records (terminal too slow)\n`);
      }, ac.signal);
    } catch (err) {
      if (!ac.signal.aborted) throw err;
    }
    return 0;
  },
};
