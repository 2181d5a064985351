/**
 * Firmware images and the values that go into their headers.
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** Firmware images and the values that go into their headers. */
export const IMAGE_CODES: readonly ErrorCode[] = [
  {
    code: "image/not-an-image",
    kind: "user",
    meaning: "The file does not start with an ESP8266 image header (0xE9 or 0xEA).",
    hint: "Pass the .bin the firmware build produced (convert an ELF file with esptool elf2image).",
  },
  {
    code: "image/truncated",
    kind: "user",
    meaning: "The file ends before its header or segments say it should.",
    hint: "The download or copy was cut short: fetch or build the file again.",
  },
  {
    code: "image/too-many-segments",
    kind: "user",
    meaning: "The header claims more than 16 segments.",
    hint: "The file is corrupt or not a firmware image; build or download it again.",
  },
  {
    code: "image/segment-past-end",
    kind: "user",
    meaning: "A segment runs past the end of the file.",
    hint: "The file is truncated or corrupt; build or download it again.",
  },
  {
    code: "image/corrupt",
    kind: "user",
    meaning: "A v2 image's second header is not where it should be.",
    hint: "The file is corrupt or not an ESP8266 v2 image; build or download it again.",
  },
  {
    code: "image/bad-checksum",
    kind: "user",
    meaning: "The image's checksum byte does not match its segments.",
    hint: "The file is corrupt: build or download it again.",
  },
  {
    code: "image/bad-crc",
    kind: "user",
    meaning: "A v2 image's CRC32 does not match its contents.",
    hint: "The file is corrupt: build or download it again.",
  },
  {
    code: "image/no-parts",
    kind: "user",
    meaning: "merge was given no files.",
    hint: "Give address/file pairs.",
  },
  {
    code: "image/unaligned",
    kind: "user",
    meaning: "A file to merge is not at a 4-byte aligned address.",
    hint: "Put each file at an aligned address, usually a 4 KiB boundary such as 0x10000.",
  },
  {
    code: "image/before-base",
    kind: "user",
    meaning: "A file to merge starts before the merged image's base address.",
    hint: "Check the addresses.",
  },
  {
    code: "image/overlap",
    kind: "user",
    meaning: "Two files to merge overlap.",
    hint: "Check the addresses: each file must end before the next one starts.",
  },
  {
    code: "image/too-big",
    kind: "user",
    meaning: "The merged image is larger than the size it is to be padded to.",
    hint: "Pad to a larger size or leave padding out.",
  },
  {
    code: "image/too-small",
    kind: "user",
    meaning: "A test firmware size below the minimum was asked of the firmware builder.",
    hint: "Give a totalSize of at least 0x12000.",
  },
  {
    code: "input/flash-size",
    kind: "user",
    meaning: "The flash size is not one nodeflash knows, or is ambiguous.",
    hint:
      "Use 256KB, 512KB, 1MB, 2MB, 4MB, 8MB or 16MB (or detect, keep); megabit names as the NodeMCU guide writes them (4m, 32m...) work too.",
  },
  {
    code: "input/flash-mode",
    kind: "user",
    meaning: "The flash mode is not qio, qout, dio or dout.",
    hint: "dio suits most ESP-12 boards, dout the ESP8285 and ESP-01.",
  },
  {
    code: "input/flash-freq",
    kind: "user",
    meaning: "The flash frequency is not 40m, 26m, 20m or 80m.",
    hint: "Use one of 40m (the usual), 26m, 20m, 80m.",
  },
  {
    code: "input/flash-layout",
    kind: "user",
    meaning: "The SDK's system area cannot be laid out on a flash of that many bytes.",
    hint: "Give the flash size in bytes, a multiple of 4096 and at least 64 KiB.",
  },
  {
    code: "input/mac",
    kind: "user",
    meaning: "The value is not a MAC address.",
    hint: "Write six hex pairs, e.g. 5c:cf:7f:ab:cd:ef.",
  },
  {
    code: "input/megabit-size",
    kind: "note",
    meaning:
      "A flash size was given as the NodeMCU guide's megabit name (32m = 4MB); the note says which size it is.",
    hint: "Nothing to do; write the size in bytes (4MB) to avoid the note.",
  },
];
