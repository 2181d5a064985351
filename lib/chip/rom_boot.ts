/**
 * The ESP8266 mask ROM's first-stage boot message, printed at 74880 baud (26 MHz crystal) on every
 * reset: `\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n` (docs/boot-log.md A.2). The one
 * parser of it: connecting reads it to say why a sync failed, the smoke test to say why a board did
 * not boot, the monitor to show a reset decoded.
 *
 * The first boot-mode number is the strapping value (GPIO15 << 2 | GPIO0 << 1 | GPIO2): 1 = UART
 * download, 3 = flash boot, 4-7 = GPIO15 high (SDIO). The second is undocumented.
 *
 * @module
 */

/** One ROM boot line, i.e. one reset of the chip. */
export interface RomBoot {
  /** Offset of `ets` in the text. */
  at: number;
  /** Reset cause: 1 power-on, 2 EN pin (also soft restarts), 4 hardware watchdog. */
  rstCause: number;
  /** `(x,y)` of `boot mode:(x,y)`: x is the strapping value, y is undocumented. */
  bootMode: [number, number];
}

// Tolerates a single or double space before the day and a space after "cause:" (seen on clones).
const LINE = /ets [A-Z][a-z]{2}\s+\d{1,2} \d{4},\s?rst cause:\s?(\d+), boot mode:\((\d+),(\d+)\)/g;

/**
 * Finds every ROM boot line in captured text (decoded as latin1, so stray bytes do no harm).
 *
 * @param text the capture
 * @returns the lines, in order
 *
 * @example
 * ```ts
 * import { findRomBoots } from "./rom_boot.ts";
 * import assert from "node:assert/strict";
 * const [boot] = findRomBoots("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n");
 * assert.deepEqual(boot, { at: 3, rstCause: 2, bootMode: [3, 6] });
 * ```
 */
export function findRomBoots(text: string): RomBoot[] {
  return [...text.matchAll(LINE)].map((m) => ({
    at: m.index,
    rstCause: Number(m[1]),
    bootMode: [Number(m[2]), Number(m[3])],
  }));
}

/**
 * What a boot mode means, as a kind.
 *
 * @param strap the first boot-mode number
 * @returns `"download"`, `"flash"`, `"sdio"` (GPIO15 high) or `"invalid"`
 *
 * @example
 * ```ts
 * import { bootModeKind } from "./rom_boot.ts";
 * if (bootModeKind(1) !== "download" || bootModeKind(3) !== "flash" || bootModeKind(7) !== "sdio") throw new Error();
 * ```
 */
export function bootModeKind(strap: number): "download" | "flash" | "sdio" | "invalid" {
  if (strap === 1) return "download";
  if (strap === 3) return "flash";
  if (strap >= 4 && strap <= 7) return "sdio";
  return "invalid";
}

/**
 * Names a ROM reset cause.
 *
 * @param cause the `rst cause` number
 * @returns a short description
 *
 * @example
 * ```ts
 * import { describeRstCause } from "./rom_boot.ts";
 * if (describeRstCause(4) !== "hardware watchdog") throw new Error();
 * ```
 */
export function describeRstCause(cause: number): string {
  switch (cause) {
    case 1:
      return "power-on";
    case 2:
      return "external reset (EN pin or software restart)";
    case 4:
      return "hardware watchdog";
    default:
      return `unknown (${cause})`;
  }
}

/**
 * Names the first boot-mode number (the strapping pins GPIO15, GPIO0, GPIO2 sampled at reset).
 *
 * @param strap x of `boot mode:(x,y)`
 * @returns a short description
 *
 * @example
 * ```ts
 * import { describeBootMode } from "./rom_boot.ts";
 * if (describeBootMode(3) !== "flash boot") throw new Error();
 * ```
 */
export function describeBootMode(strap: number): string {
  switch (bootModeKind(strap)) {
    case "download":
      return "UART download mode (GPIO0 low)";
    case "flash":
      return "flash boot";
    case "sdio":
      return "SDIO mode (GPIO15 high)";
    default:
      return `invalid strapping (${strap})`;
  }
}
