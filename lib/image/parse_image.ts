/**
 * Parses ESP8266 firmware images.
 *
 * - **v1** (magic 0xE9), loaded by the ROM: 8-byte header (magic, segment count, flash mode,
 *   size/frequency, entry), segments (load address, length, data), zero padding so that the
 *   checksum byte ends the file on a multiple of 16. Checksum = 0xEF XOR every segment byte.
 * - **v2** (magic 0xEA), loaded by Espressif's or rBoot's second-stage loader: a first header
 *   (byte 1 = 4), the irom0 segment (not checksummed), a second v1 header with the RAM
 *   segments, the checksum, then a CRC32 of everything before it ({@link esp8266Crc32}).
 *
 * A v1 file may go on after the checksum: NodeMCU's combined images pad to 0x10000 and append
 * the IROM part there. The parser reports where the image ends; the rest is not its business.
 *
 * Facts: docs/protocol.md §11.1, §11.2.
 *
 * @module
 */

import { espChecksum } from "../bytes/checksum.ts";
import { hex32 } from "../bytes/hex.ts";
import { readU32 } from "../bytes/little_endian.ts";
import { userError } from "../errors.ts";
import { IROM_MAP } from "../chip/esp8266.ts";
import { esp8266Crc32 } from "./esp8266_crc32.ts";

/** First byte of a v1 image. */
export const IMAGE_MAGIC_V1 = 0xe9;
/** First byte of a v2 image. */
export const IMAGE_MAGIC_V2 = 0xea;
/** Most segments an image may have (esptool's `verify`). */
export const MAX_SEGMENTS = 16;

/** An 8-byte image header, raw. */
export interface ImageHeader {
  /** 0xE9 or 0xEA. */
  magic: number;
  /** Segment count (v2 first header: the constant 4). */
  segmentCount: number;
  /** Byte 2: flash mode code. */
  flashModeByte: number;
  /** Byte 3: size code (high nibble) and frequency code (low nibble). */
  flashSizeFreqByte: number;
  /** Entry point. */
  entry: number;
}

/** One segment of an image. */
export interface ImageSegment {
  /** Load address from the segment header (the v2 irom0 segment stores 0). */
  loadAddress: number;
  /** Data length. */
  length: number;
  /** Where the segment's 8-byte header starts in the file (esptool's `file_offs`). */
  fileOffset: number;
  /** Where its data starts in the file. */
  dataOffset: number;
  /** Whether the image checksum covers it (false for the v2 irom0 segment). */
  checksummed: boolean;
  /** The data (a view into the parsed bytes). */
  data: Uint8Array;
}

/** A stored check value against the computed one. */
export interface CheckValue {
  /** Where it is in the file. */
  offset: number;
  /** The value in the file. */
  stored: number;
  /** The value computed from the data. */
  computed: number;
  /** `stored === computed`. */
  valid: boolean;
}

/** What {@link parseImage} found. */
export interface ParsedImage {
  /** `v1` (0xE9) or `v2` (0xEA). */
  format: "v1" | "v2";
  /** The header that counts: the only one in v1, the second one in v2 (as esptool). */
  header: ImageHeader;
  /** v2 only: the first (0xEA) header. */
  firstHeader?: ImageHeader;
  /** Every segment in file order (v2: the irom0 segment first). */
  segments: ImageSegment[];
  /** The 0xEF XOR checksum byte. */
  checksum: CheckValue;
  /** v2 only: the trailing CRC32. */
  crc?: CheckValue;
  /** Bytes the image occupies; a v1 file may have more after it. */
  end: number;
  /** Things esptool would warn about (unusual segments, disagreeing v2 headers). */
  warnings: string[];
}

/** Options for {@link parseImage}. */
export interface ParseImageOptions {
  /** How to call the file in messages, `"the image"` by default. */
  name?: string;
}

function readHeader(bytes: Uint8Array, offset: number): ImageHeader {
  return {
    magic: bytes[offset]!,
    segmentCount: bytes[offset + 1]!,
    flashModeByte: bytes[offset + 2]!,
    flashSizeFreqByte: bytes[offset + 3]!,
    entry: readU32(bytes, offset + 4),
  };
}

