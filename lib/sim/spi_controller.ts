/**
 * The ESP8266's SPI0 peripheral (registers at 0x60000200) in front of the flash chip, as a host
 * drives it over READ_REG/WRITE_REG (docs/protocol.md §6): the "user command" engine (USER,
 * USER1, USER2, ADDR, W0..W15, CMD bit 18) and the built-in commands of the CMD register
 * (read, write-enable, RDID, RDSR, WRSR, page program, sector/block/chip erase, power-down).
 * Commands complete at once: CMD reads 0 right after it is written.
 *
 * User-command phases (ESP8266 layout): USER bit 31 command, 30 address, 29 dummy, 28 MISO,
 * 27 MOSI, 25 MOSI from W8, 24 MISO into W8; USER1 bits 31..26 address bits − 1, 25..17 MOSI
 * bits − 1, 16..8 MISO bits − 1, 7..0 dummy cycles − 1; USER2 bits 31..28 command bits − 1,
 * low bits the command; the address sits in the top bits of ADDR (MSB-aligned).
 *
 * @module
 */

import type { SpiFlashChip } from "./spi_flash_chip.ts";

/** Base address of SPI0. */
export const SPI0_BASE = 0x60000200;

const CMD = 0x00;
const ADDR = 0x04;
const CTRL = 0x08;
const RD_STATUS = 0x10;
const USER = 0x1c;
const USER1 = 0x20;
const USER2 = 0x24;
const W0 = 0x40;

/** CMD register bits. */
const CMD_BITS = {
  READ: 1 << 31,
  WREN: 1 << 30,
  WRDI: 1 << 29,
  RDID: 1 << 28,
  RDSR: 1 << 27,
  WRSR: 1 << 26,
  PP: 1 << 25,
  SE: 1 << 24,
  BE: 1 << 23,
  CE: 1 << 22,
  DP: 1 << 21,
  RES: 1 << 20,
  USR: 1 << 18,
} as const;

/**
 * The SPI0 register block.
 *
 * @example
 * ```ts
 * import { NorFlash } from "./nor_flash.ts";
 * import { SpiFlashChip } from "./spi_flash_chip.ts";
 * import { SpiController, SPI0_BASE } from "./spi_controller.ts";
 * import assert from "node:assert/strict";
 * const spi = new SpiController(new SpiFlashChip(new NorFlash(0x400000), { jedecId: 0x1640ef }));
 * spi.write32(SPI0_BASE + 0x20, 23 << 8); // 24 MISO bits
 * spi.write32(SPI0_BASE + 0x1c, 0x90000000); // command + MISO
 * spi.write32(SPI0_BASE + 0x24, 0x7000009f); // RDID
 * spi.write32(SPI0_BASE, 1 << 18);
 * assert.equal(spi.read32(SPI0_BASE + 0x40), 0x1640ef);
 * ```
 */
export class SpiController {
  readonly #chip: SpiFlashChip;
  readonly #regs = new Map<number, number>();
  readonly #buffer = new Uint8Array(64);

  /** @param chip the flash chip on the bus */
  constructor(chip: SpiFlashChip) {
    this.#chip = chip;
  }

  /**
   * Whether an address belongs to this block.
   *
   * @param address bus address
   * @returns true for 0x60000200..0x600002FF
   */
  covers(address: number): boolean {
    return address >= SPI0_BASE && address < SPI0_BASE + 0x100;
  }

