/**
 * Fluent forward protocol v1 receiver (fluentd in_forward compatible, TCP):
 * Message, Forward, PackedForward and CompressedPackedForward modes,
 * EventTime, { ack: chunk } replies once the data is durable, push-back by
 * pausing the socket, and the optional shared-key handshake.
 *
 * Not done: TLS, user/password auth, fluentd's JSON framing, compression
 * other than gzip, and the UDP heartbeat (optional in the spec; a client
 * configured for it falls back to its TCP checks). A nil message (TCP
 * heartbeat) is accepted and ignored.
 *
 * Bad data only ever closes the connection that sent it; stats() says why.
 * A client's FIN is a half-close: what it fully sent is still delivered and
 * acked; only a reset / closed socket stops the retries of a pushed-back message.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { JobscopeError } from '@jobscope/core';
import type { TelemetryConsumer } from '../../telemetry.js';
import { resolveForwardReceiverConfig, type ForwardReceiverConfig } from './config.js';
import { ForwardConnection } from './connection.js';
import { emptyForwardStats, type ForwardReceiverStats } from './stats.js';

export interface ForwardReceiver {
  /** Binds host:port; resolves with the bound address (the real port when port is 0). */
  listen(): Promise<{ host: string; port: number }>;
  /** Stops accepting, closes every connection (unacked data is resent by clients), and waits for pending `next` calls. */
  close(): Promise<void>;
  stats(): ForwardReceiverStats;
}

export function createForwardReceiver(next: TelemetryConsumer, config: Partial<ForwardReceiverConfig> = {}): ForwardReceiver {
  const c = resolveForwardReceiverConfig(config);
  const counters = emptyForwardStats();
  const conns = new Set<ForwardConnection>();
  let server: Server | undefined;
  let closing = false;

  const onConnection = (socket: Socket): void => {
    socket.on('error', () => { /* handled per connection; a refused one may reset */ });
    if (closing || conns.size >= c.maxConnections) {
      counters.refused++;
      socket.destroy();
      return;
    }
    conns.add(new ForwardConnection(socket, next, c, counters, (conn) => conns.delete(conn)));
  };

  return {
    async listen() {
      if (closing) throw new JobscopeError('JS_INTERNAL', 'fluent_forward receiver is closed');
      if (server !== undefined) throw new JobscopeError('JS_INTERNAL', 'fluent_forward receiver is already listening');
      // allowHalfOpen: a client may send, shut its side and still wait for its acks.
      const s = createServer({ allowHalfOpen: true }, onConnection);
      server = s;
      try {
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(c.port, c.host, () => { s.off('error', reject); resolve(); });
        });
      } catch (err) {
        server = undefined;
        throw new JobscopeError('JS_CONFIG', `fluent_forward cannot listen on ${c.host}:${c.port}: ${(err as Error).message}`, { cause: err });
      }
      s.on('error', () => { /* accept errors (EMFILE...) must not take the process down */ });
      const a = s.address() as AddressInfo;
      return { host: a.address, port: a.port };
    },

    async close() {
      closing = true;
      const s = server;
      const stopped = s === undefined ? Promise.resolve() : new Promise<void>((resolve) => s.close(() => resolve()));
      await Promise.all([...conns].map((conn) => conn.close()));
      await stopped;
    },

    stats() {
      return { ...counters, connections: conns.size };
    },
  };
}
