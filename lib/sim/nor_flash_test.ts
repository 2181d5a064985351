import assert from "node:assert/strict";
import { NorFlash } from "./nor_flash.ts";

Deno.test("NorFlash: programming only clears bits, erase restores 0xFF", () => {
  const flash = new NorFlash(0x20000);
  flash.program(0x10, new Uint8Array([0xf0, 0x0f]));
  flash.program(0x10, new Uint8Array([0x3c, 0x3c]));
  assert.deepEqual(flash.read(0x10, 2), new Uint8Array([0x30, 0x0c]));
  flash.eraseSector(0);
  assert.deepEqual(flash.read(0x10, 2), new Uint8Array([0xff, 0xff]));
  assert.equal(flash.isBlank(0, 0x1000), true);
});

Deno.test("NorFlash: erase granularity and counts per sector", () => {
  const flash = new NorFlash(0x40000);
  flash.program(0x0, new Uint8Array(0x40000));
  flash.eraseBlock(1);
  assert.equal(flash.isBlank(0x10000, 0x10000), true);
  assert.equal(flash.read(0xffff, 1)[0], 0);
  assert.equal(flash.read(0x20000, 1)[0], 0);
  flash.eraseBlock32(6);
  assert.equal(flash.isBlank(0x30000, 0x8000), true);
  assert.equal(flash.read(0x38000, 1)[0], 0);
  assert.equal(flash.sectorEraseCount(16), 1);
  assert.equal(flash.sectorEraseCount(15), 0);
  flash.eraseChip();
  assert.equal(flash.sectorEraseCount(16), 2);
  assert.deepEqual(flash.stats, {
    sectorErases: 0,
    block32Erases: 1,
    blockErases: 1,
    chipErases: 1,
    programs: 1,
    bytesProgrammed: 0x40000,
  });
  assert.equal(flash.programCounts().reduce((a, b) => a + b, 0), 64);
});

Deno.test("NorFlash: initial contents, change events and range checks", () => {
  const spans: Array<[number, number]> = [];
  const contents = new Uint8Array(0x10000).fill(0xaa);
  const flash = new NorFlash(0x10000, {
    contents,
    onChange: (s) => spans.push([s.first, s.count]),
  });
  assert.equal(flash.read(0, 1)[0], 0xaa);
  flash.program(0xfff, new Uint8Array([0, 0]));
  flash.eraseSector(3);
  assert.deepEqual(spans, [[0, 2], [3, 1]]);
  assert.throws(() => flash.program(0xffff, new Uint8Array(2)), RangeError);
  assert.throws(() => flash.eraseSector(16), RangeError);
  assert.throws(() => new NorFlash(1000), RangeError);
  assert.throws(() => new NorFlash(0x10000, { contents: new Uint8Array(5) }), RangeError);
});
