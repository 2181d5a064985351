import assert from "node:assert/strict";
import { NorFlash } from "./nor_flash.ts";
import { romEraseArea, romEraseSectors } from "./rom_erase.ts";
import { SpiFlashChip } from "./spi_flash_chip.ts";

Deno.test("romEraseSectors: the documented cases of the ROM erase bug", () => {
  // esptool's workaround values and what the ROM then erases (docs/protocol.md §7.3)
  assert.deepEqual(romEraseSectors(0x10000, 80 * 4096), { firstSector: 16, sectors: 96 });
  assert.deepEqual(romEraseSectors(0x0, 4 * 4096), { firstSector: 0, sectors: 8 });
  assert.deepEqual(romEraseSectors(0x3000, 19 * 4096), { firstSector: 3, sectors: 32 });
  assert.deepEqual(romEraseSectors(0x0, 4096), { firstSector: 0, sectors: 2 });
  // a flasher without the workaround: 2 sectors asked inside a block, 4 erased
  assert.deepEqual(romEraseSectors(0x5000, 2 * 4096), { firstSector: 5, sectors: 4 });
  // a partial sector counts as a whole one; the start is truncated to its sector
  assert.deepEqual(romEraseSectors(0x1800, 100), { firstSector: 1, sectors: 2 });
  assert.deepEqual(romEraseSectors(0, 0), { firstSector: 0, sectors: 0 });
});

Deno.test("romEraseArea: sectors to the block boundary, blocks, then sectors", () => {
  const flash = new NorFlash(0x100000);
  flash.program(0, new Uint8Array(0x100000));
  const chip = new SpiFlashChip(flash, { jedecId: 0x1440ef });
  assert.equal(romEraseArea(chip, { firstSector: 13, sectors: 3 + 32 + 2 }), true);
  assert.equal(flash.isBlank(13 * 4096, 37 * 4096), true);
  assert.equal(flash.read(12 * 4096 + 4095, 1)[0], 0);
  assert.equal(flash.read(50 * 4096, 1)[0], 0);
  assert.deepEqual([flash.stats.sectorErases, flash.stats.blockErases], [5, 2]);
});
