/**
 * Which part of a Winbond-style SPI NOR flash its status-register protection bits guard: BP0..2
 * (status register 1 bits 2..4), TB (bit 5), SEC (bit 6) and CMP (status register 2 bit 6), as in
 * the W25Q16/32/64/128 data sheets, scaled by capacity (BP = 1 guards 1/64 of the chip; with
 * SEC = 1 it guards 4 KiB, doubling per step up to 32 KiB; BP = 7 guards everything).
 * Programs and erases that touch a guarded address are ignored by the chip.
 *
 * @module
 */

/** A guarded address range, `start` inclusive, `end` exclusive. */
export interface ProtectedRange {
  /** First guarded byte. */
  start: number;
  /** One past the last guarded byte. */
  end: number;
}

/**
 * The guarded ranges for a status-register state.
 *
 * @param sr1 status register 1
 * @param sr2 status register 2
 * @param size chip size in bytes
 * @returns zero, one or two ranges (CMP = 1 can leave two)
 *
 * @example
 * ```ts
 * import { protectedRanges } from "./write_protection.ts";
 * import assert from "node:assert/strict";
 * // BP0 on a 4 MB chip: the top 64 KiB
 * assert.deepEqual(protectedRanges(0x04, 0x00, 0x400000), [{ start: 0x3f0000, end: 0x400000 }]);
 * assert.deepEqual(protectedRanges(0x00, 0x00, 0x400000), []);
 * ```
 */
export function protectedRanges(sr1: number, sr2: number, size: number): ProtectedRange[] {
  const bp = (sr1 >>> 2) & 7;
  const bottom = (sr1 & 0x20) !== 0;
  const sector = (sr1 & 0x40) !== 0;
  const complement = (sr2 & 0x40) !== 0;
  let length: number;
  if (bp === 0) length = 0;
  else if (bp === 7) length = size;
  else if (sector) length = Math.min(0x8000, 0x1000 << (bp - 1));
  else length = Math.min(size, Math.max(0x1000, size / 64) * (1 << (bp - 1)));
  const region = bottom ? { start: 0, end: length } : { start: size - length, end: size };
  if (!complement) return length === 0 ? [] : [region];
  const out: ProtectedRange[] = [];
  if (region.start > 0) out.push({ start: 0, end: region.start });
  if (region.end < size) out.push({ start: region.end, end: size });
  return out;
}

/**
 * Whether any byte of a range is guarded.
 *
 * @param ranges from {@link protectedRanges}
 * @param start first byte
 * @param length bytes
 * @returns true when the chip would refuse to change the range
 *
 * @example
 * ```ts
 * import { overlapsProtection } from "./write_protection.ts";
 * import assert from "node:assert/strict";
 * assert.equal(overlapsProtection([{ start: 0x1000, end: 0x2000 }], 0x0, 0x1000), false);
 * assert.equal(overlapsProtection([{ start: 0x1000, end: 0x2000 }], 0x0, 0x1001), true);
 * ```
 */
export function overlapsProtection(
  ranges: readonly ProtectedRange[],
  start: number,
  length: number,
): boolean {
  return ranges.some((r) => start < r.end && start + length > r.start);
}
