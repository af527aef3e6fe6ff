/**
 * The fetch client: bearer token from localStorage, JSON errors as ApiError,
 * a 401 raises the token prompt, and Server-Sent Events read over fetch (not
 * EventSource, which cannot send an Authorization header).
 */
import { createStore } from './store.js';

const TOKEN_KEY = 'jobscope.token';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** True while a request was refused for want of a (right) token. */
export const authNeeded = createStore(false);
/** Bumped when the token changes, so pages fetch again. */
export const authVersion = createStore(0);

export function getToken(): string {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setToken(token: string): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch { /* storage disabled: the token lives until reload */ }
  memoryToken = token;
  authNeeded.set(false);
  authVersion.set(authVersion.get() + 1);
}

let memoryToken = getToken();

export type Params = Record<string, string | number | null | undefined>;

export function apiUrl(path: string, params: Params = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `${path}?${s}` : path;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json', ...extra };
  const token = memoryToken || getToken();
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

async function failure(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: string; message?: string };
    if (body.error) code = body.error;
    if (body.message) message = body.message;
  } catch { /* not JSON */ }
  if (res.status === 401) {
    authNeeded.set(true);
    message = 'This server needs an access token.';
  }
  return new ApiError(res.status, code, message);
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** GET a JSON answer; throws ApiError (or an AbortError when `signal` fires). */
export async function apiGet<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path, params), { headers: headers(), signal });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError(0, 'NETWORK', `The server did not answer (${(e as Error).message}).`);
  }
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export interface SseHandlers {
  onOpen?: () => void;
  onEvent: (event: string, data: string) => void;
}

/**
 * Reads an SSE stream until it ends or `signal` fires. Resolves when the
 * server closes the stream; throws ApiError on a refused request.
 */
export async function readSse(path: string, params: Params, handlers: SseHandlers, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path, params), { headers: headers({ accept: 'text/event-stream' }), signal });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError(0, 'NETWORK', `The server did not answer (${(e as Error).message}).`);
  }
  if (!res.ok) throw await failure(res);
  if (!res.body) throw new ApiError(0, 'NETWORK', 'The live stream has no body.');
  handlers.onOpen?.();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let event = 'message';
  let data: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line === '') {
        if (data.length > 0) handlers.onEvent(event, data.join('\n'));
        event = 'message';
        data = [];
      } else if (line.startsWith(':')) {
        // comment / heartbeat
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = val;
        else if (field === 'data') data.push(val);
      }
    }
  }
}
