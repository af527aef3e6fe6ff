/**
 * CRC-32 (IEEE 802.3 / ISO-HDLC polynomial, the one zlib and gzip use).
 *
 * Node >= 20.15 ships a native `zlib.crc32`; it runs at memory speed and
 * needs no dependency, so it wins over CRC-32C packages (which would add a
 * native addon for no gain in error detection at our record sizes). Older
 * Node 20 releases fall back to a table-driven implementation that yields
 * the same values, so files stay portable between the two.
 */
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, value?: number) => number;

function tableCrc32(): Crc32 {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (data, value = 0) => {
    let c = ~value >>> 0;
    for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    return ~c >>> 0;
  };
}

const native = (zlib as { crc32?: Crc32 }).crc32;

/** crc32(data) or, with `value`, the CRC continued from a previous one. */
export const crc32: Crc32 = typeof native === 'function' ? native : tableCrc32();
