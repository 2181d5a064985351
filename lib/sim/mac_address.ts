/**
 * MAC addresses for simulated boards: parsing what users type and the default address a board
 * gets from its seed.
 *
 * @module
 */

import { userError } from "../errors.ts";

/** Espressif's OUI that most ESP8266 modules carry (5C:CF:7F). */
export const ESPRESSIF_OUI: readonly [number, number, number] = [0x5c, 0xcf, 0x7f];

/**
 * Parses `5c:cf:7f:12:34:56` (also with `-` or no separators).
 *
 * @param text the address
 * @returns 6 bytes
 * @throws a user error `sim/mac` when it is not a MAC address
 *
 * @example
 * ```ts
 * import { parseMacAddress } from "./mac_address.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseMacAddress("5C-CF-7F-00-00-01"), new Uint8Array([0x5c, 0xcf, 0x7f, 0, 0, 1]));
 * ```
 */
export function parseMacAddress(text: string): Uint8Array {
  const clean = text.trim().toLowerCase();
  const m =
    /^([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})$/
      .exec(clean);
  if (!m) {
    throw userError(
      "sim/mac",
      `'${text}' is not a MAC address for the simulated board`,
      "Write six hex bytes separated by colons, e.g. 5c:cf:7f:12:34:56.",
    );
  }
  return new Uint8Array(m.slice(1, 7).map((h) => parseInt(h, 16)));
}

/**
 * The MAC address a board gets when none is given: Espressif's OUI and three bytes from the
 * seed (seed 0 gives 5c:cf:7f:00:00:01, so a bare `sim://` always has the same address).
 *
 * @param seed the board's seed
 * @returns 6 bytes
 *
 * @example
 * ```ts
 * import { defaultMacAddress } from "./mac_address.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(defaultMacAddress(0), new Uint8Array([0x5c, 0xcf, 0x7f, 0, 0, 1]));
 * assert.notDeepEqual(defaultMacAddress(1), defaultMacAddress(2));
 * ```
 */
export function defaultMacAddress(seed: number): Uint8Array {
  const nic = seed === 0 ? 1 : (Math.imul(seed >>> 0, 0x9e3779b1) >>> 8) & 0xffffff || 1;
  return new Uint8Array([...ESPRESSIF_OUI, (nic >>> 16) & 0xff, (nic >>> 8) & 0xff, nic & 0xff]);
}

/**
 * Formats 6 bytes as `5c:cf:7f:00:00:01`.
 *
 * @param mac the address
 * @returns lower-case text
 *
 * @example
 * ```ts
 * import { formatMacAddress } from "./mac_address.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatMacAddress(new Uint8Array([0x5c, 0xcf, 0x7f, 0xab, 0, 1])), "5c:cf:7f:ab:00:01");
 * ```
 */
export function formatMacAddress(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join(":");
}
