/**
 * Little-endian helpers: every multi-byte field of the ESP8266 protocol and image format is
 * little-endian.
 *
 * @module
 */

/**
 * Packs 32-bit words into little-endian bytes.
 *
 * @param words unsigned 32-bit values
 * @returns `4 × words.length` bytes
 *
 * @example
 * ```ts
 * import { u32le } from "./little_endian.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(u32le(0x40001000), new Uint8Array([0x00, 0x10, 0x00, 0x40]));
 * ```
 */
export function u32le(...words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}

/**
 * Reads a little-endian u32; throws a `RangeError` past the end.
 *
 * @param bytes the buffer
 * @param offset byte offset
 * @returns the value
 *
 * @example
 * ```ts
 * import { readU32 } from "./little_endian.ts";
 * import assert from "node:assert/strict";
 * assert.equal(readU32(new Uint8Array([1, 0xc1, 0xf0, 0xff]), 0), 0xfff0c101);
 * ```
 */
export function readU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}

/**
 * Reads a little-endian u16; throws a `RangeError` past the end.
 *
 * @param bytes the buffer
 * @param offset byte offset
 * @returns the value
 *
 * @example
 * ```ts
 * import { readU16 } from "./little_endian.ts";
 * import assert from "node:assert/strict";
 * assert.equal(readU16(new Uint8Array([0x24, 0x00]), 0), 36);
 * ```
 */
export function readU16(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(offset, true);
}

/**
 * Writes a little-endian u32 in place.
 *
 * @param bytes the buffer
 * @param offset byte offset
 * @param value unsigned 32-bit value
 *
 * @example
 * ```ts
 * import { writeU32 } from "./little_endian.ts";
 * const b = new Uint8Array(4);
 * writeU32(b, 0, 0x20120707);
 * if (b[0] !== 0x07 || b[3] !== 0x20) throw new Error();
 * ```
 */
export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(
    offset,
    value >>> 0,
    true,
  );
}

/**
 * Writes a little-endian u16 in place.
 *
 * @param bytes the buffer
 * @param offset byte offset
 * @param value unsigned 16-bit value
 *
 * @example
 * ```ts
 * import { writeU16 } from "./little_endian.ts";
 * const b = new Uint8Array(2);
 * writeU16(b, 0, 0x1234);
 * if (b[0] !== 0x34) throw new Error();
 * ```
 */
export function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(offset, value, true);
}

/**
 * Concatenates byte arrays.
 *
 * @param parts the arrays
 * @returns one array holding them in order
 *
 * @example
 * ```ts
 * import { concatBytes } from "./little_endian.ts";
 * if (concatBytes(new Uint8Array([1]), new Uint8Array([2, 3])).length !== 3) throw new Error();
 * ```
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
