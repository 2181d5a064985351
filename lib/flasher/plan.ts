/**
 * The write plan (pure): which bytes go where. Checks what can be checked before connecting
 * (sector alignment, overlaps, sizes against a given flash size), then — once the flash size is
 * known — patches the image header at 0x0 and places init data where the SDK will look for it.
 *
 * @module
 */

import {
  type FlashFreq,
  type FlashMode,
  type FlashSizeRow,
  flashSizeRow,
} from "../chip/flash_size.ts";
import { flashLayout, SECTOR_SIZE } from "../chip/esp8266.ts";
import { hex32 } from "../bytes/hex.ts";
import { userError } from "../errors.ts";
import { type HeaderPatchResult, patchImageHeader } from "../image/patch_image_header.ts";
import { readFlashParams } from "../image/patch_image_header.ts";
import { builtInInitData } from "./init_data.ts";

/** A file to write. */
export interface FlashFile {
  /** Flash offset. */
  address: number;
  /** Name for messages (the path the user gave). */
  name: string;
  /** The bytes. */
  data: Uint8Array;
}

/** Init data to add: none, a built-in table, or a file's bytes. */
export type InitDataChoice =
  | { kind: "none" }
  | { kind: "builtin"; which: "default" | "v05" }
  | { kind: "file"; name: string; data: Uint8Array };

/** One region of the plan. */
export interface PlannedRegion {
  /** Name for messages and results. */
  name: string;
  /** Flash offset (a sector boundary). */
  address: number;
  /** What to write, padded to 4 bytes with 0xFF. */
  data: Uint8Array;
  /** Where it came from. */
  source: "file" | "init-data";
  /** For the file at 0x0: what header patching did. */
  header?: HeaderPatchResult;
}

/** The plan. */
export interface FlashPlan {
  /** Regions in address order. */
  regions: PlannedRegion[];
  /** The flash size the image header at 0x0 announces after patching (what the SDK will use). */
  layout: FlashSizeRow;
}

const span = (f: { address: number; data: Uint8Array }) =>
  `${hex32(f.address)}-${hex32(f.address + f.data.length)}`;

function checkPastEnd(
  file: { name: string; address: number; data: Uint8Array },
  size: FlashSizeRow,
) {
  const flash = size.bytes;
  if (file.data.length > flash) {
    throw userError(
      "input/too-large",
      `${file.name} (${file.data.length} bytes) is larger than the ${size.name} flash`,
      "Check that this is the firmware for this board, or give the real --flash-size.",
    );
  }
  const end = file.address + file.data.length;
  if (end > flash) {
    throw userError(
      "input/past-end",
      `${file.name} at ${hex32(file.address)} runs past the end of the ${size.name} flash (${
        hex32(flash)
      }) by ${end - flash} bytes`,
      "Check the address, or give the real --flash-size.",
    );
  }
}

function checkOverlaps(items: Array<{ name: string; address: number; data: Uint8Array }>) {
  const sorted = [...items].sort((a, b) => a.address - b.address);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.address < prev.address + prev.data.length) {
      throw userError(
        "input/overlap",
        `${prev.name} (${span(prev)}) overlaps ${cur.name} (${span(cur)})`,
        "Give each file its own range; a combined image at 0x0 already holds everything up to its end.",
      );
    }
  }
}

/**
 * Checks the files before connecting: non-empty, sector-aligned, not overlapping, and (when
 * the flash size is already known) inside the flash.
 *
 * @param files the files
 * @param options the flash size when the user gave one
 * @throws NodeflashError (user) naming the file and address
 *
 * @example
 * ```ts
 * import { checkFiles } from "./plan.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => checkFiles([{ name: "fw.bin", address: 0x1234, data: new Uint8Array(4) }]), /not a multiple of 0x1000/);
 * ```
 */
