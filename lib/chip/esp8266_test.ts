import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import {
  EFUSE_WORD_ADDRESSES,
  flashLayout,
  romErasedSectors,
  romEraseSizeWorkaround,
  SECTOR_SIZE,
  SPI_REGS,
  SPI_USER_BITS,
} from "./esp8266.ts";
const S = SECTOR_SIZE;

Deno.test("register constants are the documented addresses", () => {
  assert.deepEqual(EFUSE_WORD_ADDRESSES, [0x3ff00050, 0x3ff00054, 0x3ff00058, 0x3ff0005c]);
  assert.equal(SPI_REGS.W0 - SPI_REGS.CMD, 0x40);
  assert.equal(SPI_REGS.USER - SPI_REGS.CMD, 0x1c);
  // esptool's RDID sets USER = COMMAND | MISO = 0x90000000 and SFDP adds ADDR | DUMMY.
  assert.equal((SPI_USER_BITS.COMMAND | SPI_USER_BITS.MISO) >>> 0, 0x90000000);
  assert.equal(
    (SPI_USER_BITS.COMMAND | SPI_USER_BITS.ADDR | SPI_USER_BITS.DUMMY | SPI_USER_BITS.MISO) >>>
      0,
    0xf0000000,
  );
});

Deno.test("ROM erase model and workaround: the documented cases", () => {
  const cases: Array<[number, number, number, number]> = [
    // offset, size, sectors sent, sectors the ROM erases
    [0x10000, 0x60000, 80, 96],
    [0, 8 * S, 4, 8],
    [0x3000, 0x20000, 19, 32],
    [0, 1 * S, 1, 2],
  ];
  for (const [offset, size, sent, erased] of cases) {
    const eraseSize = romEraseSizeWorkaround(offset, size);
    assert.equal(eraseSize, sent * S, `sent for ${offset.toString(16)}/${size.toString(16)}`);
    assert.deepEqual(romErasedSectors(offset, eraseSize), {
      startSector: offset / S,
      count: erased,
    });
  }
  // Without the workaround the ROM over-erases: 0x60000 at 0x10000 erases 96 + 16 sectors.
  assert.equal(romErasedSectors(0x10000, 0x60000).count, 112);
  assert.equal(romEraseSizeWorkaround(0x1000, 0), 0);
});

Deno.test("ROM erase workaround, exhaustively: covers the range and over-erases at most one sector", () => {
  // Every start sector across three 64 KiB blocks, every length up to 300 sectors, and byte
  // sizes that end mid-sector and offsets that start mid-sector.
  let checked = 0;
  let overErased = 0;
  for (let startSector = 0; startSector < 48; startSector++) {
    for (let sectors = 1; sectors <= 300; sectors++) {
      for (const [skew, trim] of [[0, 0], [0, 1], [0, S - 4], [0x10, 0], [S - 4, 0x200]]) {
        const offset = startSector * S + skew!;
        const size = sectors * S - trim! - skew!;
        if (size <= 0) continue;
        const needed = Math.ceil((offset + size) / S) - startSector;
        const h = 16 - (startSector % 16);
        const erased = romErasedSectors(offset, romEraseSizeWorkaround(offset, size));
        assert.equal(erased.startSector, startSector);
        assert.ok(erased.count >= needed, `${offset}/${size}: ${erased.count} < ${needed}`);
        assert.ok(erased.count <= needed + 1, `${offset}/${size}: ${erased.count} > ${needed + 1}`);
        // The extra sector appears exactly when n is odd and n < 2h.
        assert.equal(erased.count - needed, needed % 2 === 1 && needed < 2 * h ? 1 : 0);
        if (erased.count > needed) overErased++;
        checked++;
      }
    }
  }
  assert.ok(checked > 70_000, `${checked}`);
  assert.ok(overErased > 0);
});

Deno.test("flashLayout puts the SDK system area at the end of the flash", () => {
  assert.deepEqual(flashLayout(512 * 1024), {
    initData: 0x7c000,
    systemParams: { offset: 0x7d000, length: 0x3000 },
    blank: 0x7e000,
    rfCal: 0x7b000,
  });
  const four = flashLayout(4 * 1024 * 1024);
  assert.equal(four.initData, 0x3fc000);
  assert.equal(four.rfCal, 0x3fb000);
  assert.equal(four.blank, 0x3fe000);
  assert.equal(flashLayout(1024 * 1024).initData, 0xfc000);
  for (const bad of [0, 1000, 0x8000, 0x80001, Number.NaN]) {
    assert.throws(
      () => flashLayout(bad),
      (e) => isNodeflashError(e) && e.code === "input/flash-layout",
    );
  }
});
