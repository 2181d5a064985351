/**
 * Builds valid ESP8266 firmware images from segments, for tests and the demo: v1 (0xE9) images
 * and the SDK's v2 (0xEA) OTA images.
 *
 * @module
 */

import { espChecksum } from "../bytes/checksum.ts";
import { concatBytes, u32le, writeU32 } from "../bytes/little_endian.ts";
import {
  FLASH_FREQS,
  FLASH_MODES,
  type FlashFreq,
  type FlashMode,
  type FlashSizeName,
  flashSizeRow,
} from "../chip/flash_size.ts";
import { userError } from "../errors.ts";
import { esp8266Crc32 } from "../image/esp8266_crc32.ts";
import { IMAGE_MAGIC_V1, IMAGE_MAGIC_V2 } from "../image/parse_image.ts";

/** A segment to put in an image. */
export interface SegmentSpec {
  /** Load address. */
  address: number;
  /** Contents; padded with zeros to a multiple of 4 (as elf2image does). */
  data: Uint8Array;
}

/** Options for {@link buildImage}. */
export interface BuildImageOptions {
  /** The segments, in order (at most 16). */
  segments: readonly SegmentSpec[];
  /** Entry point, 0x40100004 by default. */
  entry?: number;
  /** Header flash mode, `qio` by default (elf2image's default). */
  flashMode?: FlashMode;
  /** Header flash size, `1MB` by default (elf2image's default). */
  flashSize?: FlashSizeName;
  /** Header flash frequency, `40m` by default. */
  flashFreq?: FlashFreq;
}

function pad(data: Uint8Array, multiple: number): Uint8Array {
  const length = Math.ceil(data.length / multiple) * multiple;
  if (length === data.length) return data;
  const out = new Uint8Array(length);
  out.set(data);
  return out;
}

function header(magic: number, count: number, options: Omit<BuildImageOptions, "segments">) {
  const size = flashSizeRow(options.flashSize ?? "1MB").headerCode;
  const out = new Uint8Array(8);
  out.set([magic, count, FLASH_MODES[options.flashMode ?? "qio"]]);
  out[3] = (size << 4) | FLASH_FREQS[options.flashFreq ?? "40m"];
  writeU32(out, 4, options.entry ?? 0x40100004);
  return out;
}

/** Segments, zero padding and the checksum byte, for a body that starts at `start`. */
function segmentsAndChecksum(start: number, segments: readonly SegmentSpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let checksum = 0xef;
  let length = start;
  for (const s of segments) {
    const data = pad(s.data, 4);
    parts.push(u32le(s.address, data.length), data);
    checksum = espChecksum(data, checksum);
    length += 8 + data.length;
  }
  const padding = new Uint8Array(15 - (length % 16) + 1);
  padding[padding.length - 1] = checksum;
  return concatBytes(...parts, padding);
}

function checkCount(count: number): void {
  if (count > 16) {
    throw userError(
      "image/too-many-segments",
      `Cannot build an image with ${count} segments; the ESP8266 allows 16`,
      "Merge some segments.",
    );
  }
}

/**
 * Builds a valid v1 (0xE9) image: header, segments, zero padding and the checksum byte, so the
 * length is a multiple of 16.
 *
 * @param options segments, entry point and header flash parameters
 * @returns the image
 *
 * @example
 * ```ts
 * import { buildImage } from "./build_image.ts";
 * import { parseImage } from "../image/parse_image.ts";
 * import assert from "node:assert/strict";
 * const bytes = buildImage({ segments: [{ address: 0x3ffe8000, data: new Uint8Array([1, 2, 3]) }], flashMode: "dio" });
 * assert.equal(bytes.length % 16, 0);
 * assert.equal(parseImage(bytes).segments[0]?.length, 4);
 * ```
 */
export function buildImage(options: BuildImageOptions): Uint8Array {
  checkCount(options.segments.length);
  const head = header(IMAGE_MAGIC_V1, options.segments.length, options);
  return concatBytes(head, segmentsAndChecksum(8, options.segments));
}

/** Options for {@link buildImageV2}. */
export interface BuildImageV2Options extends BuildImageOptions {
  /** The irom0 segment contents (stored with load address 0, padded to 16 bytes). */
  irom: Uint8Array;
}

/**
 * Builds a valid v2 (0xEA) image, as the SDK's OTA builds: first header, irom0 segment, second
 * header with the RAM segments, checksum, CRC32.
 *
 * @param options the RAM segments, the irom0 contents and header parameters
 * @returns the image
 *
 * @example
 * ```ts
 * import { buildImageV2 } from "./build_image.ts";
 * import { parseImage } from "../image/parse_image.ts";
 * import assert from "node:assert/strict";
 * const image = parseImage(buildImageV2({ irom: new Uint8Array(20), segments: [] }));
 * assert.equal(image.format, "v2");
 * assert.equal(image.crc?.valid, true);
 * ```
 */
export function buildImageV2(options: BuildImageV2Options): Uint8Array {
  checkCount(options.segments.length);
  const irom = pad(options.irom, 16);
  const first = header(IMAGE_MAGIC_V2, 4, options);
  const second = header(IMAGE_MAGIC_V1, options.segments.length, options);
  const prefix = concatBytes(first, u32le(0, irom.length), irom, second);
  const body = concatBytes(prefix, segmentsAndChecksum(prefix.length, options.segments));
  return concatBytes(body, u32le(esp8266Crc32(body)));
}
