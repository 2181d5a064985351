/**
 * Bit streams as the simulated flash chip sees a chip-select cycle: one element per bit, MSB of
 * each byte first, 1 where nobody drives the line (the pull-up level of an idle data line).
 *
 * @module
 */

/**
 * Writes bytes into a bit buffer, MSB first, from bit `start` until the buffer ends.
 *
 * @param out the bit buffer (one bit per element)
 * @param start first bit to write
 * @param source the byte for each index 0, 1, 2, ...
 *
 * @example
 * ```ts
 * import { emitBytes } from "./spi_bits.ts";
 * import assert from "node:assert/strict";
 * const out = new Uint8Array(12).fill(1);
 * emitBytes(out, 4, () => 0xa5);
 * assert.deepEqual([...out], [1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1]);
 * ```
 */
export function emitBytes(
  out: Uint8Array,
  start: number,
  source: (index: number) => number,
): void {
  for (let bit = start, i = 0; bit < out.length; i++) {
    const byte = source(i);
    for (let b = 7; b >= 0 && bit < out.length; b--, bit++) out[bit] = (byte >>> b) & 1;
  }
}

/**
 * Reads `count` bits (at most 53) as an unsigned number, MSB first; bits past the end read 1.
 *
 * @param bits the bit buffer
 * @param start first bit
 * @param count how many bits
 * @returns the number
 *
 * @example
 * ```ts
 * import { bitsToNumber } from "./spi_bits.ts";
 * import assert from "node:assert/strict";
 * assert.equal(bitsToNumber(new Uint8Array([1, 0, 1]), 0, 3), 5);
 * assert.equal(bitsToNumber(new Uint8Array([0]), 0, 2), 1); // the missing bit reads 1
 * ```
 */
export function bitsToNumber(bits: Uint8Array, start: number, count: number): number {
  let v = 0;
  for (let i = 0; i < count; i++) v = v * 2 + (bits[start + i] ?? 1);
  return v;
}

/**
 * Packs `count` bytes from bit `start`, MSB first.
 *
 * @param bits the bit buffer
 * @param start first bit
 * @param count how many bytes
 * @returns the bytes
 *
 * @example
 * ```ts
 * import { bitsToBytes } from "./spi_bits.ts";
 * import assert from "node:assert/strict";
 * const bits = new Uint8Array([0, 0, 0, 1, 0, 0, 1, 0]);
 * assert.deepEqual(bitsToBytes(bits, 0, 1), new Uint8Array([0x12]));
 * ```
 */
export function bitsToBytes(bits: Uint8Array, start: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = bitsToNumber(bits, start + i * 8, 8);
  return out;
}

/**
 * Bytes as bits, MSB first.
 *
 * @param bytes the bytes
 * @returns one element per bit
 *
 * @example
 * ```ts
 * import { bytesToBits } from "./spi_bits.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...bytesToBits([0x81])], [1, 0, 0, 0, 0, 0, 0, 1]);
 * ```
 */
export function bytesToBits(bytes: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < bytes.length; i++) {
    for (let b = 0; b < 8; b++) out[i * 8 + b] = (bytes[i]! >>> (7 - b)) & 1;
  }
  return out;
}
