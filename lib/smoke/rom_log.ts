/**
 * The ESP8266 mask ROM's boot log (printed at 74880 baud on 26 MHz boards, docs/boot-log.md A.2):
 * the `ets Jan  8 2013,rst cause:N, boot mode:(x,y)` header, the `load`/`chksum`/`csum` lines of
 * a flash boot and the ROM's own failure lines. The header line is read by lib/chip's
 * `findRomBoots`, the one parser of it.
 *
 * @module
 */

import { findRomBoots, type RomBoot } from "../chip/rom_boot.ts";

/** A `load 0x40100000, len 27444, room 16` line: one image segment read from flash. */
export interface RomLoad {
  /** Offset of the line. */
  at: number;
  /** Load address. */
  address: number;
  /** Segment length in bytes. */
  length: number;
  /** The ROM's `room` value (undocumented). */
  room: number;
}

/** Everything the ROM said, in order of appearance. */
export interface RomLog {
  /** ROM headers; more than one means the chip reset again. */
  boots: RomBoot[];
  /** Segment loads of flash boots. */
  loads: RomLoad[];
  /** Final `csum 0xNN` values (one per flash boot that got that far). */
  csums: number[];
  /** Whether `csum err` appeared (the image at 0x0 could not be read). */
  csumError: boolean;
  /** Whether `ets_main.c` appeared (the ROM gave up booting from flash). */
  etsMain: boolean;
  /** How many `wdt reset` lines appeared (they follow a `rst cause:4` header). */
  wdtResets: number;
  /** Whether `waiting for host` appeared (SDIO boot: GPIO15 high). */
  waitingForHost: boolean;
  /** Offset just after the last ROM line, 0 when there is none. */
  end: number;
}

const LOAD = /load (0x[0-9a-fA-F]+), len (\d+), room (\d+)/g;
const CSUM = /\bcsum (0x[0-9a-fA-F]{1,2})\b/g;
const ENDINGS = [
  /csum err/g,
  /ets_main\.c/g,
  /wdt reset/g,
  /waiting for host/g,
  /chksum 0x[0-9a-fA-F]+/g,
];

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf("\n", from);
  return nl < 0 ? text.length : nl + 1;
}

/**
 * Finds the ROM's lines in console text (tolerating noise around them and either line ending).
 *
 * @param text console text (see `consoleText`)
 * @returns what the ROM printed
 *
 * @example
 * ```ts
 * import { parseRomLog } from "./rom_log.ts";
 * import assert from "node:assert/strict";
 * const rom = parseRomLog("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\ncsum 0x6c\r\n");
 * assert.deepEqual(rom.boots.map((b) => [b.rstCause, b.bootMode]), [[2, [3, 6]]]);
 * assert.deepEqual(rom.csums, [0x6c]);
 * ```
 */
export function parseRomLog(text: string): RomLog {
  const log: RomLog = {
    boots: [],
    loads: [],
    csums: [],
    csumError: false,
    etsMain: false,
    wdtResets: 0,
    waitingForHost: false,
    end: 0,
  };
  const seen = (at: number) => log.end = Math.max(log.end, lineEnd(text, at));
  for (const boot of findRomBoots(text)) {
    log.boots.push(boot);
    seen(boot.at);
  }
  for (const m of text.matchAll(LOAD)) {
    log.loads.push({
      at: m.index,
      address: Number(m[1]),
      length: Number(m[2]),
      room: Number(m[3]),
    });
    seen(m.index);
  }
  for (const m of text.matchAll(CSUM)) {
    log.csums.push(Number(m[1]));
    seen(m.index);
  }
  const [csumErr, etsMain, wdt, waiting, chksum] = ENDINGS.map((re) => [...text.matchAll(re)]);
  log.csumError = (csumErr?.length ?? 0) > 0;
  log.etsMain = (etsMain?.length ?? 0) > 0;
  log.wdtResets = wdt?.length ?? 0;
  log.waitingForHost = (waiting?.length ?? 0) > 0;
  for (const group of [csumErr, etsMain, wdt, waiting, chksum]) {
    for (const m of group ?? []) seen(m.index);
  }
  return log;
}
