/**
 * A W25Q32-class SPI NOR flash chip as its command set sees it: JEDEC id, status registers
 * (with volatile and non-volatile copies, the write-enable latch and the protection bits),
 * SFDP, read, page program, sector/block/chip erase, power-down and software reset.
 *
 * Two ways in:
 *
 * - {@link SpiFlashChip.transfer}: one chip-select cycle, bit by bit as the ESP8266's SPI
 *   peripheral drives it (command byte, then whatever address, dummy and data phases the host
 *   configured). The chip parses the bits by its own rules, so a host that gets the address
 *   length or the dummy cycles wrong reads shifted data, as on a real part.
 * - The `rom*` methods: what the ESP8266 ROM's SPI library does (write-enable then program or
 *   erase, waiting until the chip is ready). The ROM loader and the flasher stubs use these.
 *
 * Address bits above the chip's capacity are ignored (a 1 MB chip sees 0x100000 as 0x0), and
 * programs/erases in a protected region or without the write-enable latch are ignored, as the
 * data sheets describe.
 *
 * @module
 */

import { BLOCK_BYTES, type NorFlash, SECTOR_BYTES } from "./nor_flash.ts";
import { sfdpTable } from "./sfdp.ts";
import { overlapsProtection, protectedRanges } from "./write_protection.ts";

/** Page size for page programs. */
export const PAGE_BYTES = 256;

/** Options for {@link SpiFlashChip}. */
export interface SpiFlashChipOptions {
  /** 24-bit JEDEC id as RDID returns it in W0 (manufacturer in the low byte). */
  jedecId: number;
  /** Initial (non-volatile) status registers 1..3, low byte = SR1; 0 by default. */
  status?: number;
  /** Seed for the 64-bit unique id. */
  seed?: number;
}

/** Status-register bits. */
const WEL = 0x02;
/** Writable bits of SR1..SR3 (BUSY, WEL, reserved and SUS bits are read-only). */
const WRITABLE = [0xfc, 0x7b, 0x64] as const;

/** Commands whose transfer carries a 24-bit address, with their dummy bits. */
const ADDRESSED: Readonly<Record<number, number>> = {
  0x03: 0,
  0x0b: 8,
  0x3b: 8,
  0x6b: 8,
  0x5a: 8,
  0x02: 0,
  0x20: 0,
  0x52: 0,
  0xd8: 0,
  0x90: 0,
};

/**
 * The chip.
 *
 * @example
 * ```ts
 * import { NorFlash } from "./nor_flash.ts";
 * import { SpiFlashChip } from "./spi_flash_chip.ts";
 * import assert from "node:assert/strict";
 * const chip = new SpiFlashChip(new NorFlash(0x100000), { jedecId: 0x1440ef });
 * assert.equal(chip.romWrite(0x100010, new Uint8Array([0x12])), true); // wraps to 0x10
 * assert.equal(chip.romRead(0x10, 1)[0], 0x12);
 * ```
 */
export class SpiFlashChip {
  readonly #flash: NorFlash;
  readonly #jedec: number;
  readonly #sfdp: Uint8Array;
  readonly #uniqueId: Uint8Array;
  readonly #nvStatus: number[];
  #status: number[];
  #wel = false;
  #volatileWrite = false;
  #resetEnabled = false;
  #poweredDown = false;

