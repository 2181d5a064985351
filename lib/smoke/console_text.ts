/**
 * Console text: how captured serial bytes are turned into text for parsing, and how readable text
 * is told from line noise (a baud-rate mismatch, a bad cable).
 *
 * Bytes map one-to-one onto characters (Latin-1), so an offset in the text is an offset in the
 * capture and arbitrary non-UTF-8 bytes never break decoding.
 *
 * @module
 */

/**
 * Decodes bytes one-to-one into a string (byte `n` becomes code point `n`).
 *
 * @param bytes captured bytes
 * @returns a string of the same length
 *
 * @example
 * ```ts
 * import { consoleText } from "./console_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(consoleText(new Uint8Array([0x3e, 0x20, 0xff])), "> \u00ff");
 * ```
 */
export function consoleText(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

/**
 * Whether a byte is something a NodeMCU console prints as text: printable ASCII, TAB, CR, LF or
 * backspace (the input driver erases with `\b \b`).
 *
 * @param byte the byte
 * @returns true for text
 *
 * @example
 * ```ts
 * import { isTextByte } from "./console_text.ts";
 * if (!isTextByte(0x41) || isTextByte(0xf0)) throw new Error();
 * ```
 */
export function isTextByte(byte: number): boolean {
  return (byte >= 0x20 && byte <= 0x7e) || byte === 0x09 || byte === 0x0a || byte === 0x0d ||
    byte === 0x08;
}

/**
 * Counts the bytes (or characters of a {@link consoleText} string) that are not text.
 *
 * @param data bytes or a console string
 * @returns how many are noise
 *
 * @example
 * ```ts
 * import { noiseCount } from "./console_text.ts";
 * if (noiseCount("ok\r\n\u0000\u00fe") !== 2) throw new Error();
 * ```
 */
export function noiseCount(data: Uint8Array | string): number {
  let n = 0;
  if (typeof data === "string") {
    for (let i = 0; i < data.length; i++) if (!isTextByte(data.charCodeAt(i))) n++;
  } else {
    for (const b of data) if (!isTextByte(b)) n++;
  }
  return n;
}

/**
 * Whether a chunk looks like line noise rather than text: at least `minNoise` non-text bytes
 * and at least a tenth of the chunk. Text from a NodeMCU console has none at all.
 *
 * @param data the chunk
 * @param options `minNoise` (2 by default)
 * @returns true when the chunk is noise
 *
 * @example
 * ```ts
 * import { looksGarbled } from "./console_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(looksGarbled(new TextEncoder().encode("NodeMCU 3.0.0.0\r\n")), false);
 * assert.equal(looksGarbled(new Uint8Array([0xf8, 0x80, 0x1e, 0xfe, 0x41])), true);
 * ```
 */
export function looksGarbled(
  data: Uint8Array | string,
  options: { minNoise?: number } = {},
): boolean {
  const noise = noiseCount(data);
  return noise >= (options.minNoise ?? 2) && noise * 10 >= data.length;
}

/**
 * Splits console text into lines at LF, dropping CRs at line ends and keeping each line's offset.
 *
 * @param text console text
 * @returns lines with their start offsets; the last entry is the unterminated tail (maybe empty)
 *
 * @example
 * ```ts
 * import { consoleLines } from "./console_text.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(consoleLines("a\r\nbc\n> "), [
 *   { text: "a", at: 0 }, { text: "bc", at: 3 }, { text: "> ", at: 6 },
 * ]);
 * ```
 */
export function consoleLines(text: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let start = 0;
  while (true) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) {
      out.push({ text: text.slice(start), at: start });
      return out;
    }
    out.push({ text: text.slice(start, nl).replace(/\r+$/, ""), at: start });
    start = nl + 1;
  }
}
