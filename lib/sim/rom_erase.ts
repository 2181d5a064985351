/**
 * The ESP8266 ROM's erase behaviour on FLASH_BEGIN, device side (docs/protocol.md §7.3, igrr in
 * esptool #33): asked to erase e sectors starting at sector s, the ROM erases e + min(e, h)
 * sectors from s, where h = 16 − (s mod 16) is the number of sectors left to the next 64 KiB
 * boundary. Inside the first block that is twice the request; past it, the request plus the
 * head. The extra sectors lie after the requested range. Flashers send a smaller size to get
 * what they need; esptool-js does not.
 *
 * Written independently of the flasher's workaround so the two check each other.
 *
 * @module
 */

import type { SpiFlashChip } from "./spi_flash_chip.ts";

/** Sectors the ROM erases. */
export interface RomErase {
  /** First sector. */
  firstSector: number;
  /** Number of sectors. */
  sectors: number;
}

/**
 * What FLASH_BEGIN(eraseSize, …, offset) makes the ROM erase.
 *
 * @param offset the flash offset of the request (truncated to its sector)
 * @param eraseSize word 0 of FLASH_BEGIN
 * @returns the sectors erased
 *
 * @example
 * ```ts
 * import { romEraseSectors } from "./rom_erase.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(romEraseSectors(0x0, 4 * 4096), { firstSector: 0, sectors: 8 });
 * assert.deepEqual(romEraseSectors(0x10000, 80 * 4096), { firstSector: 16, sectors: 96 });
 * ```
 */
export function romEraseSectors(offset: number, eraseSize: number): RomErase {
  const firstSector = Math.floor(offset / 4096);
  const requested = Math.ceil(eraseSize / 4096);
  const head = 16 - (firstSector % 16);
  return { firstSector, sectors: requested + Math.min(requested, head) };
}

/**
 * Erases sectors as the ROM's SPIEraseArea does: single sectors up to the next 64 KiB
 * boundary, then whole blocks, then the remaining sectors.
 *
 * @param chip the flash chip
 * @param erase the sectors
 * @returns false when the chip did not answer
 *
 * @example
 * ```ts
 * import { NorFlash } from "./nor_flash.ts";
 * import { SpiFlashChip } from "./spi_flash_chip.ts";
 * import { romEraseArea } from "./rom_erase.ts";
 * import assert from "node:assert/strict";
 * const flash = new NorFlash(0x40000);
 * romEraseArea(new SpiFlashChip(flash, { jedecId: 0x1240ef }), { firstSector: 14, sectors: 20 });
 * assert.equal(flash.stats.blockErases, 1);
 * assert.equal(flash.stats.sectorErases, 4);
 * ```
 */
export function romEraseArea(chip: SpiFlashChip, erase: RomErase): boolean {
  let sector = erase.firstSector;
  let left = erase.sectors;
  while (left > 0 && sector % 16 !== 0) {
    if (!chip.romErase("sector", sector * 4096)) return false;
    sector++;
    left--;
  }
  while (left >= 16) {
    if (!chip.romErase("block", sector * 4096)) return false;
    sector += 16;
    left -= 16;
  }
  for (; left > 0; left--, sector++) {
    if (!chip.romErase("sector", sector * 4096)) return false;
  }
  return true;
}
