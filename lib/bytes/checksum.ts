/**
 * The ESP8266 checksum: start from `0xEF` and XOR in every byte. Used for the payload of the data
 * commands (MEM_DATA, FLASH_DATA, FLASH_DEFL_DATA) and for firmware image segments.
 *
 * @module
 */

/** The checksum seed. */
export const CHECKSUM_SEED = 0xef;

/**
 * XORs every byte of `data` into `seed`.
 *
 * @param data the bytes
 * @param seed the running value, `0xEF` to start
 * @returns an 8-bit checksum
 *
 * @example
 * ```ts
 * import { espChecksum } from "./checksum.ts";
 * import assert from "node:assert/strict";
 * assert.equal(espChecksum(new Uint8Array([0x01, 0x02])), 0xef ^ 0x01 ^ 0x02);
 * assert.equal(espChecksum(new Uint8Array([])), 0xef);
 * ```
 */
export function espChecksum(data: Uint8Array, seed: number = CHECKSUM_SEED): number {
  let c = seed & 0xff;
  for (const b of data) c ^= b;
  return c;
}