function notAnImage(bytes: Uint8Array, name: string): Error {
  const first = bytes.length === 0 ? "it is empty" : `first byte ${hex32(bytes[0]!, 2)}`;
  const isElf = bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  return userError(
    "image/not-an-image",
    `${name} is not an ESP8266 firmware image (${first}, expected 0xe9)`,
    isElf
      ? "This is an ELF file: convert it with 'esptool elf2image' and flash the .bin it writes."
      : "Pass the .bin the firmware build produced (for NodeMCU the single combined image, or " +
        "0x00000.bin and 0x10000.bin), not a .hex, .elf, archive or web page.",
  );
}

function truncated(name: string, what: string, length: number): Error {
  return userError(
    "image/truncated",
    `${name} is truncated: ${what}, but the file has only ${length} bytes`,
    "The download or copy was probably cut short; fetch or build the file again.",
  );
}

/** Reads `count` segments starting at `offset`; returns them and the offset after them. */
function readSegments(
  bytes: Uint8Array,
  offset: number,
  count: number,
  context: { name: string; first: number; warnings: string[] },
): { segments: ImageSegment[]; next: number } {
  const { name } = context;
  if (count > MAX_SEGMENTS) {
    throw userError(
      "image/too-many-segments",
      `${name} claims ${count} segments; an ESP8266 image has at most ${MAX_SEGMENTS}`,
      "The file is corrupt or not a firmware image; build or download it again.",
    );
  }
  const segments: ImageSegment[] = [];
  let pos = offset;
  for (let i = 0; i < count; i++) {
    const index = context.first + i;
    if (pos + 8 > bytes.length) {
      throw truncated(name, `segment ${index} header should be at ${hex32(pos)}`, bytes.length);
    }
    const loadAddress = readU32(bytes, pos);
    const length = readU32(bytes, pos + 4);
    if (pos + 8 + length > bytes.length) {
      throw userError(
        "image/segment-past-end",
        `${name}: segment ${index} (load ${hex32(loadAddress)}, ${length} bytes at file offset ` +
          `${hex32(pos + 8)}) runs past the end of the file (${bytes.length} bytes)`,
        "The file is truncated or corrupt; build or download it again.",
      );
    }
    const isIrom = loadAddress >= IROM_MAP.start && loadAddress < IROM_MAP.end;
    if (!isIrom && (loadAddress < 0x3ffe0000 || loadAddress > 0x40200000 || length > 65536)) {
      context.warnings.push(`Suspicious segment ${hex32(loadAddress)}, length ${length}`);
    }
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    segments.push({
      loadAddress,
      length,
      fileOffset: pos,
      dataOffset: pos + 8,
      checksummed: true,
      data,
    });
    pos += 8 + length;
  }
  return { segments, next: pos };
}

/** Reads the checksum byte at the end of the 16-byte padding after `pos`. */
function readChecksum(
  bytes: Uint8Array,
  pos: number,
  segments: ImageSegment[],
  name: string,
): CheckValue {
  const offset = pos + 15 - (pos % 16);
  if (offset >= bytes.length) {
    throw truncated(name, `its checksum byte should be at ${hex32(offset)}`, bytes.length);
  }
  let computed = 0xef;
  for (const s of segments) if (s.checksummed) computed = espChecksum(s.data, computed);
  const stored = bytes[offset]!;
  return { offset, stored, computed, valid: stored === computed };
}

function parseV2(bytes: Uint8Array, name: string, warnings: string[]): ParsedImage {
  const firstHeader = readHeader(bytes, 0);
  if (firstHeader.segmentCount !== 4) {
    warnings.push(
      `V2 header has unexpected "segment" count ${firstHeader.segmentCount} (usually 4)`,
    );
  }
  const irom = readSegments(bytes, 8, 1, { name, first: 0, warnings: [] });
  const iromSegment = irom.segments[0]!;
  iromSegment.checksummed = false;
  const at = irom.next;
  if (at + 8 > bytes.length) {
    throw truncated(name, `its second header should be at ${hex32(at)}`, bytes.length);
  }
  const header = readHeader(bytes, at);
  if (header.magic !== IMAGE_MAGIC_V1) {
    throw userError(
      "image/corrupt",
      `${name}: the second header of this v2 image (at ${hex32(at)}) starts with ` +
        `${hex32(header.magic, 2)}, expected 0xe9`,
      "The file is corrupt or not an ESP8266 v2 image; build or download it again.",
    );
  }
  for (
    const [field, a, b] of [
      ["Flash mode", firstHeader.flashModeByte, header.flashModeByte],
      ["Flash size/freq", firstHeader.flashSizeFreqByte, header.flashSizeFreqByte],
      ["Entry point", firstHeader.entry, header.entry],
    ] as const
  ) {
    if (a !== b) {
      warnings.push(
        `${field} in the first header (${hex32(a, 2)}) disagrees with the second (${
          hex32(b, 2)
        }); using the second`,
      );
    }
  }
  const ram = readSegments(bytes, at + 8, header.segmentCount, { name, first: 1, warnings });
  const segments = [iromSegment, ...ram.segments];
  const checksum = readChecksum(bytes, ram.next, segments, name);
  const crcOffset = checksum.offset + 1;
  if (crcOffset + 4 > bytes.length) {
    throw truncated(name, `its CRC32 should be at ${hex32(crcOffset)}`, bytes.length);
  }
  const stored = readU32(bytes, crcOffset);
  const computed = esp8266Crc32(bytes.subarray(0, crcOffset));
  return {
    format: "v2",
    header,
    firstHeader,
    segments,
    checksum,
    crc: { offset: crcOffset, stored, computed, valid: stored === computed },
    end: crcOffset + 4,
    warnings,
  };
}

