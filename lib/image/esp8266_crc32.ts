/**
 * The CRC32 that ends a v2 (0xEA) ESP8266 image: the standard zlib CRC-32 of everything before
 * it, then inverted when its top bit is set and incremented otherwise (esptool
 * `esp8266_crc32`, the rule of the SDK's boot loader and `gen_appbin.py`).
 *
 * @module
 */

/** Builds the CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) lookup table. */
function crcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * The standard CRC-32 (the one zlib, gzip and PNG use).
 *
 * @param data the bytes
 * @returns an unsigned 32-bit value
 *
 * @example
 * ```ts
 * import { crc32 } from "./esp8266_crc32.ts";
 * import assert from "node:assert/strict";
 * assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
 * ```
 */
export function crc32(data: Uint8Array): number {
  const table = crcTable();
  let c = 0xffffffff;
  for (const b of data) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The v2 image CRC: `crc32(data)`, inverted if its top bit is set, plus one otherwise.
 *
 * @param data everything in the image before the CRC
 * @returns an unsigned 32-bit value
 *
 * @example
 * ```ts
 * import { esp8266Crc32 } from "./esp8266_crc32.ts";
 * import assert from "node:assert/strict";
 * // crc32("123456789") = 0xCBF43926 has the top bit set, so it is inverted.
 * assert.equal(esp8266Crc32(new TextEncoder().encode("123456789")), 0x340bc6d9);
 * ```
 */
export function esp8266Crc32(data: Uint8Array): number {
  const c = crc32(data);
  return (c & 0x80000000 ? c ^ 0xffffffff : c + 1) >>> 0;
}
