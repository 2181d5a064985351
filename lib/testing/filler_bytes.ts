/**
 * Deterministic pseudo-random bytes that compress roughly like code, for test firmware.
 *
 * @module
 */

import { writeU32 } from "../bytes/little_endian.ts";

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * Pseudo-random bytes that compress roughly like code: 4-byte words, mostly drawn from a
 * seed-chosen vocabulary of 256 words, the rest random.
 *
 * @param length how many bytes
 * @param seed any integer
 * @returns the bytes, the same for the same seed
 *
 * @example
 * ```ts
 * import { fillerBytes } from "./filler_bytes.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(fillerBytes(64, 7), fillerBytes(64, 7));
 * assert.notDeepEqual(fillerBytes(64, 7), fillerBytes(64, 8));
 * ```
 */
export function fillerBytes(length: number, seed: number): Uint8Array {
  const next = prng(seed);
  const vocabulary = Array.from({ length: 256 }, () => next());
  const out = new Uint8Array(Math.ceil(length / 4) * 4);
  for (let i = 0; i < out.length; i += 4) {
    const r = next();
    const word = (r & 0xff) < 0xb4 ? vocabulary[r >>> 24]! : next();
    writeU32(out, i, word);
  }
  return out.subarray(0, length);
}
