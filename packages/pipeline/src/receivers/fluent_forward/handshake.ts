/**
 * The shared-key handshake of forward protocol v1 (server side):
 *   server → ['HELO', {nonce, auth: '', keepalive: true}]
 *   client → ['PING', client_hostname, salt, sha512_hex(salt + client_hostname + nonce + key), username, password_digest]
 *   server → ['PONG', true, '', server_hostname, sha512_hex(salt + server_hostname + nonce + key)]
 *         or ['PONG', false, reason, '', ''] and the connection is closed.
 * User/password authentication is not offered (auth is ''), so username and
 * password_digest are ignored. The key only authenticates: data is not
 * encrypted (there is no TLS here).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeValue, encodeValue } from './codec.js';

export interface Handshake {
  nonce: Uint8Array;
  helo: Uint8Array;
}

export function startHandshake(): Handshake {
  const nonce = randomBytes(16);
  return { nonce, helo: encodeValue(['HELO', { nonce, auth: '', keepalive: true }]) };
}

export type PingResult = { ok: true; pong: Uint8Array } | { ok: false; pong: Uint8Array; reason: string };

const text = (v: unknown): string | Uint8Array | undefined => (typeof v === 'string' || v instanceof Uint8Array ? v : undefined);

function digest(parts: Array<string | Uint8Array>): string {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Checks a PING message (raw msgpack bytes) and builds the PONG answer. */
export function checkPing(bytes: Uint8Array, hs: Handshake, sharedKey: string, selfHostname: string): PingResult {
  const fail = (reason: string): PingResult => ({ ok: false, reason, pong: encodeValue(['PONG', false, reason, '', '']) });
  let msg: unknown;
  try {
    msg = decodeValue(bytes);
  } catch {
    return fail('invalid ping message');
  }
  if (!Array.isArray(msg) || msg.length !== 6 || msg[0] !== 'PING') return fail('invalid ping message');
  const hostname = text(msg[1]);
  const salt = text(msg[2]);
  const theirs = msg[3];
  if (hostname === undefined || salt === undefined || typeof theirs !== 'string') return fail('invalid ping message');
  const ours = digest([salt, hostname, hs.nonce, sharedKey]);
  if (theirs.length !== ours.length || !timingSafeEqual(Buffer.from(theirs), Buffer.from(ours))) return fail('shared_key mismatch');
  return { ok: true, pong: encodeValue(['PONG', true, '', selfHostname, digest([salt, selfHostname, hs.nonce, sharedKey])]) };
}
