/**
 * Hex formatting for traces, addresses and MD5 digests.
 *
 * @module
 */

/**
 * Lower-case hex of the bytes, optionally separated.
 *
 * @param bytes the bytes
 * @param separator put between bytes, `""` by default
 * @returns the hex string
 *
 * @example
 * ```ts
 * import { toHex } from "./hex.ts";
 * if (toHex(new Uint8Array([0xc0, 0x01]), " ") !== "c0 01") throw new Error();
 * ```
 */
export function toHex(bytes: Uint8Array, separator = ""): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(separator);
}

/**
 * Formats a number as `0x` plus at least `width` hex digits.
 *
 * @param value the number
 * @param width minimum number of digits, 8 by default
 * @returns e.g. `0x00010000`
 *
 * @example
 * ```ts
 * import { hex32 } from "./hex.ts";
 * if (hex32(0x10000) !== "0x00010000" || hex32(0xe9, 2) !== "0xe9") throw new Error();
 * ```
 */
export function hex32(value: number, width = 8): string {
  return "0x" + (value >>> 0).toString(16).padStart(width, "0");
}

/**
 * Parses hex (with or without spaces) into bytes; throws a `SyntaxError` on odd input.
 *
 * @param text e.g. `"c0 00 08"`
 * @returns the bytes
 *
 * @example
 * ```ts
 * import { fromHex } from "./hex.ts";
 * if (fromHex("c0 0a").length !== 2) throw new Error();
 * ```
 */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new SyntaxError(`Not a hex string: "${text.slice(0, 40)}"`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
