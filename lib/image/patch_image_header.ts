/**
 * Reads and rewrites the flash parameters in header bytes 2-3 of an ESP8266 image: byte 2 is
 * the SPI mode, byte 3 holds the size code (high nibble) and the frequency code (low nibble).
 * The image checksum covers segment data only, so patching leaves it valid.
 *
 * Facts: docs/protocol.md §11.1 (codes), §11.3 (when esptool patches).
 *
 * @module
 */

import {
  FLASH_FREQS,
  FLASH_MODES,
  type FlashFreq,
  flashFreqFromCode,
  type FlashMode,
  flashModeFromCode,
  flashSizeFromHeaderCode,
  type FlashSizeName,
  flashSizeRow,
} from "../chip/flash_size.ts";
import { isNodeflashError } from "../errors.ts";
import { IMAGE_MAGIC_V1, IMAGE_MAGIC_V2, parseImage } from "./parse_image.ts";

/** The flash parameters of a header, as codes and (when known) names. */
export interface FlashParams {
  /** Byte 2. */
  modeCode: number;
  /** High nibble of byte 3. */
  sizeCode: number;
  /** Low nibble of byte 3. */
  freqCode: number;
  /** The mode, if byte 2 is a known one. */
  mode?: FlashMode;
  /** The size, if the code is a known one. */
  size?: FlashSizeName;
  /** The frequency, if the code is a known one. */
  freq?: FlashFreq;
}

/**
 * Decodes header bytes 2-3.
 *
 * @param bytes an image (at least 4 bytes)
 * @returns the codes and names
 *
 * @example
 * ```ts
 * import { readFlashParams } from "./patch_image_header.ts";
 * import assert from "node:assert/strict";
 * const p = readFlashParams(new Uint8Array([0xe9, 1, 2, 0x4f]));
 * assert.deepEqual([p.mode, p.size, p.freq], ["dio", "4MB", "80m"]);
 * ```
 */
export function readFlashParams(bytes: Uint8Array): FlashParams {
  const modeCode = bytes[2] ?? 0;
  const sizeCode = (bytes[3] ?? 0) >> 4;
  const freqCode = (bytes[3] ?? 0) & 0xf;
  const out: FlashParams = { modeCode, sizeCode, freqCode };
  const mode = flashModeFromCode(modeCode);
  const size = flashSizeFromHeaderCode(sizeCode)?.name;
  const freq = flashFreqFromCode(freqCode);
  if (mode !== undefined) out.mode = mode;
  if (size !== undefined) out.size = size;
  if (freq !== undefined) out.freq = freq;
  return out;
}

/** What to write; each field `keep` (the default) or a value. */
export interface HeaderPatchOptions {
  /** SPI mode. */
  mode?: FlashMode | "keep";
  /** Flash size (resolve `detect` before calling). */
  size?: FlashSizeName | "keep";
  /** Flash frequency. */
  freq?: FlashFreq | "keep";
}

/** Why an image was left alone. */
export type HeaderPatchSkip =
  /** Every option was `keep`. */
  | "all-keep"
  /** The header already had these values. */
  | "same-values"
  /** Shorter than a header. */
  | "too-short"
  /** A v2 (0xEA) image: esptool does not patch those either. */
  | "v2-image"
  /** The first byte is not 0xE9. */
  | "not-an-image"
  /** Starts with 0xE9 but does not parse as an image. */
  | "invalid-image";

/** The outcome of {@link patchImageHeader}. */
export type HeaderPatchResult =
  /** New bytes with the header rewritten. */
  | { outcome: "patched"; bytes: Uint8Array; before: FlashParams; after: FlashParams }
  /** The input bytes, untouched, with why. */
  | { outcome: "unchanged"; bytes: Uint8Array; skip: HeaderPatchSkip; reason: string };

function unchanged(bytes: Uint8Array, skip: HeaderPatchSkip, reason: string): HeaderPatchResult {
  return { outcome: "unchanged", bytes, skip, reason };
}

/**
 * Rewrites the flash mode, size and frequency in the header of a v1 (0xE9) image, as esptool
 * does when writing to 0x0. Anything else (v2 images, data, files that start with 0xE9 but do
 * not parse) comes back unchanged with a reason the caller can report. Whether the image is
 * going to address 0 is the caller's business. A bad checksum does not block patching (esptool
 * does not check it either); the checksum stays what it was, because it does not cover the
 * header.
 *
 * @param bytes the image
 * @param options the new values, `keep` by default
 * @returns new bytes (`patched`) or the same bytes (`unchanged`)
 *
 * @example
 * ```ts
 * import { patchImageHeader } from "./patch_image_header.ts";
 * import { buildImage } from "../testing/build_image.ts";
 * import assert from "node:assert/strict";
 * const image = buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(4) }] });
 * const result = patchImageHeader(image, { mode: "dio", size: "4MB" });
 * assert.equal(result.outcome, "patched");
 * assert.deepEqual([result.bytes[2], result.bytes[3]], [0x02, 0x40]);
 * ```
 */
export function patchImageHeader(
  bytes: Uint8Array,
  options: HeaderPatchOptions = {},
): HeaderPatchResult {
  const mode = options.mode ?? "keep";
  const size = options.size ?? "keep";
  const freq = options.freq ?? "keep";
  if (mode === "keep" && size === "keep" && freq === "keep") {
    return unchanged(bytes, "all-keep", "flash mode, size and frequency are all 'keep'");
  }
  if (bytes.length < 8) return unchanged(bytes, "too-short", "too short to be an image");
  if (bytes[0] === IMAGE_MAGIC_V2) {
    return unchanged(bytes, "v2-image", "a v2 (0xEA) image; its header is left as built");
  }
  if (bytes[0] !== IMAGE_MAGIC_V1) {
    return unchanged(bytes, "not-an-image", "does not start with 0xE9, so it is not an image");
  }
  try {
    parseImage(bytes);
  } catch (e) {
    if (!isNodeflashError(e)) throw e;
    return unchanged(bytes, "invalid-image", `not a valid ESP8266 image (${e.message})`);
  }
  const before = readFlashParams(bytes);
  const modeByte = mode === "keep" ? before.modeCode : FLASH_MODES[mode];
  const sizeCode = size === "keep" ? before.sizeCode : flashSizeRow(size).headerCode;
  const freqCode = freq === "keep" ? before.freqCode : FLASH_FREQS[freq];
  const sizeFreq = (sizeCode << 4) | freqCode;
  if (modeByte === bytes[2] && sizeFreq === bytes[3]) {
    return unchanged(bytes, "same-values", "the header already has these values");
  }
  const out = bytes.slice();
  out[2] = modeByte;
  out[3] = sizeFreq;
  return { outcome: "patched", bytes: out, before, after: readFlashParams(out) };
}