  /**
   * Reads a register.
   *
   * @param address bus address (word-aligned)
   * @returns the value
   */
  read32(address: number): number {
    const off = address - SPI0_BASE;
    if (off === CMD) return 0;
    if (off >= W0 && off < W0 + 64) {
      return new DataView(this.#buffer.buffer).getUint32(off - W0, true);
    }
    return this.#regs.get(off) ?? 0;
  }

  /**
   * Writes a register; writing CMD runs the command.
   *
   * @param address bus address (word-aligned)
   * @param value the value
   */
  write32(address: number, value: number): void {
    const off = address - SPI0_BASE;
    const v = value >>> 0;
    if (off >= W0 && off < W0 + 64) {
      new DataView(this.#buffer.buffer).setUint32(off - W0, v, true);
    } else if (off === CMD) {
      this.#command(v);
    } else {
      this.#regs.set(off, v);
    }
  }

  /** Back to reset values (all zero). */
  reset(): void {
    this.#regs.clear();
    this.#buffer.fill(0);
  }

  #reg(off: number): number {
    return this.#regs.get(off) ?? 0;
  }

  #command(v: number): void {
    if (v & CMD_BITS.USR) return this.#user();
    const addr = this.#reg(ADDR);
    const at = addr & 0xffffff;
    const len = Math.min(32, addr >>> 24);
    const address = [(at >>> 16) & 0xff, (at >>> 8) & 0xff, at & 0xff];
    const chip = this.#chip;
    if (v & CMD_BITS.READ) {
      this.#buffer.set(bytesOf(chip.transfer(0x03, bitsOf(address, len * 8)), 24, len), 0);
    } else if (v & CMD_BITS.WREN) {
      chip.transfer(0x06, new Uint8Array(0));
    } else if (v & CMD_BITS.WRDI) {
      chip.transfer(0x04, new Uint8Array(0));
    } else if (v & CMD_BITS.RDID) {
      this.#buffer.set(bytesOf(chip.transfer(0x9f, bitsOf([], 24)), 0, 3), 0);
    } else if (v & CMD_BITS.RDSR) {
      this.#regs.set(RD_STATUS, bytesOf(chip.transfer(0x05, bitsOf([], 8)), 0, 1)[0]!);
    } else if (v & CMD_BITS.WRSR) {
      const s = this.#reg(RD_STATUS);
      const two = (this.#reg(CTRL) & (1 << 22)) !== 0;
      chip.transfer(0x01, bitsOf(two ? [s & 0xff, (s >>> 8) & 0xff] : [s & 0xff], 0));
    } else if (v & CMD_BITS.PP) {
      const data = Array.from(this.#buffer.subarray(0, len));
      chip.transfer(0x02, bitsOf([...address, ...data], 0));
    } else if (v & CMD_BITS.SE) {
      chip.transfer(0x20, bitsOf(address, 0));
    } else if (v & CMD_BITS.BE) {
      chip.transfer(0xd8, bitsOf(address, 0));
    } else if (v & CMD_BITS.CE) {
      chip.transfer(0xc7, new Uint8Array(0));
    } else if (v & CMD_BITS.DP) {
      chip.transfer(0xb9, new Uint8Array(0));
    } else if (v & CMD_BITS.RES) {
      chip.transfer(0xab, bitsOf([], 32));
    }
  }

  #user(): void {
    const user = this.#reg(USER);
    const user1 = this.#reg(USER1);
    const user2 = this.#reg(USER2);
    const bits: number[] = [];
    if (user & (1 << 30)) {
      const n = (user1 >>> 26) + 1;
      bits.push(...addressBits(this.#reg(ADDR) >>> (32 - n), n, n));
    }
    if (user & (1 << 29)) { for (let i = 0; i <= (user1 & 0xff); i++) bits.push(1); }
    if (user & (1 << 27)) {
      const n = ((user1 >>> 17) & 0x1ff) + 1;
      const from = user & (1 << 25) ? 32 : 0;
      for (let i = 0; i < n; i++) {
        const byte = this.#buffer[from + (i >>> 3)] ?? 0xff;
        bits.push((byte >>> (7 - (i & 7))) & 1);
      }
    }
    const sampleAt = bits.length;
    const misoBits = user & (1 << 28) ? ((user1 >>> 8) & 0x1ff) + 1 : 0;
    for (let i = 0; i < misoBits; i++) bits.push(1);
    if (!(user & (1 << 31))) return; // no command phase: nothing a flash chip would act on
    const commandBits = ((user2 >>> 28) & 0xf) + 1;
    const command = (user2 & ((1 << commandBits) - 1)) >>> Math.max(0, commandBits - 8);
    const out = this.#chip.transfer(command & 0xff, new Uint8Array(bits));
    if (misoBits > 0) {
      const bytes = bytesOf(out, sampleAt, Math.ceil(misoBits / 8), misoBits);
      this.#buffer.set(bytes, user & (1 << 24) ? 32 : 0);
    }
  }
}

/** The low `width` bits of `value`, MSB first, or nothing when `count` is 0. */
function addressBits(value: number, width: number, count: number): number[] {
  if (count === 0) return [];
  const out: number[] = [];
  for (let i = width - 1; i >= 0; i--) out.push(Math.floor(value / 2 ** i) % 2);
  return out;
}

/** Bytes MSB first as bits, followed by `extra` idle (1) bits. */
function bitsOf(bytes: number[], extra: number): Uint8Array {
  const out = new Uint8Array(bytes.length * 8 + extra).fill(1);
  bytes.forEach((b, i) => {
    for (let j = 0; j < 8; j++) out[i * 8 + j] = (b >>> (7 - j)) & 1;
  });
  return out;
}

/** Packs bits from `start` into bytes, MSB first; bits past `limit` read as 0. */
function bytesOf(bits: Uint8Array, start: number, count: number, limit = count * 8): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count * 8; i++) {
    const bit = i < limit ? bits[start + i] ?? 1 : 0;
    out[i >>> 3]! |= bit << (7 - (i & 7));
  }
  return out;
}