/**
 * Parses a v1 or v2 ESP8266 image and checks its checksum (and the v2 CRC). A bad checksum is
 * reported in the result, not thrown: see {@link verifyImage}.
 *
 * @param bytes the file
 * @param options the file's name for messages
 * @returns the structure
 * @throws user errors `image/not-an-image`, `image/truncated`, `image/too-many-segments`,
 *   `image/segment-past-end`, `image/corrupt`
 *
 * @example
 * ```ts
 * import { parseImage } from "./parse_image.ts";
 * import { buildImage } from "../testing/build_image.ts";
 * import assert from "node:assert/strict";
 * const image = parseImage(buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(8) }] }));
 * assert.equal(image.format, "v1");
 * assert.equal(image.checksum.valid, true);
 * assert.throws(() => parseImage(new TextEncoder().encode("hello"), { name: "a.txt" }), /a.txt is not an ESP8266/);
 * ```
 */
export function parseImage(bytes: Uint8Array, options: ParseImageOptions = {}): ParsedImage {
  const name = options.name ?? "the image";
  const magic = bytes[0];
  if (magic !== IMAGE_MAGIC_V1 && magic !== IMAGE_MAGIC_V2) throw notAnImage(bytes, name);
  if (bytes.length < 8) throw truncated(name, "the image header needs 8 bytes", bytes.length);
  const warnings: string[] = [];
  if (magic === IMAGE_MAGIC_V2) return parseV2(bytes, name, warnings);
  const header = readHeader(bytes, 0);
  const { segments, next } = readSegments(bytes, 8, header.segmentCount, {
    name,
    first: 0,
    warnings,
  });
  const checksum = readChecksum(bytes, next, segments, name);
  return { format: "v1", header, segments, checksum, end: checksum.offset + 1, warnings };
}

/**
 * Parses an image and insists that its checksum (and v2 CRC) match.
 *
 * @param bytes the file
 * @param options the file's name for messages
 * @returns the structure
 * @throws what {@link parseImage} throws, and user errors `image/bad-checksum`, `image/bad-crc`
 *
 * @example
 * ```ts
 * import { verifyImage } from "./parse_image.ts";
 * import { buildImage } from "../testing/build_image.ts";
 * import assert from "node:assert/strict";
 * const bytes = buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array([1, 2, 3, 4]) }] });
 * bytes[bytes.length - 1]! ^= 0xff;
 * assert.throws(() => verifyImage(bytes, { name: "fw.bin" }), /fw.bin has a bad checksum/);
 * ```
 */
export function verifyImage(bytes: Uint8Array, options: ParseImageOptions = {}): ParsedImage {
  const name = options.name ?? "the image";
  const image = parseImage(bytes, options);
  const hint = "The file is corrupt; build or download it again.";
  const { checksum, crc } = image;
  if (!checksum.valid) {
    throw userError(
      "image/bad-checksum",
      `${name} has a bad checksum: ${hex32(checksum.stored, 2)} stored at ` +
        `${hex32(checksum.offset)}, ${hex32(checksum.computed, 2)} computed`,
      hint,
    );
  }
  if (crc !== undefined && !crc.valid) {
    throw userError(
      "image/bad-crc",
      `${name} has a bad CRC32: ${hex32(crc.stored)} stored, ${hex32(crc.computed)} computed`,
      hint,
    );
  }
  return image;
}
