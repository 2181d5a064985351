/**
 * Merges files meant for several flash addresses into one image for a single write, the gaps
 * filled with 0xFF (erased flash), like `esptool merge-bin --format raw`.
 *
 * Placement rule: every part must start on a 4-byte boundary (flash is written in 32-bit words
 * and the ROM rejects unaligned writes), and no two parts may share a byte. esptool also
 * refuses two files that share a 4 KiB sector, because its write-flash erases each file's
 * sectors separately and would wipe the neighbour; a merged file is written in one go, so that
 * cannot happen and is allowed here.
 *
 * @module
 */

import { hex32 } from "../bytes/hex.ts";
import { type FlashSizeName, flashSizeRow } from "../chip/flash_size.ts";
import { userError } from "../errors.ts";
import {
  type HeaderPatchOptions,
  type HeaderPatchResult,
  patchImageHeader,
} from "./patch_image_header.ts";

/** One input file. */
export interface MergePart {
  /** Flash address. */
  address: number;
  /** Contents. */
  data: Uint8Array;
  /** File name, for messages. */
  name: string;
}

/** Options for {@link mergeImages}. */
export interface MergeOptions {
  /** Flash address of the output's first byte, 0 by default. */
  baseAddress?: number;
  /** Pad the output with 0xFF up to this flash address (bytes or a size name, e.g. `4MB`). */
  padTo?: number | FlashSizeName;
  /** Flash mode to write into the image at address 0 (`keep` by default). */
  flashMode?: HeaderPatchOptions["mode"];
  /** Flash size to write into the image at address 0. */
  flashSize?: HeaderPatchOptions["size"];
  /** Flash frequency to write into the image at address 0. */
  flashFreq?: HeaderPatchOptions["freq"];
}

/** What {@link mergeImages} returns. */
export interface MergedImage {
  /** The merged bytes, for flashing at `baseAddress`. */
  data: Uint8Array;
  /** Flash address of `data[0]`. */
  baseAddress: number;
  /** What happened to the header of the part at address 0 when patching was asked for. */
  headerPatch?: HeaderPatchResult;
}

const range = (p: MergePart) => `${hex32(p.address)}..${hex32(p.address + p.data.length)}`;

function checkPlacement(parts: MergePart[], base: number): void {
  for (const p of parts) {
    if (!Number.isInteger(p.address) || p.address < 0 || p.address % 4 !== 0) {
      throw userError(
        "image/unaligned",
        `${p.name} is placed at ${p.address < 0 ? p.address : hex32(p.address)}, ` +
          `which is not a multiple of 4`,
        "Put each file at a 4-byte aligned address (usually a 4 KiB sector boundary such as 0x10000).",
      );
    }
    if (p.address < base) {
      throw userError(
        "image/before-base",
        `${p.name} at ${hex32(p.address)} starts before the output's base address ${hex32(base)}`,
        "Lower the base address or move the file.",
      );
    }
  }
  for (let i = 1; i < parts.length; i++) {
    const a = parts[i - 1]!;
    const b = parts[i]!;
    if (a.address + a.data.length > b.address) {
      throw userError(
        "image/overlap",
        `${a.name} (${range(a)}) overlaps ${b.name} (${range(b)})`,
        "Check the addresses: each file must end before the next one starts.",
      );
    }
  }
}

function padEnd(padTo: number | FlashSizeName | undefined): number | undefined {
  if (typeof padTo === "number" || padTo === undefined) return padTo;
  return flashSizeRow(padTo).bytes;
}

/**
 * Merges parts into one image padded with 0xFF. When any of `flashMode/flashSize/flashFreq` is
 * given (not `keep`), the part at address 0 gets its header patched if it is a v1 image; the
 * outcome is returned so the caller can report a skipped patch.
 *
 * @param parts the files and their addresses (any order)
 * @param options base address, final size, header patching
 * @returns the merged image
 * @throws user errors `image/no-parts`, `image/unaligned`, `image/before-base`,
 *   `image/overlap`, `image/too-big`
 *
 * @example
 * ```ts
 * import { mergeImages } from "./merge_images.ts";
 * import assert from "node:assert/strict";
 * const merged = mergeImages([
 *   { address: 0x10, data: new Uint8Array([2]), name: "b.bin" },
 *   { address: 0, data: new Uint8Array([1]), name: "a.bin" },
 * ]);
 * assert.deepEqual(merged.data.subarray(0, 2), new Uint8Array([1, 0xff]));
 * assert.equal(merged.data.length, 0x11);
 * ```
 */
export function mergeImages(parts: readonly MergePart[], options: MergeOptions = {}): MergedImage {
  if (parts.length === 0) {
    throw userError(
      "image/no-parts",
      "Nothing to merge: no input files",
      "Give address/file pairs.",
    );
  }
  const base = options.baseAddress ?? 0;
  const sorted = [...parts].sort((a, b) => a.address - b.address);
  checkPlacement(sorted, base);
  const last = sorted[sorted.length - 1]!;
  const contentEnd = last.address + last.data.length;
  const end = padEnd(options.padTo) ?? contentEnd;
  if (end < contentEnd) {
    throw userError(
      "image/too-big",
      `The merged image ends at ${hex32(contentEnd)} (${last.name}), past the pad size ${
        hex32(end)
      }`,
      "Pad to a larger size or leave padding out.",
    );
  }
  const out = new Uint8Array(end - base).fill(0xff);
  const patchWanted = [options.flashMode, options.flashSize, options.flashFreq].some((v) =>
    v !== undefined && v !== "keep"
  );
  let headerPatch: HeaderPatchResult | undefined;
  for (const part of sorted) {
    let data = part.data;
    if (part.address === 0 && patchWanted) {
      const patch: HeaderPatchOptions = {};
      if (options.flashMode !== undefined) patch.mode = options.flashMode;
      if (options.flashSize !== undefined) patch.size = options.flashSize;
      if (options.flashFreq !== undefined) patch.freq = options.flashFreq;
      headerPatch = patchImageHeader(data, patch);
      data = headerPatch.bytes;
    }
    out.set(data, part.address - base);
  }
  const result: MergedImage = { data: out, baseAddress: base };
  if (headerPatch !== undefined) result.headerPatch = headerPatch;
  return result;
}
