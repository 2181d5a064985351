/**
 * How the two ESP8266 flasher stubs differ on the wire, as data (docs/protocol.md §1.1, §2, §3,
 * §10): the legacy stub (esptool's `flasher_stub`, the default of esptool ≤ 5.2 and of
 * esptool-js ≤ 0.6) and the new esp-flasher-stub (esptool ≥ 5.3, npm esptool-js 0.7). The stub
 * model reads these fields instead of branching on a name.
 *
 * @module
 */

import { Op } from "../protocol/opcodes.ts";

/** The stub families. */
export type StubFamily = "legacy" | "esp-flasher-stub";

/** One family's behaviour. */
export interface StubDialect {
  /** Which family. */
  family: StubFamily;
  /** Status for an opcode it does not know: 0xFF (legacy) or 0xC3 (new). */
  unknownCommand: number;
  /**
   * When a deferred write/inflate error shows: `"sticky"` = every later FLASH_DATA and the
   * FLASH_END return it until the next FLASH_BEGIN (legacy); `"next-command"` = the next
   * command, whatever it is, is answered with it and not executed (new).
   */
  deferredErrors: "sticky" | "next-command";
  /** FLASH_BEGIN / FLASH_DEFL_BEGIN payload lengths accepted. */
  flashBeginLengths: readonly number[];
  /**
   * Whether a 16-byte FLASH_BEGIN / FLASH_DEFL_BEGIN whose block size is not 0x4000 is refused
   * with 0xC2 (legacy: its source compares with its write block for equality; protocol.md says
   * "above 0x4000", which every client's 0x4000 meets either way).
   */
  checksBlockSize: boolean;
  /**
   * Opcodes whose failures reach the wire as 0x01: the legacy stub sets
   * `error = <length check> || <handler>`, and C's `||` is 0 or 1, so the specific code its
   * handler returns (0xC0, 0x32-0x37, 0x63, 0xC5, 0xC8...) is folded into 1 (seen in its
   * source; protocol.md lists the handlers' codes). The new stub returns the codes themselves.
   */
  foldedErrors: readonly number[];
  /** Whether FLASH_END(0) reboots into the ROM loader (legacy; the new stub never reboots). */
  flashEndReboots: boolean;
  /** Whether RUN_USER_CODE starts the firmware (legacy) or does nothing (new); no reply either way. */
  runUserCodeBoots: boolean;
  /** READ_FLASH in-flight rule: un-acked bytes compared with the packet count (legacy), or 1 packet (new). */
  readFlashInFlight: "legacy-bytes" | "one-packet";
  /** Whether a direction byte other than 0 is refused with 0xC3 (new) or ignored (legacy). */
  checksDirection: boolean;
  /** Frames with a bad SLIP escape: processed without the bad byte (legacy) or dropped (new). */
  badEscape: "drop-byte" | "drop-frame";
  /** Longest frame accepted; the legacy stub answers a longer one with `C0 EE`, the new one drops it. */
  maxFrame: number;
  /** Whether it skips erasing sectors that already read as blank, until the first non-blank one (new). */
  skipsBlankErase: boolean;
  /**
   * How far ahead a write erases: through the sector holding the byte after the block
   * (`end-sector`, legacy) or up to the end of the block (`end`, new).
   */
  eraseAhead: "end-sector" | "end";
  /** Whether FLASH_BEGIN starts the first erase at once (new). */
  eraseAtBegin: boolean;
  /** Flash-size bound before SPI_SET_PARAMS: 16 MB (legacy) or the chip's size (new). */
  initialFlashLimit: "16MB" | "chip";
}

/** The legacy stub. */
export const LEGACY_STUB: StubDialect = {
  family: "legacy",
  unknownCommand: 0xff,
  deferredErrors: "sticky",
  flashBeginLengths: [16],
  checksBlockSize: true,
  foldedErrors: [
    Op.ERASE_FLASH,
    Op.ERASE_REGION,
    Op.SPI_FLASH_MD5,
    Op.FLASH_BEGIN,
    Op.FLASH_DEFL_BEGIN,
    Op.SPI_SET_PARAMS,
    Op.SPI_ATTACH,
    Op.MEM_BEGIN,
    Op.MEM_END,
  ],
  flashEndReboots: true,
  runUserCodeBoots: true,
  readFlashInFlight: "legacy-bytes",
  checksDirection: false,
  badEscape: "drop-byte",
  maxFrame: 0x4000 + 64,
  skipsBlankErase: false,
  eraseAhead: "end-sector",
  eraseAtBegin: false,
  initialFlashLimit: "16MB",
};

/** The new esp-flasher-stub. */
export const NEW_STUB: StubDialect = {
  family: "esp-flasher-stub",
  unknownCommand: 0xc3,
  deferredErrors: "next-command",
  flashBeginLengths: [16, 20],
  checksBlockSize: false,
  foldedErrors: [],
  flashEndReboots: false,
  runUserCodeBoots: false,
  readFlashInFlight: "one-packet",
  checksDirection: true,
  badEscape: "drop-frame",
  maxFrame: 8 + 0x4000 + 0xff,
  skipsBlankErase: true,
  eraseAhead: "end",
  eraseAtBegin: true,
  initialFlashLimit: "chip",
};

/**
 * The dialect of a family.
 *
 * @param family legacy or new
 * @returns its behaviour table
 *
 * @example
 * ```ts
 * import { stubDialect } from "./stub_dialect.ts";
 * import assert from "node:assert/strict";
 * assert.equal(stubDialect("legacy").unknownCommand, 0xff);
 * assert.equal(stubDialect("esp-flasher-stub").unknownCommand, 0xc3);
 * ```
 */
export function stubDialect(family: StubFamily): StubDialect {
  return family === "legacy" ? LEGACY_STUB : NEW_STUB;
}
