/**
 * The ESP8266 ROM's first-stage boot message, printed at 74880 baud (26 MHz crystal) on every
 * reset: `\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n` (docs/field.md A.2).
 * The first boot-mode number is the strapping value (GPIO15 << 2 | GPIO0 << 1 | GPIO2):
 * 1 = UART download, 3 = flash boot, 4-7 = GPIO15 high (SDIO).
 *
 * @module
 */

/** A parsed ROM boot line. */
export interface RomBootLine {
  /** 1 power-on, 2 external reset (also soft restarts), 4 hardware watchdog. */
  rstCause: number;
  /** First boot-mode number (strapping pins). */
  bootMode: number;
  /** Second boot-mode number (undocumented). */
  bootModeMinor: number;
  /** Where the line starts in the text. */
  index: number;
}

const LINE = /ets \w{3}\s+\d+ \d{4},rst cause:(\d+), boot mode:\((\d+),(\d+)\)/g;

/**
 * Finds every ROM boot line in captured text (decoded as latin1, so stray bytes do no harm).
 *
 * @param text the capture
 * @returns the lines, in order
 *
 * @example
 * ```ts
 * import { findRomBootLines } from "./rom_boot.ts";
 * import assert from "node:assert/strict";
 * const [line] = findRomBootLines("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n");
 * assert.deepEqual([line?.rstCause, line?.bootMode, line?.bootModeMinor], [2, 3, 6]);
 * ```
 */
export function findRomBootLines(text: string): RomBootLine[] {
  return [...text.matchAll(LINE)].map((m) => ({
    rstCause: Number(m[1]),
    bootMode: Number(m[2]),
    bootModeMinor: Number(m[3]),
    index: m.index,
  }));
}

/**
 * What a boot mode means, in words.
 *
 * @param bootMode the first boot-mode number
 * @returns `"download"`, `"flash"`, `"sdio"` (GPIO15 high) or `"invalid"`
 *
 * @example
 * ```ts
 * import { bootModeKind } from "./rom_boot.ts";
 * if (bootModeKind(1) !== "download" || bootModeKind(3) !== "flash" || bootModeKind(7) !== "sdio") throw new Error();
 * ```
 */
export function bootModeKind(bootMode: number): "download" | "flash" | "sdio" | "invalid" {
  if (bootMode === 1) return "download";
  if (bootMode === 3) return "flash";
  if (bootMode >= 4 && bootMode <= 7) return "sdio";
  return "invalid";
}
