/**
 * The digest the board computes of a file, computed on the host for comparison: SHA-1 in hex
 * where the firmware has `crypto` and `encoder`, otherwise Adler-32 printed as `b:a` in decimal
 * (the Lua helper in `board_helpers.ts` prints it so, to stay exact on integer builds).
 *
 * @module
 */

import { createHash } from "node:crypto";

/** Which digest the board computes. */
export type DigestKind = "sha1" | "adler32";

/**
 * The digest of some bytes, as the board prints it.
 *
 * @param data the bytes
 * @param kind which digest
 * @returns the text the board's helper prints for the same bytes
 *
 * @example
 * ```ts
 * import { boardDigest } from "./board_digest.ts";
 * import assert from "node:assert/strict";
 * const abc = new TextEncoder().encode("abc");
 * assert.equal(boardDigest(abc, "sha1"), "a9993e364706816aba3e25717850c26c9cd0d89d");
 * // Adler-32 of "abc" is 0x024d0127: b = 0x024d = 589, a = 0x0127 = 295.
 * assert.equal(boardDigest(abc, "adler32"), "589:295");
 * ```
 */
export function boardDigest(data: Uint8Array, kind: DigestKind): string {
  if (kind === "sha1") return createHash("sha1").update(data).digest("hex");
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return `${b}:${a}`;
}

/**
 * Whether two digests as printed are the same (hex case does not matter).
 *
 * @param a one
 * @param b the other
 * @returns equality
 *
 * @example
 * ```ts
 * import { sameDigest } from "./board_digest.ts";
 * if (!sameDigest("AB", "ab")) throw new Error();
 * ```
 */
export function sameDigest(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
