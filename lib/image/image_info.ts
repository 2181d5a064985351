/**
 * Everything worth showing about a firmware file: format, entry, segments, checksum, header
 * flash parameters and the NodeMCU banner. Data only; the CLI renders it.
 *
 * @module
 */

import { flashSizeRow } from "../chip/flash_size.ts";
import { IROM_MAP } from "../chip/esp8266.ts";
import { findNodemcuBanner, type NodemcuBanner } from "./find_nodemcu_banner.ts";
import { type CheckValue, parseImage, type ParseImageOptions } from "./parse_image.ts";
import { type FlashParams, readFlashParams } from "./patch_image_header.ts";

/** Where a load address is in the ESP8266 memory map. */
export type MemoryRegion = "dram" | "iram" | "irom" | "other";

/** One segment, for display. */
export interface SegmentInfo {
  /** Load address. */
  loadAddress: number;
  /** Data length. */
  length: number;
  /** Where the segment header starts in the file (esptool's `file_offs`). */
  fileOffset: number;
  /** Memory region of the load address. */
  region: MemoryRegion;
  /** Whether the image checksum covers it. */
  checksummed: boolean;
}

/** What {@link imageInfo} reports. */
export interface ImageInfo {
  /** `v1` (0xE9) or `v2` (0xEA). */
  format: "v1" | "v2";
  /** File length. */
  length: number;
  /** Where the image proper ends (checksum byte + 1, or after the v2 CRC). */
  imageEnd: number;
  /** Bytes after the image (the IROM part of a combined NodeMCU image, for example). */
  trailingBytes: number;
  /** Entry point. */
  entry: number;
  /** Segments in file order. */
  segments: SegmentInfo[];
  /** The checksum byte. */
  checksum: Pick<CheckValue, "valid" | "stored" | "computed">;
  /** v2 only: the CRC32. */
  crc?: Pick<CheckValue, "valid" | "stored" | "computed">;
  /** Flash parameters from header bytes 2-3 (the second header of a v2 image), plus the size in bytes when known. */
  header: FlashParams & { sizeBytes?: number };
  /** What esptool would warn about. */
  warnings: string[];
  /** The NodeMCU banner found in the file's strings, if any. */
  nodemcu?: NodemcuBanner;
}

/**
 * The memory region of an address: DRAM 0x3FFE8000-0x40000000, IRAM 0x40100000-0x40108000,
 * IROM 0x40200000-0x40300000 (flash-mapped).
 *
 * @param address a load address
 * @returns the region
 *
 * @example
 * ```ts
 * import { memoryRegion } from "./image_info.ts";
 * if (memoryRegion(0x40100000) !== "iram") throw new Error();
 * ```
 */
export function memoryRegion(address: number): MemoryRegion {
  if (address >= 0x3ffe8000 && address < 0x40000000) return "dram";
  if (address >= 0x40100000 && address < 0x40108000) return "iram";
  if (address >= IROM_MAP.start && address < IROM_MAP.end) return "irom";
  return "other";
}

const check = (c: CheckValue) => ({ valid: c.valid, stored: c.stored, computed: c.computed });

/**
 * Describes an image: structure, checksum, header and, when present, the NodeMCU banner with
 * its parsed fields and raw text.
 *
 * @param bytes the file
 * @param options the file's name for messages
 * @returns the description
 * @throws the user errors of {@link parseImage} for files that are not images
 *
 * @example
 * ```ts
 * import { imageInfo } from "./image_info.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * const info = imageInfo(buildNodemcuFirmware({ totalSize: 0x20000 }).combined);
 * assert.equal(info.checksum.valid, true);
 * assert.equal(info.nodemcu?.version, "3.0.0.0");
 * assert.equal(info.header.size, "1MB");
 * ```
 */
export function imageInfo(bytes: Uint8Array, options: ParseImageOptions = {}): ImageInfo {
  const image = parseImage(bytes, options);
  const headerOffset = image.format === "v2"
    ? image.segments[0]!.dataOffset +
      image.segments[0]!.length
    : 0;
  const params = readFlashParams(bytes.subarray(headerOffset, headerOffset + 4));
  const sizeBytes = params.size === undefined ? undefined : flashSizeRow(params.size).bytes;
  const info: ImageInfo = {
    format: image.format,
    length: bytes.length,
    imageEnd: image.end,
    trailingBytes: bytes.length - image.end,
    entry: image.header.entry,
    segments: image.segments.map((s) => ({
      loadAddress: s.loadAddress,
      length: s.length,
      fileOffset: s.fileOffset,
      region: memoryRegion(s.loadAddress),
      checksummed: s.checksummed,
    })),
    checksum: check(image.checksum),
    header: sizeBytes === undefined ? params : { ...params, sizeBytes },
    warnings: image.warnings,
  };
  if (image.crc !== undefined) info.crc = check(image.crc);
  const banner = findNodemcuBanner(bytes);
  if (banner !== undefined) info.nodemcu = banner;
  return info;
}
