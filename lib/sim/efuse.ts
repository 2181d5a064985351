/**
 * The ESP8266's four eFuse (OTP) words at 0x3FF00050..0x3FF0005C, built from what the board
 * should report: its MAC address and whether it is an ESP8266EX or an ESP8285 (with its embedded
 * flash size). This is the device side of docs/protocol.md §5.2/§5.3, written independently of
 * the flasher's decoder so that each checks the other.
 *
 * Layout used (bit numbers of the 128-bit value, word 0 lowest):
 *
 * - word 0 bits 24..31: the last MAC byte; bits 16..23: a per-chip check byte (seeded);
 *   bit 4: ESP8285 with embedded flash of 1 or 2 MB.
 * - word 1 bits 0..15: MAC bytes 4 and 3 (low byte = byte 4); bits 16..23: the OUI selector for
 *   old parts (0 = 18:FE:34, 1 = AC:D0:74); bits 24..31: a version byte (2).
 * - word 2 bit 16 (bit 80): ESP8285 whose flash size is given by word 3's bits.
 * - word 3 bits 0..23: the OUI (first three MAC bytes) when it is not one of the two old ones;
 *   bits 25 and 26 (bits 121, 122): the ESP8285 embedded flash size.
 *
 * @module
 */

import { userError } from "../errors.ts";

/** Which chip the board is. */
export type ChipKind = "esp8266" | "esp8285";

/** The four words, word 0 (0x3FF00050) first. */
export type EfuseWords = readonly [number, number, number, number];

/** Options for {@link efuseWordsFor}. */
export interface EfuseOptions {
  /** ESP8266EX by default. */
  chip?: ChipKind;
  /** Flash size in bytes; an ESP8285 encodes 1, 2 or 4 MB of embedded flash. */
  flashBytes?: number;
  /** Seeds the per-chip check byte. */
  seed?: number;
}

const OLD_OUIS: ReadonlyArray<readonly [number, readonly [number, number, number]]> = [
  [0, [0x18, 0xfe, 0x34]],
  [1, [0xac, 0xd0, 0x74]],
];

/**
 * The eFuse words a chip with this MAC address carries.
 *
 * @param mac 6 bytes
 * @param options chip kind, flash size, seed
 * @returns the four words
 * @throws a user error `sim/mac` for an OUI of 00:00:00, which no eFuse layout can express
 *
 * @example
 * ```ts
 * import { efuseWordsFor } from "./efuse.ts";
 * import assert from "node:assert/strict";
 * const w = efuseWordsFor(new Uint8Array([0x60, 0x01, 0x94, 0x23, 0xb4, 0xa6]));
 * assert.equal(w[3] & 0xffffff, 0x600194);
 * assert.equal(w[1] & 0xffff, 0x23b4);
 * assert.equal(w[0] >>> 24, 0xa6);
 * ```
 */
export function efuseWordsFor(mac: Uint8Array, options: EfuseOptions = {}): EfuseWords {
  if (mac.length !== 6) throw new RangeError("A MAC address has 6 bytes");
  const [m0, m1, m2, m3, m4, m5] = mac as unknown as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const old = OLD_OUIS.find(([, oui]) => oui[0] === m0 && oui[1] === m1 && oui[2] === m2);
  const oui = (m0 << 16) | (m1 << 8) | m2;
  if (old === undefined && oui === 0) {
    throw userError(
      "sim/mac",
      "The MAC address 00:00:00:.. cannot be stored in ESP8266 eFuses",
      "Use a real OUI, e.g. 5c:cf:7f.",
    );
  }
  const check = (Math.imul((options.seed ?? 0) + 0x5bd1e995, 0x27d4eb2d) >>> 24) & 0xff;
  let w0 = ((m5 << 24) | (check << 16)) >>> 0;
  let w1 = ((2 << 24) | ((old?.[0] ?? 0) << 16) | (m3 << 8) | m4) >>> 0;
  let w2 = 0;
  let w3 = old === undefined ? oui : 0;
  if (options.chip === "esp8285") {
    const mb = (options.flashBytes ?? 1 << 20) / (1 << 20);
    if (mb === 1) {
      w0 |= 1 << 4;
    } else if (mb === 2) {
      w0 |= 1 << 4;
      w3 |= 1 << 26;
    } else if (mb === 4) {
      w3 |= (1 << 25) | (1 << 26);
      w2 |= 1 << 16;
    } else {
      w2 |= 1 << 16;
    }
  }
  w0 >>>= 0;
  w1 >>>= 0;
  return [w0, w1, w2 >>> 0, w3 >>> 0];
}