export function checkFiles(files: FlashFile[], options: { flashSize?: FlashSizeRow } = {}): void {
  if (files.length === 0) {
    throw userError(
      "input/no-files",
      "Nothing to write",
      "Give a firmware file, or ADDR FILE pairs.",
    );
  }
  for (const f of files) {
    if (f.data.length === 0) {
      throw userError("input/empty-file", `${f.name} is empty`, "Check the file name.");
    }
    if (f.address % SECTOR_SIZE !== 0) {
      throw userError(
        "input/unaligned-address",
        `${f.name}: address ${hex32(f.address)} is not a multiple of 0x1000 (a 4 KiB flash sector)`,
        `Flash is erased in 4 KiB sectors; put each file at a sector boundary such as ${
          hex32(f.address - f.address % SECTOR_SIZE)
        }.`,
      );
    }
    if (options.flashSize !== undefined) checkPastEnd(f, options.flashSize);
  }
  checkOverlaps(files);
}

/** Options for {@link planFlash}. */
export interface PlanOptions {
  /** The flash size of the job (detected or given): bounds, layout and the header's size. */
  flashSize: FlashSizeRow;
  /** `set`: the header at 0x0 gets {@link PlanOptions.flashSize}; `keep`: it keeps its own. */
  headerSize: "set" | "keep";
  /** The SPI mode to write into the header. */
  flashMode: FlashMode | "keep";
  /** The SPI frequency to write into the header. */
  flashFreq: FlashFreq | "keep";
  /** Init data to add. */
  initData: InitDataChoice;
}

const pad4 = (data: Uint8Array): Uint8Array => {
  if (data.length % 4 === 0) return data;
  const out = new Uint8Array(data.length + 4 - data.length % 4).fill(0xff);
  out.set(data);
  return out;
};

/**
 * Builds the plan once the flash size is known.
 *
 * @param files the files (already checked with {@link checkFiles})
 * @param options flash size, header settings, init data
 * @returns the regions and the layout size the SDK will use
 *
 * @example
 * ```ts
 * import { planFlash } from "./plan.ts";
 * import { flashSizeRow } from "../chip/flash_size.ts";
 * import assert from "node:assert/strict";
 * const plan = planFlash([{ name: "data.bin", address: 0x10000, data: new Uint8Array(8) }], {
 *   flashSize: flashSizeRow("4MB"), headerSize: "keep", flashMode: "keep", flashFreq: "keep",
 *   initData: { kind: "builtin", which: "default" },
 * });
 * assert.deepEqual(plan.regions.map((r) => r.address), [0x10000, 0x3fc000]);
 * ```
 */
export function planFlash(files: FlashFile[], options: PlanOptions): FlashPlan {
  checkFiles(files, { flashSize: options.flashSize });
  let layout = options.flashSize;
  const regions: PlannedRegion[] = files.map((f) => {
    if (f.address !== 0) {
      return { name: f.name, address: f.address, data: pad4(f.data), source: "file" };
    }
    const header = patchImageHeader(f.data, {
      mode: options.flashMode,
      size: options.headerSize === "keep" ? "keep" : options.flashSize.name,
      freq: options.flashFreq,
    });
    if (
      header.outcome === "patched" || header.skip === "all-keep" || header.skip === "same-values"
    ) {
      const announced = readFlashParams(header.bytes).size;
      if (announced !== undefined) layout = flashSizeRow(announced);
    }
    return { name: f.name, address: 0, data: pad4(header.bytes), source: "file", header };
  });
  if (options.initData.kind !== "none") {
    const data = options.initData.kind === "builtin"
      ? builtInInitData(options.initData.which)
      : options.initData.data;
    const name = options.initData.kind === "builtin"
      ? `init data (${options.initData.which === "v05" ? "v05" : "default, v08"})`
      : options.initData.name;
    const address = flashLayout(Math.min(layout.bytes, options.flashSize.bytes)).initData;
    regions.push({ name, address, data: pad4(data), source: "init-data" });
  }
  checkOverlaps(regions);
  for (const r of regions) checkPastEnd(r, options.flashSize);
  return { regions: regions.sort((a, b) => a.address - b.address), layout };
}