  /**
   * Puts a chip in front of a storage array.
   *
   * @param flash the storage array
   * @param options JEDEC id, initial status, seed
   */
  constructor(flash: NorFlash, options: SpiFlashChipOptions) {
    this.#flash = flash;
    this.#jedec = options.jedecId & 0xffffff;
    this.#sfdp = sfdpTable(flash.size);
    const s = options.status ?? 0;
    this.#nvStatus = [s & WRITABLE[0], (s >>> 8) & WRITABLE[1], (s >>> 16) & WRITABLE[2]];
    this.#status = [...this.#nvStatus];
    let x = (options.seed ?? 0) ^ 0xe5a1c3b7;
    this.#uniqueId = new Uint8Array(8).map(() => {
      x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6b43a9b5;
      return (x >>> 24) & 0xff;
    });
  }

  /** The storage array. */
  get flash(): NorFlash {
    return this.#flash;
  }

  /** Size in bytes. */
  get size(): number {
    return this.#flash.size;
  }

  /** The JEDEC id (manufacturer in the low byte). */
  get jedecId(): number {
    return this.#jedec;
  }

  /** Status registers 1..3 as one number (SR1 in the low byte), WEL included. */
  get status(): number {
    const sr1 = this.#status[0]! | (this.#wel ? WEL : 0);
    return sr1 | (this.#status[1]! << 8) | (this.#status[2]! << 16);
  }

  /** Whether the chip is in deep power-down (answers nothing but 0xAB). */
  get poweredDown(): boolean {
    return this.#poweredDown;
  }

  /** Power cycle: volatile status bits return to their non-volatile values. */
  powerCycle(): void {
    this.#status = [...this.#nvStatus];
    this.#wel = false;
    this.#volatileWrite = false;
    this.#resetEnabled = false;
    this.#poweredDown = false;
  }

  /**
   * One chip-select cycle. `input` is what the host drives on MOSI after the command byte, one
   * bit per element (address, dummy and data phases; 1 where the host drives nothing); the
   * result is what the chip drives on MISO in the same cycles (1 where it drives nothing).
   * Commands that change the chip run when chip-select rises, if the cycle had the right
   * length.
   *
   * @param command the command byte
   * @param input MOSI bits after the command
   * @returns MISO bits, as many as `input`
   */
  transfer(command: number, input: Uint8Array): Uint8Array {
    const out = new Uint8Array(input.length).fill(1);
    const resetWasEnabled = this.#resetEnabled;
    this.#resetEnabled = false;
    if (this.#poweredDown && command !== 0xab) return out;
    const n = input.length;
    const dummy = ADDRESSED[command];
    const address = dummy === undefined ? 0 : bitsToNumber(input, 0, 24);
    const dataStart = dummy === undefined ? 0 : 24 + dummy;
    const emit = (source: (i: number) => number) => emitBytes(out, dataStart, source);
    switch (command) {
      case 0x9f:
        emitBytes(out, 0, (i) => i < 3 ? (this.#jedec >>> (8 * i)) & 0xff : 0xff);
        break;
      case 0x05:
      case 0x35:
      case 0x15: {
        const reg = command === 0x05 ? 0 : command === 0x35 ? 1 : 2;
        emitBytes(out, 0, () => (this.status >>> (8 * reg)) & 0xff);
        break;
      }
      case 0x03:
      case 0x0b:
      case 0x3b:
      case 0x6b:
        emit((i) => this.#byteAt(address + i));
        break;
      case 0x5a:
        emit((i) => this.#sfdp[(address + i) & 0xffffff] ?? 0xff);
        break;
      case 0x90:
        emit((i) => ((i + (address & 1)) % 2 === 0 ? this.#jedec & 0xff : this.#deviceId()));
        break;
      case 0xab:
        this.#poweredDown = false;
        emitBytes(out, 24, () => this.#deviceId());
        break;
      case 0x4b:
        emitBytes(out, 32, (i) => this.#uniqueId[i % 8]!);
        break;
      default:
        this.#onChipSelectHigh(command, input, n, address, resetWasEnabled);
    }
    return out;
  }

  /**
   * Reads like the ROM's SPIRead (address wraps at the chip's capacity).
   *
   * @param address start
   * @param length bytes
   * @returns the bytes, or all 0xFF while powered down
   */
  romRead(address: number, length: number): Uint8Array {
    if (this.#poweredDown) return new Uint8Array(length).fill(0xff);
    const out = new Uint8Array(length);
    const mask = this.size - 1;
    for (let i = 0; i < length; i++) out[i] = this.#flash.view()[(address + i) & mask]!;
    return out;
  }

  /**
   * Programs like the ROM's SPIWrite: write-enable plus a page program per 256-byte page.
   * Protected pages are silently left alone (the chip ignores them).
   *
   * @param address start
   * @param data bytes
   * @returns false when the chip does not answer (powered down)
   */
  romWrite(address: number, data: Uint8Array): boolean {
    if (this.#poweredDown) return false;
    let offset = 0;
    while (offset < data.length) {
      const at = address + offset;
      const room = PAGE_BYTES - (at % PAGE_BYTES);
      const chunk = data.subarray(offset, offset + Math.min(room, data.length - offset));
      this.#wel = true;
      this.#pageProgram(at, chunk);
      offset += chunk.length;
    }
    return true;
  }

  /**
   * Erases like the ROM's SPIEraseSector / SPIEraseBlock / SPIEraseChip.
   *
   * @param kind what to erase
   * @param address an address inside it (ignored for the chip)
   * @returns false when the chip does not answer
   */
  romErase(kind: "sector" | "block" | "chip", address = 0): boolean {
    if (this.#poweredDown) return false;
    this.#wel = true;
    this.#erase(kind === "sector" ? 0x20 : kind === "block" ? 0xd8 : 0xc7, address);
    return true;
  }

  /**
   * What the ROM's SPIUnlock does: write-enable, then write status 1 and 2 with the block
   * protection bits (BP0..2, TB, SEC, CMP) cleared, keeping QE and the SRP bits.
   *
   * @returns false when the chip does not answer
   */
  romUnlock(): boolean {
    if (this.#poweredDown) return false;
    this.#status[0] = this.#status[0]! & ~0x7c;
    this.#status[1] = this.#status[1]! & ~0x40;
    this.#nvStatus[0] = this.#status[0]!;
    this.#nvStatus[1] = this.#status[1]!;
    this.#wel = false;
    return true;
  }

  #byteAt(address: number): number {
    return this.#flash.view()[address & (this.size - 1)]!;
  }

  #deviceId(): number {
    return (((this.#jedec >>> 16) & 0xff) - 1) & 0xff;
  }

  #onChipSelectHigh(
    command: number,
    input: Uint8Array,
    n: number,
    address: number,
    resetWasEnabled: boolean,
  ): void {
    switch (command) {
      case 0x06:
        if (n === 0) this.#wel = true;
        return;
      case 0x04:
        if (n === 0) this.#wel = false;
        return;
      case 0x50:
        if (n === 0) this.#volatileWrite = true;
        return;
      case 0x01:
      case 0x31:
      case 0x11:
        this.#writeStatus(command, input, n);
        return;
      case 0x02:
        if (n >= 32 && n % 8 === 0) {
          this.#pageProgram(address, bitsToBytes(input, 24, (n - 24) / 8));
        }
        return;
      case 0x20:
      case 0x52:
      case 0xd8:
        if (n === 24) this.#erase(command, address);
        return;
      case 0xc7:
      case 0x60:
        if (n === 0) this.#erase(0xc7, 0);
        return;
      case 0xb9:
        if (n === 0) this.#poweredDown = true;
        return;
      case 0x66:
        if (n === 0) this.#resetEnabled = true;
        return;
      case 0x99:
        if (n === 0 && resetWasEnabled) {
          this.#status = [...this.#nvStatus];
          this.#wel = false;
          this.#volatileWrite = false;
        }
        return;
    }
  }

  #writeStatus(command: number, input: Uint8Array, n: number): void {
    const bytes = n % 8 === 0 ? bitsToBytes(input, 0, n / 8) : new Uint8Array(0);
    const first = command === 0x01 ? 0 : command === 0x31 ? 1 : 2;
    const count = command === 0x01 ? Math.min(bytes.length, 2) : Math.min(bytes.length, 1);
    const volatile = !this.#wel && this.#volatileWrite;
    if (count === 0 || (!this.#wel && !volatile)) return;
    for (let i = 0; i < count; i++) {
      const reg = first + i;
      const mask = WRITABLE[reg as 0 | 1 | 2];
      // LB1..3 (SR2 bits 3..5) are one-time programmable: they can be set, never cleared.
      const otp = reg === 1 ? this.#status[1]! & 0x38 : 0;
      const value = ((bytes[i]! & mask) | otp) & 0xff;
      this.#status[reg] = value;
      if (!volatile) this.#nvStatus[reg] = value;
    }
    this.#wel = false;
    this.#volatileWrite = false;
  }

  #pageProgram(address: number, data: Uint8Array): void {
    if (!this.#wel) return;
    this.#wel = false;
    const at = address & (this.size - 1);
    const pageStart = at - (at % PAGE_BYTES);
    // More than a page: only the last 256 bytes count; the address wraps inside the page.
    const bytes = data.length > PAGE_BYTES ? data.subarray(data.length - PAGE_BYTES) : data;
    if (overlapsProtection(this.#protected(), pageStart, PAGE_BYTES)) return;
    const first = at % PAGE_BYTES;
    const head = bytes.subarray(0, PAGE_BYTES - first);
    this.#flash.program(at, head);
    if (head.length < bytes.length) this.#flash.program(pageStart, bytes.subarray(head.length));
  }

  #erase(command: number, address: number): void {
    if (!this.#wel) return;
    this.#wel = false;
    const ranges = this.#protected();
    const at = address & (this.size - 1);
    if (command === 0xc7) {
      if (ranges.length === 0) this.#flash.eraseChip();
      return;
    }
    const unit = command === 0x20 ? SECTOR_BYTES : command === 0x52 ? 0x8000 : BLOCK_BYTES;
    const start = at - (at % unit);
    if (overlapsProtection(ranges, start, unit)) return;
    if (unit === SECTOR_BYTES) this.#flash.eraseSector(start / SECTOR_BYTES);
    else if (unit === 0x8000) this.#flash.eraseBlock32(start / 0x8000);
    else this.#flash.eraseBlock(start / BLOCK_BYTES);
  }

  #protected() {
    return protectedRanges(this.#status[0]!, this.#status[1]!, this.size);
  }
}

/** Writes bytes MSB first from bit `start` until the buffer ends. */
function emitBytes(out: Uint8Array, start: number, source: (index: number) => number): void {
  for (let bit = start, i = 0; bit < out.length; i++) {
    const byte = source(i);
    for (let b = 7; b >= 0 && bit < out.length; b--, bit++) out[bit] = (byte >>> b) & 1;
  }
}

function bitsToNumber(bits: Uint8Array, start: number, count: number): number {
  let v = 0;
  for (let i = 0; i < count; i++) v = v * 2 + (bits[start + i] ?? 1);
  return v;
}

function bitsToBytes(bits: Uint8Array, start: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = bitsToNumber(bits, start + i * 8, 8);
  return out;
}
