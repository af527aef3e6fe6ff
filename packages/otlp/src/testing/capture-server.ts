/**
 * Test helper: a local OTLP/HTTP endpoint that records request bodies
 * (gunzipped if needed) and answers like a receiver, with an empty export
 * response in the request's encoding.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { contentTypeOf } from '../decode.js';
import { CONTENT_TYPES, encodeResponse } from '../encode.js';
import type { Signal } from '../types.js';

export interface Captured {
  path: string;
  contentType: string;
  body: Buffer;
}

const SIGNALS: Record<string, Signal> = { '/v1/logs': 'logs', '/v1/traces': 'traces', '/v1/metrics': 'metrics' };

export class CaptureServer {
  readonly requests: Captured[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const contentType = req.headers['content-type'] ?? '';
        const path = req.url ?? '';
        this.requests.push({ path, contentType, body });
        const enc = contentTypeOf(contentType);
        const signal = SIGNALS[path];
        if (enc === undefined || signal === undefined) {
          res.writeHead(415).end();
          return;
        }
        res.writeHead(200, { 'content-type': CONTENT_TYPES[enc] }).end(Buffer.from(encodeResponse(signal, undefined, enc)));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Requests to `path`, emptying the list. */
  take(path: string): Captured[] {
    const out = this.requests.filter((r) => r.path === path);
    this.requests.splice(0, this.requests.length, ...this.requests.filter((r) => r.path !== path));
    return out;
  }
}

/** hrtime [seconds, nanos] to an exact ns decimal string. */
export function hrToNs(t: readonly [number, number]): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}
