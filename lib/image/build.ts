/**
 * Builds ESP8266 firmware images for tests, the demo and the simulator: plain v1 and v2 images
 * from segments, and NodeMCU-like firmware (combined image and split `0x00000.bin` +
 * `0x10000.bin` build) with a banner the firmware would print. Everything is deterministic from
 * a seed.
 *
 * @module
 */

import { espChecksum } from "../bytes/checksum.ts";
import { concatBytes, u32le, writeU32 } from "../bytes/little_endian.ts";
import {
  FLASH_FREQS,
  FLASH_MODES,
  FLASH_SIZES,
  type FlashFreq,
  type FlashMode,
  type FlashSizeName,
} from "../chip/flash_size.ts";
import { userError } from "../errors.ts";
import { esp8266Crc32 } from "./esp8266_crc32.ts";
import { IMAGE_MAGIC_V1, IMAGE_MAGIC_V2 } from "./parse_image.ts";
import { nodemcuBanner, type NodemcuBannerSpec } from "./nodemcu_banner.ts";

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
  const size = FLASH_SIZES.find((r) => r.name === (options.flashSize ?? "1MB"))!.headerCode;
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
 * import { buildImage } from "./build.ts";
 * import { parseImage } from "./parse_image.ts";
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
 * import { buildImageV2 } from "./build.ts";
 * import { parseImage } from "./parse_image.ts";
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

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * Pseudo-random bytes that compress roughly like code: 4-byte words, mostly drawn from a
 * seed-chosen vocabulary of 256 words, the rest random.
 *
 * @param length how many bytes
 * @param seed any integer
 * @returns the bytes, the same for the same seed
 *
 * @example
 * ```ts
 * import { fillerBytes } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(fillerBytes(64, 7), fillerBytes(64, 7));
 * assert.notDeepEqual(fillerBytes(64, 7), fillerBytes(64, 8));
 * ```
 */
export function fillerBytes(length: number, seed: number): Uint8Array {
  const next = prng(seed);
  const vocabulary = Array.from({ length: 256 }, () => next());
  const out = new Uint8Array(Math.ceil(length / 4) * 4);
  for (let i = 0; i < out.length; i += 4) {
    const r = next();
    const word = (r & 0xff) < 0xb4 ? vocabulary[r >>> 24]! : next();
    writeU32(out, i, word);
  }
  return out.subarray(0, length);
}

/** Options for {@link buildNodemcuFirmware}. */
export interface NodemcuFirmwareOptions {
  /** Seed for every generated byte; 1 by default. */
  seed?: number;
  /** Length of the combined image; 400 KiB by default. At least 0x10000 + 8 KiB. */
  totalSize?: number;
  /** The banner to embed (`{ version: "3.0.0.0" }` by default), or `"none"`. */
  banner?: NodemcuBannerSpec | "none";
  /** RAM segments of the 0x00000 part; by default three like a real build (27444, 2560, 8 bytes). */
  segments?: readonly SegmentSpec[];
  /** Entry point, 0x40100004 by default. */
  entry?: number;
  /** Header flash mode, `qio` by default. */
  flashMode?: FlashMode;
  /** Header flash size, `1MB` by default (what NodeMCU builds carry). */
  flashSize?: FlashSizeName;
  /** Header flash frequency, `40m` by default. */
  flashFreq?: FlashFreq;
}

/** A file of a split build. */
export interface FirmwarePart {
  /** Flash address. */
  address: number;
  /** File name as the NodeMCU build writes it. */
  name: string;
  /** Contents. */
  data: Uint8Array;
}

/** What {@link buildNodemcuFirmware} returns. */
export interface NodemcuFirmware {
  /** The single image for 0x0 (the 0x00000 part, 0xFF up to 0x10000, then the IROM part). */
  combined: Uint8Array;
  /** The split build: `0x00000.bin` at 0x0 and `0x10000.bin` at 0x10000. */
  parts: [FirmwarePart, FirmwarePart];
  /** The embedded banner's version, if any. */
  version?: string;
  /** The banner as the firmware prints it, if any. */
  bannerText?: string;
}

/** The IROM part: filler with the banner literal and the SDK string embedded as C strings. */
function iromPart(size: number, seed: number, banner: NodemcuBannerSpec | "none"): Uint8Array {
  const irom = fillerBytes(size, seed ^ 0x1a0b);
  if (banner === "none") return irom;
  const { literal, sdk } = nodemcuBanner(banner);
  const put = (text: string, at: number) => {
    const bytes = new TextEncoder().encode(text);
    irom.fill(0, at - 4, at);
    irom.set(bytes, at);
    irom.fill(0, at + bytes.length, at + bytes.length + 4);
  };
  put(literal, Math.floor(size * 0.3) & ~3);
  put(sdk, Math.floor(size * 0.7) & ~3);
  return irom;
}

/**
 * Builds NodeMCU-like firmware: a v1 image with RAM segments at 0x00000 and an IROM part at
 * 0x10000 holding the banner strings (so {@link findNodemcuBanner} and `imageInfo` find them),
 * filled with compressible pseudo-random bytes. `mergeImages(parts)` gives `combined` back.
 *
 * @param options seed, size, banner, header parameters
 * @returns the combined image and the split build
 *
 * @example
 * ```ts
 * import { buildNodemcuFirmware } from "./build.ts";
 * import { findNodemcuBanner } from "./nodemcu_banner.ts";
 * import assert from "node:assert/strict";
 * const fw = buildNodemcuFirmware({ banner: { version: "1.5.4.1" }, totalSize: 0x20000 });
 * assert.equal(fw.combined.length, 0x20000);
 * assert.equal(findNodemcuBanner(fw.combined)?.version, "1.5.4.1");
 * ```
 */
export function buildNodemcuFirmware(options: NodemcuFirmwareOptions = {}): NodemcuFirmware {
  const seed = options.seed ?? 1;
  const totalSize = options.totalSize ?? 400 * 1024;
  const banner = options.banner ?? { version: "3.0.0.0" };
  if (!Number.isInteger(totalSize) || totalSize < 0x12000) {
    throw userError(
      "image/too-small",
      `Cannot build NodeMCU-like firmware of ${totalSize} bytes`,
      "Give a totalSize of at least 0x12000 (72 KiB); real builds are 400-550 KiB.",
    );
  }
  const segments = options.segments ?? [
    { address: 0x40100000, data: fillerBytes(27444, seed) },
    { address: 0x3ffe8000, data: fillerBytes(2560, seed + 1) },
    { address: 0x3ffe8a00, data: fillerBytes(8, seed + 2) },
  ];
  const low = buildImage({ ...options, segments });
  if (low.length > 0x10000) {
    throw userError(
      "image/too-big",
      `The 0x00000 part would be ${low.length} bytes and overlap the IROM part at 0x10000`,
      "Give smaller segments.",
    );
  }
  const irom = iromPart(totalSize - 0x10000, seed, banner);
  const combined = new Uint8Array(totalSize).fill(0xff, low.length, 0x10000);
  combined.set(low);
  combined.set(irom, 0x10000);
  const out: NodemcuFirmware = {
    combined,
    parts: [
      { address: 0, name: "0x00000.bin", data: low },
      { address: 0x10000, name: "0x10000.bin", data: irom },
    ],
  };
  if (banner !== "none") {
    out.version = banner.version;
    out.bannerText = nodemcuBanner(banner).text;
  }
  return out;
}
