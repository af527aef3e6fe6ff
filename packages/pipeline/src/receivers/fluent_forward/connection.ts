/**
 * One client connection. Bytes are framed into whole messages (frame.ts);
 * messages are handled strictly one at a time and in order, with the socket
 * paused meanwhile so that TCP pushes back on the client. A message becomes
 * one Telemetry handed to `next`; { ack: chunk } is written only after
 * `next` resolved (the data is durable). When `next` pushes back
 * (JS_OVERLOADED / JS_UNAVAILABLE) the same telemetry is offered again after
 * retryAfter seconds (default 1, at most 30) until it is taken or the
 * connection goes away. Any other failure of `next`, and any protocol
 * error, closes the connection without an ack: the client resends.
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Telemetry, TelemetryConsumer } from '../../telemetry.js';
import { logsRequest } from '../shared/structured-log.js';
import { encodeValue } from './codec.js';
import type { ForwardReceiverConfig } from './config.js';
import { ByteQueue, FrameError, MessageScanner } from './frame.js';
import { checkPing, startHandshake, type Handshake } from './handshake.js';
import { parseForwardMessage } from './protocol.js';
import type { ForwardReceiverStats } from './stats.js';

export const FORWARD_SCOPE_NAME = 'jobscope.agent.fluent_forward';
const PUSH_BACK_CODES = new Set(['JS_OVERLOADED', 'JS_UNAVAILABLE']);
const MAX_RETRY_AFTER_S = 30;
const MIN_RETRY_DELAY_MS = 10;
/** A client must finish the shared-key handshake this fast (so unauthenticated ones cannot hold connection slots). */
const HANDSHAKE_TIMEOUT_MS = 30_000;

export class ForwardConnection {
  private readonly queue: ByteQueue;
  private readonly scanner: MessageScanner;
  private readonly aborter = new AbortController();
  private handshake: Handshake | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private busy = false;
  private paused = false;
  private eof = false;
  private closed = false;
  /** Settles when the current pump (and any `next` call it awaits) is over. */
  private pumping: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Socket,
    private readonly next: TelemetryConsumer,
    private readonly c: ForwardReceiverConfig,
    private readonly stats: ForwardReceiverStats,
    private readonly onClose: (conn: ForwardConnection) => void,
  ) {
    this.scanner = new MessageScanner(c.maxMessageBytes);
    this.queue = new ByteQueue(c.maxMessageBytes + 128 * 1024); // one message plus about a TCP read
    socket.setNoDelay(true);
    socket.setTimeout(c.idleTimeoutMs);
    socket.on('timeout', () => {
      if (this.closed) return;
      if (this.busy) return socket.setTimeout(c.idleTimeoutMs); // delivering (maybe waiting out push-back): not idle
      if (this.handshake !== undefined) this.stats.authFailures++;
      this.destroy();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => { this.eof = true; this.kick(); });
    socket.on('error', () => { /* reset by peer etc.: 'close' follows */ });
    socket.on('close', () => this.onClosed());
    if (c.sharedKey !== undefined) {
      this.handshake = startHandshake();
      socket.write(this.handshake.helo);
      this.handshakeTimer = setTimeout(() => {
        if (this.handshake === undefined || this.closed) return;
        this.stats.authFailures++;
        this.destroy();
      }, Math.min(HANDSHAKE_TIMEOUT_MS, c.idleTimeoutMs));
      this.handshakeTimer.unref();
    }
  }

  /** Closes now; resolves once no `next` call of this connection is pending. */
  async close(): Promise<void> {
    this.destroy();
    await this.pumping;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.queue.append(chunk);
    // Normally paused while busy; this guards against a stray chunk piling up.
    if (this.queue.length > 2 * this.c.maxMessageBytes + chunk.length) return this.fail(new FrameError('oversize', 'too many buffered bytes'));
    this.kick();
  }

  private kick(): void {
    if (this.busy || this.closed) return;
    this.busy = true;
    this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (!this.closed) {
        const n = this.scanner.scan(this.queue.view());
        if (n === 0) break;
        this.scanner.reset();
        const msg = this.queue.take(n);
        if (!this.paused) { this.paused = true; this.socket.pause(); }
        await this.handle(msg);
      }
      if (this.eof && !this.closed) {
        if (this.queue.length > 0) throw new FrameError('malformed', 'connection ended inside a message');
        this.socket.end();
      }
    } catch (err) {
      this.fail(err);
    }
    this.busy = false;
    if (this.paused && !this.closed && !this.eof) { this.paused = false; this.socket.resume(); }
  }

  private async handle(msg: Buffer): Promise<void> {
    if (this.handshake !== undefined) return this.handlePing(msg, this.handshake);
    const m = await parseForwardMessage(msg, this.c.maxDecompressedBytes);
    if (m.kind === 'heartbeat' || this.closed) return;
    this.stats.skipped += m.skipped;
    if (m.records.length > 0) {
      const t: Telemetry = { signal: 'logs', request: logsRequest({ 'fluent.tag': m.tag }, FORWARD_SCOPE_NAME, m.records) };
      if (!(await this.deliver(t))) return;
      this.stats.records += m.records.length; // durable even if the connection closed meanwhile (the client resends)
    }
    this.stats.messages++;
    if (m.chunk !== undefined && !this.closed) {
      this.stats.acks++;
      await this.write(encodeValue({ ack: m.chunk }));
    }
  }

  private async handlePing(msg: Buffer, hs: Handshake): Promise<void> {
    const r = checkPing(msg, hs, this.c.sharedKey!, this.c.selfHostname);
    clearTimeout(this.handshakeTimer);
    if (r.ok) {
      this.handshake = undefined;
      await this.write(r.pong);
      return;
    }
    this.stats.authFailures++;
    // Let the PONG reach the client, then close; whatever else it sends is read and dropped.
    this.closed = true;
    this.aborter.abort();
    this.socket.end(r.pong);
    this.socket.resume();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Offers `t` to next until it is taken (true) or the connection is gone / next failed (false). */
  private async deliver(t: Telemetry): Promise<boolean> {
    for (;;) {
      if (this.closed) return false;
      try {
        await this.next(t);
        return true;
      } catch (err) {
        if (this.closed) return false;
        const code = (err as { code?: unknown } | null)?.code;
        if (typeof code !== 'string' || !PUSH_BACK_CODES.has(code)) {
          this.stats.consumerErrors++;
          this.destroy();
          return false;
        }
        this.stats.backpressureWaits++;
        await sleep(retryDelayMs(err), undefined, { signal: this.aborter.signal }).catch(() => undefined);
      }
    }
  }

  /** Writes and, if the client is not reading, waits for it to drain (or the connection to close). */
  private async write(b: Uint8Array): Promise<void> {
    if (this.closed) return;
    if (this.socket.write(b)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => { this.socket.off('drain', done); this.socket.off('close', done); resolve(); };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    if (err instanceof FrameError && err.kind === 'oversize') this.stats.oversize++;
    else this.stats.malformed++;
    this.destroy();
  }

  private destroy(): void {
    this.closed = true;
    this.aborter.abort();
    this.socket.destroy();
  }

  private onClosed(): void {
    clearTimeout(this.handshakeTimer);
    this.closed = true;
    this.aborter.abort();
    this.onClose(this);
  }
}

function retryDelayMs(err: unknown): number {
  const ra = (err as { retryAfter?: unknown }).retryAfter;
  const s = typeof ra === 'number' && Number.isFinite(ra) && ra >= 0 ? Math.min(ra, MAX_RETRY_AFTER_S) : 1;
  return Math.max(MIN_RETRY_DELAY_MS, s * 1000);
}
