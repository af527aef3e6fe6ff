/**
 * Configuration of the Fluent forward receiver (TCP, msgpack). The forward
 * protocol has no transport security of its own: by default it may only
 * listen on a loopback address unless a shared key is set (or the operator
 * says `insecure: true` explicitly, e.g. behind a private network).
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { JobscopeError } from '@jobscope/core';

export interface ForwardReceiverConfig {
  /** Address to bind. */
  host: string;
  /** TCP port; 0 picks an ephemeral one (see listen()). */
  port: number;
  /** Largest single msgpack message, in bytes, including what is buffered for it. */
  maxMessageBytes: number;
  /** Largest decompressed payload of one CompressedPackedForward message (gzip bomb guard). */
  maxDecompressedBytes: number;
  /** Open connections beyond this are closed at once. */
  maxConnections: number;
  /** Enables the HELO / PING / PONG shared-key handshake of the spec. */
  sharedKey?: string;
  /** Our hostname in PONG (must differ from the client's). */
  selfHostname: string;
  /** Allow a non-loopback host without a shared key. */
  insecure: boolean;
  /** A connection idle (no bytes, nothing being delivered) this long is closed. */
  idleTimeoutMs: number;
}

export const DEFAULT_FORWARD_RECEIVER_CONFIG: Readonly<ForwardReceiverConfig> = {
  host: '127.0.0.1',
  port: 24224,
  maxMessageBytes: 16 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
  maxConnections: 1024,
  selfHostname: hostname(),
  insecure: false,
  idleTimeoutMs: 5 * 60 * 1000,
};

/** Defaults merged with `config` (undefined values keep the default), validated. */
export function resolveForwardReceiverConfig(config: Partial<ForwardReceiverConfig> = {}): ForwardReceiverConfig {
  const c: ForwardReceiverConfig = { ...DEFAULT_FORWARD_RECEIVER_CONFIG };
  for (const [k, v] of Object.entries(config)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  validateForwardReceiverConfig(c);
  return c;
}

export function validateForwardReceiverConfig(c: ForwardReceiverConfig): void {
  const bad = (msg: string): never => { throw new JobscopeError('JS_CONFIG', `fluent_forward.${msg}`); };
  const posInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  if (typeof c.host !== 'string' || c.host === '') bad('host must be a non-empty address');
  if (!(typeof c.port === 'number' && Number.isInteger(c.port) && c.port >= 0 && c.port <= 65535)) bad('port must be 0-65535');
  if (!posInt(c.maxMessageBytes)) bad('maxMessageBytes must be a positive integer');
  if (!posInt(c.maxDecompressedBytes)) bad('maxDecompressedBytes must be a positive integer');
  if (!posInt(c.maxConnections)) bad('maxConnections must be a positive integer');
  if (!posInt(c.idleTimeoutMs)) bad('idleTimeoutMs must be a positive integer');
  if (typeof c.selfHostname !== 'string' || c.selfHostname === '') bad('selfHostname must be a non-empty string');
  if (c.sharedKey !== undefined && (typeof c.sharedKey !== 'string' || c.sharedKey === '')) bad('sharedKey must be a non-empty string when set');
  if (typeof c.insecure !== 'boolean') bad('insecure must be a boolean');
  if (!isLoopback(c.host) && c.sharedKey === undefined && !c.insecure) {
    bad(`host ${c.host} is not a loopback address: set sharedKey, or insecure: true to accept unauthenticated senders from the network`);
  }
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
