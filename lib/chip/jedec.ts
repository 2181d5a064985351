/**
 * What a SPI flash chip's JEDEC id (RDID) says about its size: esptool's size_id rule (with the
 * Adesto exception) that `--flash-size detect` relies on, and plausible ids for simulated chips.
 *
 * Facts: docs/protocol.md §6 (DETECTED_FLASH_SIZES, Adesto).
 *
 * @module
 */

import { FLASH_SIZES, type FlashSizeName, flashSizeRow } from "./flash_size.ts";

const KB = 1024;
const MB = 1024 * 1024;

/** What a JEDEC id says about the chip's capacity. */
export interface JedecCapacity {
  /** esptool's label: `"256KB"` … `"256MB"`. */
  label: string;
  /** Capacity in bytes. */
  bytes: number;
  /** The ESP8266 size name when the ESP8266 can address it (≤ 16MB); absent above that. */
  usable?: FlashSizeName;
}

/** esptool's DETECTED_FLASH_SIZES, as size_id → label. */
const SIZE_IDS: ReadonlyArray<readonly [number[], string]> = [
  [[0x12, 0x32], "256KB"],
  [[0x13, 0x33], "512KB"],
  [[0x14, 0x34], "1MB"],
  [[0x15, 0x35], "2MB"],
  [[0x16, 0x36], "4MB"],
  [[0x17, 0x37], "8MB"],
  [[0x18, 0x38], "16MB"],
  [[0x19, 0x39], "32MB"],
  [[0x1a, 0x20, 0x3a], "64MB"],
  [[0x1b, 0x21], "128MB"],
  [[0x1c, 0x22], "256MB"],
];

/** Adesto (vendor 0x1F) density codes: (id >> 8) & 0x1F → label. */
const ADESTO_IDS: Readonly<Record<number, string>> = {
  0x04: "512KB",
  0x05: "1MB",
  0x06: "2MB",
  0x07: "4MB",
  0x08: "8MB",
  0x09: "16MB",
};

function labelBytes(label: string): number {
  const n = parseInt(label, 10);
  return label.endsWith("KB") ? n * KB : n * MB;
}

/**
 * Decodes the capacity of a JEDEC id as the RDID command returns it in W0
 * (`manufacturer | type << 8 | capacity << 16`), by esptool's rule: size_id = id >> 16, except
 * for Adesto parts (manufacturer 0x1F) where it is `(id >> 8) & 0x1F`.
 *
 * @param jedecId the 24-bit id
 * @returns the capacity (with `usable` set when the ESP8266 can use it), or `undefined` if the
 *   id is not in the table
 *
 * @example
 * ```ts
 * import { jedecCapacity } from "./jedec.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(jedecCapacity(0x1940ef), { label: "32MB", bytes: 32 * 1024 * 1024 });
 * ```
 */
export function jedecCapacity(jedecId: number): JedecCapacity | undefined {
  const vendor = jedecId & 0xff;
  let label: string | undefined;
  if (vendor === 0x1f) {
    label = ADESTO_IDS[(jedecId >>> 8) & 0x1f];
  } else {
    const sizeId = (jedecId >>> 16) & 0xff;
    label = SIZE_IDS.find(([ids]) => ids.includes(sizeId))?.[1];
  }
  if (label === undefined) return undefined;
  const usable = FLASH_SIZES.find((r) => r.name === label)?.name;
  const out: JedecCapacity = { label, bytes: labelBytes(label) };
  if (usable !== undefined) out.usable = usable;
  return out;
}

/**
 * The ESP8266 flash size for a JEDEC id (see {@link jedecCapacity}). Returns `undefined` both
 * for unknown ids and for chips larger than 16MB, which no ESP8266 header code can express;
 * call {@link jedecCapacity} to tell the two apart. (esptool falls back to 4MB for unknown ids;
 * that choice is left to the caller.)
 *
 * @param jedecId the 24-bit id read with RDID
 * @returns the size name, or `undefined`
 *
 * @example
 * ```ts
 * import { flashSizeFromJedec } from "./jedec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(flashSizeFromJedec(0x1640ef), "4MB"); // Winbond W25Q32
 * assert.equal(flashSizeFromJedec(0x1940ef), undefined); // 32MB: too big for an ESP8266
 * ```
 */
export function flashSizeFromJedec(jedecId: number): FlashSizeName | undefined {
  return jedecCapacity(jedecId)?.usable;
}

/** Options for {@link jedecIdForSize}. */
export interface JedecIdOptions {
  /** Manufacturer byte, 0xEF (Winbond) by default. */
  manufacturer?: number;
  /** Memory type byte, 0x40 by default. */
  memoryType?: number;
}

/**
 * A plausible JEDEC id for a flash size (for simulated chips): capacity byte 0x12 + log2 of
 * the size in 256KB units, e.g. 0x1640EF for a 4MB Winbond part. `-c1` names give the same id
 * as their plain size.
 *
 * @param size the size name
 * @param options manufacturer and memory type
 * @returns the 24-bit id
 *
 * @example
 * ```ts
 * import { flashSizeFromJedec, jedecIdForSize } from "./jedec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(jedecIdForSize("4MB"), 0x1640ef);
 * assert.equal(flashSizeFromJedec(jedecIdForSize("1MB", { manufacturer: 0xc8 })), "1MB");
 * ```
 */
export function jedecIdForSize(size: FlashSizeName, options: JedecIdOptions = {}): number {
  const bytes = flashSizeRow(size).bytes;
  const capacity = 0x12 + Math.log2(bytes / (256 * KB));
  const manufacturer = (options.manufacturer ?? 0xef) & 0xff;
  const type = (options.memoryType ?? 0x40) & 0xff;
  return (capacity << 16) | (type << 8) | manufacturer;
}
