/**
 * What the ESP8266 ROM prints at every reset, at its boot rate (74880 on a 26 MHz board), as the
 * real chip does (docs/boot-log.md A.2, A.3, B; transcripts in nodemcu-firmware#3131 and #3194,
 * esp8266/Arduino#435 and #8240, ESP8266_NONOS_SDK#304 and #309):
 *
 * - the header `\r\n ets Jan  8 2013,rst cause:N, boot mode:(x,y)\r\n\r\n` (then `wdt reset`
 *   after a watchdog reset);
 * - in download mode nothing more;
 * - in flash boot, the image at 0x0 is loaded segment by segment. Each segment prints
 *   `load 0x<address>, len <length>, room <r> ` (trailing space), `tail <t>` and
 *   `chksum 0x<running checksum>`; `ho 0 tail <t> room <r>` when the next segment header straddles
 *   the ROM's 16-byte read buffer; then `csum 0x<computed>`. A checksum that differs from the
 *   stored byte prints `csum err` and `ets_main.c ` and the ROM stops; so does flash without
 *   an image (`ets_main.c ` right after the header).
 *
 * `room` and `tail` follow the ROM's 16-byte buffer: the first segment starts with 16 bytes in
 * hand; a segment of `len` bytes read with `room` bytes in hand ends `tail` = `len` (when shorter
 * than `room`) or (`len` − `room`) mod 16 bytes into a fresh block; the next 8-byte segment
 * header comes out of what is left, or out of a fresh block (room 8), or straddles (the `ho`
 * line). This reproduces every transcript above.
 *
 * @module
 */

/** The ROM's reset causes. */
export type RomResetCause =
  /** Power-on. */
  | 1
  /** External reset (EN/RST pin), also seen after software restarts. */
  | 2
  /** Hardware watchdog. */
  | 4;

/** What the ROM found at 0x0. */
export interface FlashBootLog {
  /** Everything the ROM prints after the header (empty lines included), CRLF line ends. */
  text: string;
  /** `run`: the image is good and the ROM jumps to `entry`; `stop`: the ROM gives up. */
  result: "run" | "stop";
  /** The entry point, when `result` is `run`. */
  entry?: number;
}

/** Reads flash bytes. */
export type FlashReader = (address: number, length: number) => Uint8Array;

const hex = (n: number, width: number) => `0x${(n >>> 0).toString(16).padStart(width, "0")}`;

/**
 * The ROM's first line.
 *
 * @param cause the reset cause
 * @param bootMode `(x, y)`: x = strapping (1 download, 3 flash), y = undocumented second number
 * @returns the header as sent, with `wdt reset` after a watchdog reset
 *
 * @example
 * ```ts
 * import { romHeader } from "./rom_boot_log.ts";
 * import assert from "node:assert/strict";
 * assert.equal(romHeader(2, [1, 7]), "\r\n ets Jan  8 2013,rst cause:2, boot mode:(1,7)\r\n\r\n");
 * ```
 */
export function romHeader(cause: RomResetCause, bootMode: readonly [number, number]): string {
  const line = `\r\n ets Jan  8 2013,rst cause:${cause}, boot mode:(${bootMode[0]},${
    bootMode[1]
  })\r\n\r\n`;
  return cause === 4 ? `${line}wdt reset\r\n` : line;
}

/** Longest segment the ROM could load into RAM (IRAM + DRAM); longer means garbage. */
const MAX_SEGMENT = 0x18000;

/**
 * Loads the image at 0x0 as the ROM does and says what it prints.
 *
 * @param read reads the flash (addresses wrap as on the chip)
 * @param options `modeWorks`: whether the module can read in the image header's flash mode; when
 *   not, everything after the first 16 bytes reads as zeros (so the first segment header is
 *   right and the rest is not, as in the field: `load 0x00000000, len 0` lines and `csum err`)
 * @returns the text and the outcome
 *
 * @example
 * ```ts
 * import { romFlashBoot } from "./rom_boot_log.ts";
 * import assert from "node:assert/strict";
 * const erased = romFlashBoot((_a, n) => new Uint8Array(n).fill(0xff), { modeWorks: true });
 * assert.deepEqual(erased, { text: "ets_main.c ", result: "stop" });
 * ```
 */
export function romFlashBoot(read: FlashReader, options: { modeWorks: boolean }): FlashBootLog {
  const fetch: FlashReader = (address, length) => {
    const bytes = read(address, length);
    if (options.modeWorks) return bytes;
    return bytes.map((b, i) => (address + i < 16 ? b : 0));
  };
  const head = fetch(0, 8);
  if (head[0] !== 0xe9) return { text: "ets_main.c ", result: "stop" };
  const view = new DataView(head.buffer, head.byteOffset, 8);
  const count = head[1]!;
  const entry = view.getUint32(4, true);
  const lines: string[] = [];
  let pos = 8;
  let room = 16;
  let checksum = 0xef;
  for (let i = 0; i < count; i++) {
    const sh = fetch(pos, 8);
    const sv = new DataView(sh.buffer, sh.byteOffset, 8);
    const address = sv.getUint32(0, true);
    const len = sv.getUint32(4, true);
    pos += 8;
    lines.push(`load ${hex(address, 8)}, len ${len}, room ${room} `);
    if (len > MAX_SEGMENT) {
      return { text: lines.join("\r\n") + "\r\ncsum err\r\nets_main.c ", result: "stop" };
    }
    for (const b of fetch(pos, len)) checksum ^= b;
    pos += len;
    const tail = len < room ? len : (len - room) % 16;
    const left = len < room ? room - len : tail === 0 ? 0 : 16 - tail;
    lines.push(`tail ${tail}`, `chksum ${hex(checksum, 2)}`);
    if (i === count - 1) break;
    if (left >= 8) room = left - 8;
    else if (left === 0) room = 8;
    else {
      lines.push(`ho 0 tail ${tail} room ${left}`);
      room = left + 8;
    }
  }
  lines.push(`csum ${hex(checksum, 2)}`);
  const stored = fetch(pos | 15, 1)[0];
  if (stored !== checksum) {
    return { text: lines.join("\r\n") + "\r\ncsum err\r\nets_main.c ", result: "stop" };
  }
  return { text: lines.join("\r\n") + "\r\n", result: "run", entry };
}
