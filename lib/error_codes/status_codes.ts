/**
 * A command refused by the ROM loader (rom/...) or the flasher stub (stub/...): the status it answered (docs/protocol.md, "Status bytes").
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** A command refused by the ROM loader (rom/...) or the flasher stub (stub/...): the status it answered (docs/protocol.md, "Status bytes"). */
export const STATUS_CODES: readonly ErrorCode[] = [
  {
    code: "rom/undefined",
    kind: "device",
    meaning: "The ROM loader answered status 0x00 (undefined error).",
    hint: "Run the command again; if it repeats, check the cable and lower --baud.",
  },
  {
    code: "rom/invalid-parameter",
    kind: "device",
    meaning:
      "The ROM loader refused a parameter (0x01): an address, size or sequence it does not accept.",
    hint: "Check the address and size; try again without --no-stub.",
  },
  {
    code: "rom/malloc-failed",
    kind: "device",
    meaning: "The ROM loader could not allocate memory (0x02).",
    hint: "Reset the board and run again.",
  },
  {
    code: "rom/send-failed",
    kind: "device",
    meaning: "The ROM loader could not send (0x03).",
    hint: "Check the cable and lower --baud.",
  },
  {
    code: "rom/receive-failed",
    kind: "device",
    meaning: "The ROM loader could not receive (0x04).",
    hint: "Check the cable and lower --baud.",
  },
  {
    code: "rom/invalid-message",
    kind: "device",
    meaning: "The ROM loader found a request malformed (0x05), e.g. a block out of sequence.",
    hint: "Run again; check the cable and lower --baud.",
  },
  {
    code: "rom/failed",
    kind: "device",
    meaning: "The ROM loader reports that the operation failed (0x06).",
    hint: "Run again; if it repeats the flash may be faulty.",
  },
  {
    code: "rom/invalid-crc",
    kind: "device",
    meaning: "A data block reached the ROM loader with a wrong checksum (0x07): noise on the line.",
    hint: "Check the cable and lower --baud.",
  },
  {
    code: "rom/flash-write-error",
    kind: "device",
    meaning: "The ROM loader could not write the flash (0x08).",
    hint: "Check the supply; the flash may be write-protected or faulty.",
  },
  {
    code: "rom/flash-read-error",
    kind: "device",
    meaning: "The ROM loader could not read the flash (0x09).",
    hint: "Check the supply and the flash.",
  },
  {
    code: "rom/flash-read-length-error",
    kind: "device",
    meaning: "The ROM loader read the wrong length from the flash (0x0a).",
    hint: "Run again; the flash may be faulty.",
  },
  {
    code: "rom/deflate-error",
    kind: "device",
    meaning: "The ROM loader could not inflate compressed data (0x0b).",
    hint: "Run again without compression.",
  },
  {
    code: "rom/unknown",
    kind: "device",
    meaning: "The ROM loader answered a status nodeflash does not know.",
    hint: "Run again; report the status if it repeats.",
  },
  {
    code: "stub/bad-data-length",
    kind: "device",
    meaning: "The stub got a data block of the wrong length (0xc0).",
    hint: "Check the cable and lower --baud.",
  },
  {
    code: "stub/bad-data-checksum",
    kind: "device",
    meaning: "A data block reached the stub with a wrong checksum (0xc1): noise on the line.",
    hint: "Check the cable and lower --baud.",
  },
  {
    code: "stub/bad-block-size",
    kind: "device",
    meaning: "The stub refused the block size (0xc2).",
    hint: "Run again; report it if it repeats.",
  },
  {
    code: "stub/invalid-command",
    kind: "device",
    meaning: "The stub does not know the command (0xc3).",
    hint: "Report it: nodeflash sent a command the stub lacks.",
  },
  {
    code: "stub/spi-failed",
    kind: "device",
    meaning: "An SPI operation of the stub failed (0xc4).",
    hint: "Check the supply and the flash.",
  },
  {
    code: "stub/spi-unlock-failed",
    kind: "device",
    meaning: "The stub could not unlock the flash for writing (0xc5).",
    hint: "The flash may be write-protected; check the supply.",
  },
  {
    code: "stub/not-in-flash-mode",
    kind: "device",
    meaning: "The stub got flash data outside a flash write (0xc6).",
    hint: "Run again.",
  },
  {
    code: "stub/inflate-error",
    kind: "device",
    meaning: "The stub could not inflate compressed data (0xc7).",
    hint: "Check the cable and lower --baud, or use --compress off.",
  },
  {
    code: "stub/not-enough-data",
    kind: "device",
    meaning: "The stub got less data than announced (0xc8).",
    hint: "Run again; check the cable.",
  },
  {
    code: "stub/too-much-data",
    kind: "device",
    meaning: "The stub got more data than announced (0xc9).",
    hint: "Run again; check the cable.",
  },
  {
    code: "stub/not-implemented",
    kind: "device",
    meaning: "The stub does not implement the command (0xff).",
    hint: "Report it: nodeflash sent a command the stub lacks.",
  },
  {
    code: "stub/erase-offset-unaligned",
    kind: "device",
    meaning: "The erase offset is not sector-aligned (0x32).",
    hint: "Erase from a multiple of 0x1000.",
  },
  {
    code: "stub/erase-size-unaligned",
    kind: "device",
    meaning: "The erase size is not sector-aligned (0x33).",
    hint: "Erase a multiple of 0x1000.",
  },
  {
    code: "stub/md5-read-failed",
    kind: "device",
    meaning: "The stub could not read the flash while computing an MD5 (0x63).",
    hint: "Check the supply and the flash.",
  },
  {
    code: "stub/unknown",
    kind: "device",
    meaning: "The stub answered a status nodeflash does not know.",
    hint: "Run again; report the status if it repeats.",
  },
];
