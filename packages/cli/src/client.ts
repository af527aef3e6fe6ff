/** A small HTTP client for the Jobscope API (fetch), with clear errors. */
import { CliError } from './command.js';

export interface ClientOptions { server: string; token?: string }

export function clientOptions(v: { server?: string; token?: string }): ClientOptions {
  const server = (v.server ?? process.env.JOBSCOPE_URL ?? 'http://127.0.0.1:4318').replace(/\/+$/, '');
  try { new URL(server); } catch { throw new CliError(`--server must be a URL (got '${server}')`); }
  return { server, token: v.token ?? process.env.JOBSCOPE_TOKEN };
}

export function headers(o: ClientOptions): Record<string, string> {
  return o.token ? { authorization: `Bearer ${o.token}` } : {};
}

export async function getJson<T>(o: ClientOptions, path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  return JSON.parse(await getText(o, path, params)) as T;
}

/** The body of a successful GET, as text (for answers printed as they are). */
export async function getText(o: ClientOptions, path: string, params: Record<string, string | undefined> = {}): Promise<string> {
  const url = new URL(o.server + path);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, { headers: headers(o) });
  } catch (err) {
    throw new CliError(`cannot reach the Jobscope server at ${o.server}: ${((err as Error).cause as Error)?.message ?? (err as Error).message} (is it running? see --server)`, 1);
  }
  const text = await res.text();
  if (!res.ok) {
    let msg = text;
    try { msg = (JSON.parse(text) as { message?: string }).message ?? text; } catch { /* keep text */ }
    throw new CliError(`server answered ${res.status}: ${msg}`, 1);
  }
  return text;
}

/** Reads a Server-Sent Events stream, calling onEvent for each `data:` payload. */
export async function readSse(o: ClientOptions, path: string, params: Record<string, string | undefined>, onEvent: (event: string, data: string) => void, signal?: AbortSignal): Promise<void> {
  const url = new URL(o.server + path);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  const res = await fetch(url, { headers: { ...headers(o), accept: 'text/event-stream' }, signal }).catch((err: Error) => {
    throw new CliError(`cannot reach the Jobscope server at ${o.server}: ${err.message}`, 1);
  });
  if (!res.ok || !res.body) throw new CliError(`live tail failed: server answered ${res.status}: ${await res.text()}`, 1);
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let idx;
    while ((idx = buf.indexOf('\n\n')) !== -1) {
      const block = buf.slice(0, idx);
      buf = buf.slice(idx + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}
