/**
 * The ESP8266 bus as READ_REG, WRITE_REG and MEM_DATA reach it: RAM, the eFuse words, the chip
 * magic in ROM, UART0 (whose UART_CLKDIV is the live baud divider) and SPI0 (the flash
 * controller). Other addresses behave as plain registers: what was written reads back, and
 * unwritten ones read 0.
 *
 * @module
 */

import type { EfuseWords } from "./efuse.ts";
import { Ram } from "./ram.ts";
import type { SpiController } from "./spi_controller.ts";
import type { SimUart } from "./uart.ts";

/** The chip-detect magic register in ROM and its ESP8266 value. */
export const MAGIC_REGISTER = 0x40001000;
/** ESP8266 magic value. */
export const ESP8266_MAGIC = 0xfff0c101;
/** First eFuse word. */
export const EFUSE_BASE = 0x3ff00050;
/** UART0 clock divider register. */
export const UART_CLKDIV = 0x60000014;
/** UART0 date register (esptool writes it with mask 0 to get a delay). */
export const UART_DATE = 0x60000078;
/** What the simulated UART_DATE register holds. */
export const UART_DATE_VALUE = 0x00062000;

/** One WRITE_REG entry. */
export interface RegisterWrite {
  /** Address. */
  address: number;
  /** Value. */
  value: number;
  /** Which bits to change; 0xFFFFFFFF writes the value as is. */
  mask: number;
  /** Microseconds to wait before the write. */
  delayUs: number;
}

/** What the bus is made of. */
export interface AddressSpaceParts {
  /** The four eFuse words. */
  efuses: EfuseWords;
  /** The flash controller. */
  spi: SpiController;
  /** UART0. */
  uart: SimUart;
}

/**
 * The bus.
 *
 * @example
 * ```ts
 * import { AddressSpace, MAGIC_REGISTER } from "./address_space.ts";
 * import { NorFlash } from "./nor_flash.ts";
 * import { SpiFlashChip } from "./spi_flash_chip.ts";
 * import { SpiController } from "./spi_controller.ts";
 * import { SimUart } from "./uart.ts";
 * import assert from "node:assert/strict";
 * const spi = new SpiController(new SpiFlashChip(new NorFlash(0x100000), { jedecId: 0x1440ef }));
 * const bus = new AddressSpace({ efuses: [1, 2, 3, 4], spi, uart: new SimUart() });
 * assert.equal(bus.read32(MAGIC_REGISTER), 0xfff0c101);
 * bus.write32(0x3ffe9000, 0x12345678);
 * assert.equal(bus.read32(0x3ffe9000), 0x12345678);
 * ```
 */
export class AddressSpace {
  /** The RAM regions. */
  readonly ram: Ram = new Ram();
  readonly #parts: AddressSpaceParts;
  readonly #registers = new Map<number, number>();

  /**
   * Wires the bus.
   *
   * @param parts eFuses, SPI controller, UART
   */
  constructor(parts: AddressSpaceParts) {
    this.#parts = parts;
  }

  /**
   * Reads a word (the address is aligned down to 4).
   *
   * @param address bus address
   * @returns the value
   */
  read32(address: number): number {
    const a = (address & ~3) >>> 0;
    const { efuses, spi, uart } = this.#parts;
    if (a >= EFUSE_BASE && a < EFUSE_BASE + 16) return efuses[(a - EFUSE_BASE) / 4]!;
    if (a === MAGIC_REGISTER) return ESP8266_MAGIC;
    if (a === UART_CLKDIV) return uart.divider;
    if (a === UART_DATE) return UART_DATE_VALUE;
    if (spi.covers(a)) return spi.read32(a) >>> 0;
    return this.ram.read32(a) ?? this.#registers.get(a) ?? 0;
  }

  /**
   * Writes a word. ROM and eFuse addresses ignore writes.
   *
   * @param address bus address
   * @param value the value
   */
  write32(address: number, value: number): void {
    const a = (address & ~3) >>> 0;
    const v = value >>> 0;
    const { spi, uart } = this.#parts;
    if (a >= EFUSE_BASE && a < EFUSE_BASE + 16) return;
    if (a >= 0x40000000 && a < 0x40010000) return;
    if (a === UART_DATE) return;
    if (a === UART_CLKDIV) return uart.setDivider(v & 0xfffff);
    if (spi.covers(a)) return spi.write32(a, v);
    if (!this.ram.write32(a, v)) this.#registers.set(a, v);
  }

  /**
   * One WRITE_REG entry, as the loaders apply it: with a full mask the value is written as is,
   * otherwise only the masked bits change ((value & mask) | (old & ~mask)).
   *
   * @param entry address, value, mask (delay handled by the caller)
   */
  applyWrite(entry: RegisterWrite): void {
    let v = entry.value & entry.mask;
    if (entry.mask >>> 0 !== 0xffffffff) v |= this.read32(entry.address) & ~entry.mask;
    this.write32(entry.address, v >>> 0);
  }

  /**
   * Writes bytes (MEM_DATA). Bytes outside RAM land in the plain registers, word by word.
   *
   * @param address start
   * @param data the bytes
   */
  writeBytes(address: number, data: Uint8Array): void {
    if (this.ram.write(address, data)) return;
    for (let i = 0; i < data.length; i++) {
      const a = address + i;
      const word = this.read32(a);
      const shift = (a & 3) * 8;
      this.write32(a, ((word & ~(0xff << shift)) | (data[i]! << shift)) >>> 0);
    }
  }

  /** Power-on / reset: RAM and plain registers cleared. */
  reset(): void {
    this.ram.clear();
    this.#registers.clear();
  }
}
