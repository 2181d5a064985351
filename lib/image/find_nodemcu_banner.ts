/**
 * Finds the NodeMCU banner in a firmware image.
 *
 * How it sits in a binary (NodeMCU `app/lua/lua.c` `print_version`): one C string literal
 * `"\n" NODE_VERSION " build " BUILD_DATE " powered by " LUA_RELEASE " on SDK "`, to which the
 * firmware appends the SDK library's own version string (`SDK_VERSION`, e.g.
 * `3.0.1-dev(fce080e)`) stored elsewhere.
 *
 * @module
 */

import { type NodemcuBannerFields, parseNodemcuBanner } from "./nodemcu_banner.ts";

/** A banner found in an image. */
export interface NodemcuBanner extends NodemcuBannerFields {
  /**
   * What the firmware hands to the console: the literal (starting with a newline) plus the SDK
   * string. Lines end in `\n`; NodeMCU's UART driver sends each as `\r\n`.
   */
  text: string;
  /** File offset of the banner literal. */
  offset: number;
}

/** Printable bytes of a C string: TAB, LF, CR and 0x20..0x7E. */
const isText = (b: number): boolean => b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f);

/** Decodes bytes one char per byte (latin1), so string indexes are file offsets. */
function asLatin1(bytes: Uint8Array): string {
  return new TextDecoder("latin1").decode(bytes);
}

/** The NUL-terminated printable string around `at`. */
function cStringAround(bytes: Uint8Array, at: number): { start: number; text: string } {
  let start = at;
  while (start > 0 && isText(bytes[start - 1]!)) start--;
  let end = at;
  while (end < bytes.length && isText(bytes[end]!)) end++;
  return { start, text: asLatin1(bytes.subarray(start, end)) };
}

/**
 * Finds the NodeMCU banner literal in an image and the SDK version string that completes it.
 * Strings that mention "NodeMCU" but are not a banner (no version and no "powered by") are
 * skipped.
 *
 * @param bytes the firmware (the combined image, or the IROM part `0x10000.bin`)
 * @returns the banner, or `undefined` if there is none
 *
 * @example
 * ```ts
 * import { findNodemcuBanner } from "./find_nodemcu_banner.ts";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode(
 *   "\u0000\nNodeMCU 2.2.0.0 build 20190405 powered by Lua 5.1.4 on SDK \u0000\u00002.2.1(6ab97e9)\u0000",
 * );
 * assert.equal(findNodemcuBanner(bytes)?.sdk, "2.2.1(6ab97e9)");
 * ```
 */
export function findNodemcuBanner(bytes: Uint8Array): NodemcuBanner | undefined {
  const all = asLatin1(bytes);
  let best: { start: number; text: string } | undefined;
  let at = all.indexOf("NodeMCU");
  while (at >= 0) {
    const found = cStringAround(bytes, at);
    if (found.text.includes("powered by")) {
      best = found;
      break;
    }
    if (best === undefined && /NodeMCU[ \t]+\d+\.\d+/.test(found.text)) best = found;
    at = all.indexOf("NodeMCU", found.start + found.text.length);
  }
  if (best === undefined) return undefined;
  let text = best.text;
  if (/on SDK $/.test(text)) {
    const sdk = /\0(\d+\.\d+\.\d+[\w.+-]*\([0-9a-f]{6,12}\))\0/.exec(all)?.[1];
    if (sdk !== undefined) text += sdk;
  }
  return { text, offset: best.start, ...parseNodemcuBanner(text) };
}
