/**
 * The ESP8266 as data: register addresses, block sizes, the ROM's erase-size bug (its model and
 * the workaround) and the NONOS SDK flash layout. No I/O. What the chip reports about itself
 * (eFuses, crystal) is decoded in identity.ts.
 *
 * Facts: docs/protocol.md §6 (SPI registers), §7.1 (block sizes), §7.3 (erase bug), §12 (flash
 * layout).
 *
 * @module
 */

import { userError } from "../errors.ts";

/** READ_REG here tells the chip family. */
export const CHIP_DETECT_MAGIC_REG = 0x40001000;
/** What an ESP8266 returns from {@link CHIP_DETECT_MAGIC_REG}. */
export const ESP8266_MAGIC_VALUE = 0xfff0c101;
/** The four eFuse (OTP) words, word 0 first. */
export const EFUSE_WORD_ADDRESSES: readonly [number, number, number, number] = Object.freeze(
  [0x3ff00050, 0x3ff00054, 0x3ff00058, 0x3ff0005c] as const,
);
/** UART0 clock divider register. */
export const UART_CLKDIV_REG = 0x60000014;
/** Bits of {@link UART_CLKDIV_REG} that hold the divider. */
export const UART_CLKDIV_MASK = 0xfffff;
/** The SPI controller registers used to run flash commands (RDID, SFDP...). */
export const SPI_REGS: Readonly<
  Record<"CMD" | "ADDR" | "USER" | "USER1" | "USER2" | "W0", number>
> = Object.freeze(
  {
    CMD: 0x60000200,
    ADDR: 0x60000204,
    USER: 0x6000021c,
    USER1: 0x60000220,
    USER2: 0x60000224,
    W0: 0x60000240,
  } as const,
);
/** CMD register bit 18: start the user command; it clears when the command is done. */
export const SPI_CMD_USR = 1 << 18;
/** Flag bits of the SPI USER register. */
export const SPI_USER_BITS: Readonly<
  Record<"COMMAND" | "ADDR" | "DUMMY" | "MISO" | "MOSI", number>
> = Object.freeze(
  {
    COMMAND: 0x80000000,
    ADDR: 0x40000000,
    DUMMY: 0x20000000,
    MISO: 0x10000000,
    MOSI: 0x08000000,
  } as const,
);
/** FLASH_DATA block size through the ROM. */
export const ROM_WRITE_BLOCK = 0x400;
/** FLASH_DATA / FLASH_DEFL_DATA block size through the stub. */
export const STUB_WRITE_BLOCK = 0x4000;
/** MEM_DATA block size (stub upload). */
export const RAM_BLOCK = 0x1800;
/** Flash sector (smallest erase unit). */
export const SECTOR_SIZE = 0x1000;
/** Sectors per 64 KiB erase block (the unit of the ROM erase bug). */
export const SECTORS_PER_BLOCK = 16;
/** Where the flash is mapped for code (IROM), 0x40200000..0x40300000. */
export const IROM_MAP: Readonly<{ start: number; end: number }> = Object.freeze(
  { start: 0x40200000, end: 0x40300000 } as const,
);

/** A run of flash sectors. */
export interface SectorRange {
  /** First sector (offset / 4096). */
  startSector: number;
  /** Number of sectors. */
  count: number;
}

/**
 * What the ESP8266 ROM erases for FLASH_BEGIN(eraseSize, offset): with e = ceil(eraseSize /
 * 4096) and h = 16 − (start sector mod 16), it erases e + min(e, h) sectors from the start
 * sector (docs §7.3). The stub erases what it is asked.
 *
 * @param offset FLASH_BEGIN offset
 * @param eraseSize FLASH_BEGIN erase size (word 0)
 * @returns the sectors erased
 *
 * @example
 * ```ts
 * import { romErasedSectors } from "./esp8266.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(romErasedSectors(0, 0x4000), { startSector: 0, count: 8 });
 * ```
 */
export function romErasedSectors(offset: number, eraseSize: number): SectorRange {
  const startSector = Math.floor(offset / SECTOR_SIZE);
  const e = Math.ceil(eraseSize / SECTOR_SIZE);
  const h = SECTORS_PER_BLOCK - (startSector % SECTORS_PER_BLOCK);
  return { startSector, count: e + Math.min(e, h) };
}

/**
 * The erase size to send in a ROM FLASH_BEGIN so that the buggy ROM erases the sectors
 * `[offset, offset + size)` needs (esptool's `get_erase_size`). With n sectors needed and
 * head = min(n, sectors left to the next 64 KiB boundary): if n < 2·head send ceil(n / 2)
 * sectors, else n − head. Proven bound (see the test): the ROM then erases from the first
 * needed sector, all n of them and at most one more — exactly one more when n is odd and
 * n < 2·h. An offset inside a sector counts that sector in n (esptool aligns first anyway).
 *
 * @param offset where the data goes
 * @param size how many bytes
 * @returns the byte count for FLASH_BEGIN word 0 (a multiple of 4096)
 *
 * @example
 * ```ts
 * import { romEraseSizeWorkaround } from "./esp8266.ts";
 * import assert from "node:assert/strict";
 * assert.equal(romEraseSizeWorkaround(0x10000, 0x60000), 80 * 4096);
 * ```
 */
export function romEraseSizeWorkaround(offset: number, size: number): number {
  if (size <= 0) return 0;
  const startSector = Math.floor(offset / SECTOR_SIZE);
  const n = Math.ceil(((offset % SECTOR_SIZE) + size) / SECTOR_SIZE);
  const head = Math.min(n, SECTORS_PER_BLOCK - (startSector % SECTORS_PER_BLOCK));
  const sectors = n < 2 * head ? Math.floor((n + 1) / 2) : n - head;
  return sectors * SECTOR_SIZE;
}

/** Where the NONOS SDK keeps its data at the end of the flash. */
export interface FlashLayout {
  /** RF init data (`esp_init_data_default.bin`, 128 bytes): size − 0x4000. */
  initData: number;
  /** SDK system parameters: the last 3 sectors. */
  systemParams: { offset: number; length: number };
  /** Where `blank.bin` goes: size − 0x2000. */
  blank: number;
  /** RF calibration sector used by the SDK examples: size − 0x5000. */
  rfCal: number;
}

/**
 * The SDK system area for a flash size (docs §12): init data at size − 0x4000 (0x7C000 on
 * 512KB, 0x3FC000 on 4MB), system parameters in the last 0x3000 bytes, blank.bin at size −
 * 0x2000, RF calibration at size − 0x5000.
 *
 * @param sizeBytes the flash size in bytes (a multiple of 4096, at least 64 KiB)
 * @returns the addresses
 * @throws a user error `input/flash-layout` for a size that is not a whole number of sectors
 *
 * @example
 * ```ts
 * import { flashLayout } from "./esp8266.ts";
 * if (flashLayout(4 * 1024 * 1024).initData !== 0x3fc000) throw new Error();
 * ```
 */
export function flashLayout(sizeBytes: number): FlashLayout {
  if (!Number.isInteger(sizeBytes) || sizeBytes % SECTOR_SIZE !== 0 || sizeBytes < 0x10000) {
    throw userError(
      "input/flash-layout",
      `Cannot lay out the SDK system area on a flash of ${sizeBytes} bytes`,
      "Give the flash size in bytes, a multiple of 4096 and at least 64 KiB (e.g. 4194304).",
    );
  }
  return {
    initData: sizeBytes - 0x4000,
    systemParams: { offset: sizeBytes - 0x3000, length: 0x3000 },
    blank: sizeBytes - 0x2000,
    rfCal: sizeBytes - 0x5000,
  };
}
