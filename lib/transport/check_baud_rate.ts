/**
 * Validation of baud rates, shared by every adapter.
 *
 * @module
 */

import { userError } from "../errors.ts";

/**
 * Checks a baud rate: a positive integer no larger than 2^31 - 1.
 *
 * @param baud the rate
 * @returns the rate
 *
 * @example
 * ```ts
 * import { checkBaudRate } from "./check_baud_rate.ts";
 * import assert from "node:assert/strict";
 * assert.equal(checkBaudRate(74880), 74880);
 * assert.throws(() => checkBaudRate(115200.5), { code: "port/bad-baud" });
 * ```
 */
export function checkBaudRate(baud: number): number {
  if (!Number.isInteger(baud) || baud <= 0 || baud > 0x7fffffff) {
    throw userError(
      "port/bad-baud",
      `${baud} is not a baud rate`,
      "Use a positive whole number such as 115200, 460800 or 921600.",
    );
  }
  return baud;
}
