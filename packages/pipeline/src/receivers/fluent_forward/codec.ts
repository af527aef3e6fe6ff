/**
 * msgpack with the forward protocol's one extension: EventTime (ext type 0,
 * 8 bytes: uint32 BE seconds, uint32 BE nanoseconds). Decoding never
 * recurses on the JS stack (@msgpack/msgpack keeps its own), so deep nesting
 * in a record cannot overflow it.
 */
import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';

export class EventTime {
  constructor(readonly seconds: number, readonly nanoseconds: number) {}

  /** ns since the epoch as a decimal string; '' for the zero time. */
  toNanos(): string {
    if (this.seconds === 0 && this.nanoseconds === 0) return '';
    return (BigInt(this.seconds) * 1_000_000_000n + BigInt(this.nanoseconds)).toString();
  }
}

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: 0,
  encode: (v: unknown): Uint8Array | null => {
    if (!(v instanceof EventTime)) return null;
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, v.seconds);
    dv.setUint32(4, v.nanoseconds);
    return b;
  },
  decode: (data: Uint8Array): EventTime => {
    if (data.byteLength !== 8) throw new RangeError(`EventTime must be 8 bytes, got ${data.byteLength}`);
    const dv = new DataView(data.buffer, data.byteOffset, 8);
    return new EventTime(dv.getUint32(0), dv.getUint32(4));
  },
});

const decoder = new Decoder({ extensionCodec });
const encoder = new Encoder({ extensionCodec });

/** One msgpack value (throws on invalid or trailing data). */
export function decodeValue(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}

/** All values of a concatenated msgpack stream (throws on invalid or truncated data). */
export function decodeStream(bytes: Uint8Array): unknown[] {
  return [...decoder.decodeMulti(bytes)];
}

export function encodeValue(v: unknown): Uint8Array {
  return encoder.encode(v);
}

/** A msgpack map decoded as a plain object (not an array, bytes, EventTime or other extension). */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
