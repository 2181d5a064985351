/**
 * Status bytes: the two bytes at the end of every reply, and what their codes mean for the
 * ESP8266 ROM and for the flasher stubs (docs/protocol.md §3).
 *
 * - ROM: `[0]` is 0 (ok) or 1 (failed), `[1]` is the error code.
 * - Stub: `[0]` is the error code (0 = ok), `[1]` is 0.
 *
 * @module
 */

import { deviceError, type NodeflashError } from "../errors.ts";
import type { LoaderKind } from "./opcodes.ts";

/** ROM error codes (second status byte when the first is 1). */
export const RomStatus = {
  UNDEFINED: 0x00,
  INVALID_PARAMETER: 0x01,
  MALLOC_FAILED: 0x02,
  SEND_FAILED: 0x03,
  RECEIVE_FAILED: 0x04,
  INVALID_MESSAGE: 0x05,
  FAILED: 0x06,
  INVALID_CRC: 0x07,
  FLASH_WRITE_ERROR: 0x08,
  FLASH_READ_ERROR: 0x09,
  FLASH_READ_LENGTH_ERROR: 0x0a,
  DEFLATE_ERROR: 0x0b,
} as const;

/** Stub error codes (first status byte). */
export const StubStatus = {
  BAD_DATA_LEN: 0xc0,
  BAD_DATA_CHECKSUM: 0xc1,
  BAD_BLOCKSIZE: 0xc2,
  INVALID_COMMAND: 0xc3,
  FAILED_SPI_OP: 0xc4,
  FAILED_SPI_UNLOCK: 0xc5,
  NOT_IN_FLASH_MODE: 0xc6,
  INFLATE_ERROR: 0xc7,
  NOT_ENOUGH_DATA: 0xc8,
  TOO_MUCH_DATA: 0xc9,
  CMD_NOT_IMPLEMENTED: 0xff,
  /** Legacy stub, ERASE_REGION: offset not sector-aligned. */
  ERASE_OFFSET_UNALIGNED: 0x32,
  /** Legacy stub, ERASE_REGION: size not sector-aligned. */
  ERASE_SIZE_UNALIGNED: 0x33,
  /** Legacy stub, SPI_FLASH_MD5: flash read failed. */
  MD5_READ_FAILED: 0x63,
} as const;

/** A status code's short name and its meaning. */
export interface StatusText {
  /** Short name, e.g. `invalid-crc`. */
  slug: string;
  /** What it means, one phrase. */
  text: string;
}

const ROM_TEXT: Record<number, StatusText> = {
  0x00: { slug: "undefined", text: "undefined error" },
  0x01: { slug: "invalid-parameter", text: "input parameter invalid" },
  0x02: { slug: "malloc-failed", text: "malloc failed" },
  0x03: { slug: "send-failed", text: "send failed" },
  0x04: { slug: "receive-failed", text: "receive failed" },
  0x05: { slug: "invalid-message", text: "received message is invalid" },
  0x06: { slug: "failed", text: "the operation failed" },
  0x07: { slug: "invalid-crc", text: "invalid CRC" },
  0x08: { slug: "flash-write-error", text: "flash write error" },
  0x09: { slug: "flash-read-error", text: "flash read error" },
  0x0a: { slug: "flash-read-length-error", text: "flash read length error" },
  0x0b: { slug: "deflate-error", text: "deflate error" },
};

const STUB_TEXT: Record<number, StatusText> = {
  0xc0: { slug: "bad-data-length", text: "bad data length" },
  0xc1: { slug: "bad-data-checksum", text: "bad data checksum" },
  0xc2: { slug: "bad-block-size", text: "bad block size" },
  0xc3: { slug: "invalid-command", text: "invalid command" },
  0xc4: { slug: "spi-failed", text: "SPI operation failed" },
  0xc5: { slug: "spi-unlock-failed", text: "SPI unlock failed" },
  0xc6: { slug: "not-in-flash-mode", text: "not in flash mode" },
  0xc7: { slug: "inflate-error", text: "inflate error" },
  0xc8: { slug: "not-enough-data", text: "not enough data" },
  0xc9: { slug: "too-much-data", text: "too much data" },
  0xff: { slug: "not-implemented", text: "command not implemented" },
  0x32: { slug: "erase-offset-unaligned", text: "erase offset not sector-aligned" },
  0x33: { slug: "erase-size-unaligned", text: "erase size not sector-aligned" },
  0x63: { slug: "md5-read-failed", text: "flash read failed during MD5" },
};

/** The two status bytes decoded. */
export interface Status {
  /** Whether the command failed. */
  failed: boolean;
  /** The error code (ROM: second byte; stub: first byte). 0 when ok. */
  code: number;
  /** The raw bytes. */
  raw: [number, number];
}

/**
 * Decodes a status pair for a loader kind.
 *
 * @param kind ROM or stub
 * @param s0 first status byte
 * @param s1 second status byte
 * @returns the decoded status
 *
 * @example
 * ```ts
 * import { decodeStatus } from "./status.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(decodeStatus("rom", 0x01, 0x07), { failed: true, code: 0x07, raw: [1, 7] });
 * assert.deepEqual(decodeStatus("stub", 0xc1, 0x00), { failed: true, code: 0xc1, raw: [0xc1, 0] });
 * ```
 */
export function decodeStatus(kind: LoaderKind, s0: number, s1: number): Status {
  if (kind === "rom") return { failed: s0 !== 0, code: s0 !== 0 ? s1 : 0, raw: [s0, s1] };
  return { failed: s0 !== 0, code: s0, raw: [s0, s1] };
}

/**
 * Describes a status code in words.
 *
 * @param kind ROM or stub
 * @param code the code from {@link decodeStatus}
 * @returns a slug for error codes and a phrase for messages
 *
 * @example
 * ```ts
 * import { describeStatus } from "./status.ts";
 * if (describeStatus("rom", 7).text !== "invalid CRC") throw new Error();
 * ```
 */
export function describeStatus(kind: LoaderKind, code: number): StatusText {
  const table = kind === "rom" ? ROM_TEXT : STUB_TEXT;
  return table[code] ?? { slug: "unknown", text: "unknown error" };
}

/**
 * The error for a failed command: `"FLASH_DATA failed: invalid CRC (0x07)"`, code
 * `rom/invalid-crc` or `stub/bad-data-checksum`.
 *
 * @param opName the command's name
 * @param kind ROM or stub
 * @param status the decoded status
 * @returns a device error
 *
 * @example
 * ```ts
 * import { commandFailed, decodeStatus } from "./status.ts";
 * import assert from "node:assert/strict";
 * const e = commandFailed("FLASH_DATA", "rom", decodeStatus("rom", 1, 7));
 * assert.equal(e.message, "FLASH_DATA failed: invalid CRC (0x07)");
 * assert.equal(e.code, "rom/invalid-crc");
 * ```
 */
export function commandFailed(opName: string, kind: LoaderKind, status: Status): NodeflashError {
  const { slug, text } = describeStatus(kind, status.code);
  const hex = `0x${status.code.toString(16).padStart(2, "0")}`;
  return deviceError(`${kind}/${slug}`, `${opName} failed: ${text} (${hex})`, undefined, {
    details: { command: opName, loader: kind, status: status.raw },
  });
}
