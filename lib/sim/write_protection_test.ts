import assert from "node:assert/strict";
import { overlapsProtection, protectedRanges } from "./write_protection.ts";

const MB4 = 0x400000;

Deno.test("protectedRanges follows the W25Q32 table (upper, lower, sector, all, complement)", () => {
  assert.deepEqual(protectedRanges(0b000_011_00, 0, MB4), [{ start: 0x3c0000, end: MB4 }]); // BP=3: 256 KiB top
  assert.deepEqual(protectedRanges(0b001_010_00, 0, MB4), [{ start: 0, end: 0x20000 }]); // TB, BP=2
  assert.deepEqual(protectedRanges(0b010_001_00, 0, MB4), [{ start: MB4 - 0x1000, end: MB4 }]); // SEC
  assert.deepEqual(protectedRanges(0b010_110_00, 0, MB4), [{ start: MB4 - 0x8000, end: MB4 }]); // SEC caps at 32K
  assert.deepEqual(protectedRanges(0b000_111_00, 0, MB4), [{ start: 0, end: MB4 }]);
  assert.deepEqual(protectedRanges(0b000_001_00, 0x40, MB4), [{ start: 0, end: MB4 - 0x10000 }]);
  assert.deepEqual(protectedRanges(0, 0x40, MB4), [{ start: 0, end: MB4 }]);
});

Deno.test("overlapsProtection checks ranges by their edges", () => {
  const r = protectedRanges(0b000_001_00, 0, 0x100000);
  assert.equal(overlapsProtection(r, 0xfc000, 0x4000), true);
  assert.equal(overlapsProtection(r, 0xfb000, 0x1000), false);
});
