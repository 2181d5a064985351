/**
 * What sits on a simulated chip's bus besides RAM: UART0 (its divider, the ROM's autobaud),
 * SPI0 in front of the flash chip, and the eFuse words, all reached through the address space
 * (address_space.ts). Every start of the chip clears them ({@link ChipPeripherals.reset}).
 *
 * @module
 */

import { AddressSpace } from "./address_space.ts";
import type { ResolvedBoardOptions } from "./board_options.ts";
import { type EfuseWords, efuseWordsFor } from "./efuse.ts";
import { SpiController } from "./spi_controller.ts";
import type { SpiFlashChip } from "./spi_flash_chip.ts";
import { SimUart } from "./uart.ts";

/** The peripherals of one chip. */
export interface ChipPeripherals {
  /** UART0. */
  uart: SimUart;
  /** SPI0, in front of the flash chip. */
  spi: SpiController;
  /** The eFuse words. */
  efuses: EfuseWords;
  /** The bus (RAM, registers, eFuses). */
  bus: AddressSpace;
  /** Clears RAM and the SPI registers (every start of the chip). */
  reset(): void;
}

/**
 * Builds a chip's peripherals.
 *
 * @param o the board's resolved options (crystal, autobaud limit, MAC, chip, flash size, seed)
 * @param chip the flash chip behind SPI0
 * @returns the peripherals
 *
 * @example
 * ```ts
 * import { chipPeripherals } from "./chip_peripherals.ts";
 * import { resolveBoardOptions } from "./board_options.ts";
 * import { NorFlash } from "./nor_flash.ts";
 * import { SpiFlashChip } from "./spi_flash_chip.ts";
 * import assert from "node:assert/strict";
 * const chip = new SpiFlashChip(new NorFlash(1 << 20), { jedecId: 0x1440ef });
 * const p = chipPeripherals(resolveBoardOptions({ flashSize: "1MB" }), chip);
 * assert.equal(p.bus.read32(0x40001000), 0xfff0c101); // the chip magic
 * ```
 */
export function chipPeripherals(o: ResolvedBoardOptions, chip: SpiFlashChip): ChipPeripherals {
  const uart = new SimUart({
    clockHz: o.crystalMhz * 2_000_000,
    autobaudMaxBaud: o.romAutobaudMaxBaud,
  });
  const spi = new SpiController(chip);
  const efuses = efuseWordsFor(o.mac, { chip: o.chip, flashBytes: o.flashBytes, seed: o.seed });
  const bus = new AddressSpace({ efuses, spi, uart });
  return {
    uart,
    spi,
    efuses,
    bus,
    reset: () => {
      bus.reset();
      spi.reset();
    },
  };
}
