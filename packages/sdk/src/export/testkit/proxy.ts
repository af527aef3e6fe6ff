/**
 * A fault-injecting HTTP proxy in front of a real server. For each request
 * a policy decides: pass it through, answer an error (with Retry-After),
 * hold it without answering (never forwarded), or forward it and hold the
 * answer (the server stored the batch, the client never hears of it).
 * Held requests are released (connection destroyed) by close().
 */
import http from 'node:http';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'forward-then-hang' };

export interface Attempt {
  batchId: string;
  at: number;
  fault: Fault['kind'];
  status?: number;
}

export class FaultProxy {
  readonly attempts: Attempt[] = [];
  #server: http.Server;
  #held = new Set<http.ServerResponse>();
  #target: string;
  policy: (n: number, batchId: string) => Fault = () => ({ kind: 'pass' });

  constructor(target: string) {
    this.#target = target;
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.#server.address() as { port: number }).port}`;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const batchId = String(req.headers['x-jobscope-batch-id'] ?? '');
    const fault = this.policy(this.attempts.length, batchId);
    const attempt: Attempt = { batchId, at: Date.now(), fault: fault.kind };
    this.attempts.push(attempt);
    if (fault.kind === 'status') {
      attempt.status = fault.status;
      if (fault.retryAfter !== undefined) res.setHeader('retry-after', fault.retryAfter);
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('injected');
      return;
    }
    if (fault.kind === 'hang') {
      this.#held.add(res);
      return;
    }
    const headers: Record<string, string> = {};
    for (const k of ['content-type', 'content-encoding', 'x-jobscope-batch-id', 'authorization']) {
      const v = req.headers[k];
      if (typeof v === 'string') headers[k] = v;
    }
    const r = await fetch(`${this.#target}${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) }).catch(() => null);
    const body = r ? Buffer.from(await r.arrayBuffer()) : Buffer.alloc(0);
    attempt.status = r?.status ?? 502;
    if (fault.kind === 'forward-then-hang') {
      this.#held.add(res);
      return;
    }
    const h: Record<string, string> = {};
    r?.headers.forEach((v, k) => { if (k === 'content-type' || k === 'retry-after') h[k] = v; });
    res.writeHead(r?.status ?? 502, h).end(body);
  }

  async close(): Promise<void> {
    for (const res of this.#held) res.socket?.destroy();
    this.#held.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}
