/** Shared helpers of the fluent_forward tests (not a test file itself). */
import { connect, type Socket } from 'node:net';
import type { LogRecord } from '@jobscope/otlp';
import type { Telemetry, TelemetryConsumer } from '../../../telemetry.js';
import { decodeValue, encodeValue } from '../codec.js';
import type { ForwardReceiverConfig } from '../config.js';
import { MessageScanner } from '../frame.js';
import { createForwardReceiver, type ForwardReceiver } from '../receiver.js';

export interface Collected {
  consumer: TelemetryConsumer;
  items: Telemetry[];
  /** Every delivered record with the tag of its message. */
  records(): Array<LogRecord & { tag: string }>;
}

/** A consumer that keeps what it is given (optionally running `hook` first, which may throw). */
export function collect(hook?: (t: Telemetry, call: number) => Promise<void> | void): Collected {
  const items: Telemetry[] = [];
  let calls = 0;
  return {
    items,
    consumer: async (t) => {
      calls++;
      if (hook) await hook(t, calls);
      items.push(t);
    },
    records: () => items.flatMap((t) => {
      const req = t.request as { resourceLogs: Array<{ resource: { attributes: Record<string, unknown> }; scopeLogs: Array<{ logRecords: LogRecord[] }> }> };
      return req.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => ({ ...r, tag: String(rl.resource.attributes['fluent.tag']) }))));
    }),
  };
}

export interface Started {
  receiver: ForwardReceiver;
  port: number;
}

export async function start(t: { after(fn: () => Promise<void>): void }, next: TelemetryConsumer, config: Partial<ForwardReceiverConfig> = {}): Promise<Started> {
  const receiver = createForwardReceiver(next, { host: '127.0.0.1', port: 0, ...config });
  const { port } = await receiver.listen();
  t.after(() => receiver.close());
  return { receiver, port };
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const encode = (v: unknown): Buffer => Buffer.from(encodeValue(v));

/** A raw TCP client that decodes what the server sends back. */
export class RawClient {
  readonly socket: Socket;
  readonly replies: unknown[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  private buf = Buffer.alloc(0);
  private readonly connected: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('error', () => { /* the server may reset us on purpose */ });
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.closed = new Promise((resolve) => this.socket.once('close', () => { this.isClosed = true; resolve(); }));
    this.socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      const scanner = new MessageScanner(1 << 30);
      for (let n = scanner.scan(this.buf); n > 0; scanner.reset(), n = scanner.scan(this.buf)) {
        this.replies.push(decodeValue(this.buf.subarray(0, n)));
        this.buf = this.buf.subarray(n);
      }
    });
  }

  static async open(port: number): Promise<RawClient> {
    const c = new RawClient(port);
    await c.connected;
    return c;
  }

  send(b: Uint8Array): void {
    this.socket.write(b);
  }

  /** Waits for the reply number `index` (0-based). */
  async reply(index = 0, timeoutMs = 4000): Promise<unknown> {
    await waitFor(() => this.replies.length > index, `reply #${index}`, timeoutMs);
    return this.replies[index];
  }

  async waitClosed(timeoutMs = 4000): Promise<void> {
    await waitFor(() => this.isClosed, 'the server to close the connection', timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Sends a good Message with a chunk on a fresh connection and checks it is acked and delivered. */
export async function assertServes(port: number, c: Collected, tag = 'still.ok'): Promise<void> {
  const client = await RawClient.open(port);
  const before = c.items.length;
  client.send(encode([tag, 1_700_000_000, { message: 'alive' }, { chunk: `ok-${tag}` }]));
  const reply = await client.reply();
  if (JSON.stringify(reply) !== JSON.stringify({ ack: `ok-${tag}` })) throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
  if (c.items.length !== before + 1) throw new Error('the good message was not delivered');
  client.destroy();
}
