/**
 * A W25Q32-class SPI NOR flash chip as its command set sees it: every instruction of the Winbond
 * W25Q32FV/JV standard, dual and quad SPI tables (`flash_command_table.ts`, QPI mode aside):
 * identification (JEDEC id, manufacturer/device id in its single, dual and quad I/O forms, the
 * unique id, SFDP), the status registers (`flash_status_registers.ts`), reads in every form (with
 * continuous read mode and burst with wrap: `flash_read_modes.ts`), page program (single and
 * quad input), sector/block/chip erase, erase/program suspend and resume, the security registers
 * (`security_registers.ts`), the individual block/sector locks (`block_locks.ts`), power-down
 * and software reset.
 *
 * Two ways in:
 *
 * - {@link SpiFlashChip.transfer}: one chip-select cycle, bit by bit as the ESP8266's SPI
 *   peripheral drives it (command byte, then whatever address, dummy and data phases the host
 *   configured). The chip parses the bits by its own rules, so a host that gets the address
 *   length or the dummy cycles wrong reads shifted data, as on a real part. Phases the datasheet
 *   sends on two or four lines arrive serialised, one bit per element (see the table's module).
 * - The `rom*` methods: what the ESP8266 ROM's SPI library does (write-enable then program or
 *   erase, waiting until the chip is ready). The ROM loader and the flasher stubs use these.
 *
 * Address bits above the chip's capacity are ignored (a 1 MB chip sees 0x100000 as 0x0), and
 * programs/erases in a protected region (BP/TB/SEC/CMP, or the individual locks while WPS = 1) or
 * without the write-enable latch are ignored, as the data sheets describe. Operations complete at
 * once: BUSY and SUS read 0, and suspend (0x75) and resume (0x7A) find nothing in progress, which
 * the data sheets say they then ignore.
 *
 * @module
 */

import { BlockLocks } from "./block_locks.ts";
import { dataStart, FLASH_COMMANDS, type FlashCommand } from "./flash_command_table.ts";
import { FlashReadModes } from "./flash_read_modes.ts";
import { FlashStatusRegisters } from "./flash_status_registers.ts";
import { BLOCK_BYTES, type NorFlash, SECTOR_BYTES } from "./nor_flash.ts";
import { securityRegisterOf, SecurityRegisters } from "./security_registers.ts";
import { sfdpTable } from "./sfdp.ts";
import { bitsToBytes, bitsToNumber, bytesToBits, emitBytes } from "./spi_bits.ts";
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
  readonly #status: FlashStatusRegisters;
  readonly #security = new SecurityRegisters();
  readonly #locks: BlockLocks;
  #resetEnabled = false;
  #poweredDown = false;
  readonly #modes = new FlashReadModes();

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
    this.#status = new FlashStatusRegisters(options.status ?? 0);
    this.#locks = new BlockLocks(flash.size);
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
    return this.#status.value;
  }

  /** Whether the chip is in deep power-down (answers nothing but 0xAB). */
  get poweredDown(): boolean {
    return this.#poweredDown;
  }

  /** Power cycle: volatile state (status copies, block locks, wrap, modes) back to power-up. */
  powerCycle(): void {
    this.#softwareReset();
    this.#resetEnabled = false;
    this.#poweredDown = false;
  }

  /**
   * One chip-select cycle. `input` is what the host drives on MOSI after the command byte, one
   * bit per element (address, mode, dummy and data phases, serialised where the datasheet uses
   * two or four lines; 1 where the host drives nothing); the result is what the chip drives in
   * the same cycles (1 where it drives nothing). Commands that change the chip run when
   * chip-select rises, if the cycle had the right length. In continuous read mode the cycle has
   * no command byte: `command` is taken as the address's first byte.
   *
   * @param command the command byte
   * @param input MOSI bits after the command
   * @returns MISO bits, as many as `input`
   */
  transfer(command: number, input: Uint8Array): Uint8Array {
    const resetWasEnabled = this.#resetEnabled;
    this.#resetEnabled = false;
    if (this.#poweredDown && command !== 0xab) return idle(input.length);
    if (this.#modes.continuous) return this.#continuousRead(command, input);
    const row = FLASH_COMMANDS[command];
    if (row === undefined) return idle(input.length);
    if (row.data === "output") return this.#read(command, row, input);
    this.#onChipSelectHigh(command, row, input, resetWasEnabled);
    return idle(input.length);
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
    for (let i = 0; i < length; i++) out[i] = this.#byteAt(address + i);
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
      this.#status.writeEnable();
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
    this.#status.writeEnable();
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
    this.#status.clearProtection();
    return true;
  }

  #byteAt(address: number): number {
    return this.#flash.view()[address & (this.size - 1)]!;
  }

  #deviceId(): number {
    return (((this.#jedec >>> 16) & 0xff) - 1) & 0xff;
  }

  /** A command with a data-out phase; its mode bits decide continuous read mode. */
  #read(command: number, row: FlashCommand, input: Uint8Array): Uint8Array {
    const out = idle(input.length);
    const address = row.addressBits === 0 ? 0 : bitsToNumber(input, 0, row.addressBits);
    emitBytes(out, dataStart(row), this.#source(command, address));
    if (row.modeBits > 0) {
      const complete = input.length >= row.addressBits + row.modeBits;
      const mode = complete ? bitsToNumber(input, row.addressBits, row.modeBits) : undefined;
      this.#modes.afterRead(command, mode);
    }
    return out;
  }

  /** What a read command drives, byte by byte from the start of its data phase. */
  #source(command: number, address: number): (index: number) => number {
    const mfrFirst = (address & 1) === 0;
    switch (command) {
      case 0x9f:
        return (i) => i < 3 ? (this.#jedec >>> (8 * i)) & 0xff : 0xff;
      case 0x05:
      case 0x35:
      case 0x15: {
        const value = this.#status.value >>> (command === 0x05 ? 0 : command === 0x35 ? 8 : 16);
        return () => value & 0xff;
      }
      case 0x5a:
        return (i) => this.#sfdp[(address + i) & 0xffffff] ?? 0xff;
      case 0x90:
      case 0x92:
      case 0x94:
        return (i) => (i % 2 === 0) === mfrFirst ? this.#jedec & 0xff : this.#deviceId();
      case 0xab:
        this.#poweredDown = false;
        return () => this.#deviceId();
      case 0x4b:
        return (i) => this.#uniqueId[i % 8]!;
      case 0x48:
        return (i) => this.#security.read(address, i);
      case 0x3d: {
        const locked = this.#locks.isLocked(address) ? 1 : 0;
        return () => locked;
      }
      default: // 0x03, 0x0B, 0x3B, 0x6B, 0xBB, 0xEB, 0xE7, 0xE3
        return (i) => this.#byteAt(this.#modes.arrayAddress(command, address, i));
    }
  }

  /** A cycle without a command byte: its first eight bits are A23..A16 of the same read. */
  #continuousRead(first: number, input: Uint8Array): Uint8Array {
    const command = this.#modes.takeContinuous()!;
    const row = FLASH_COMMANDS[command]!;
    const bits = new Uint8Array(8 + input.length);
    bits.set(bytesToBits([first]), 0);
    bits.set(input, 8);
    // Too short to carry the mode bits (the data sheets' mode-bit reset, 0xFF): back to commands.
    if (bits.length < row.addressBits + row.modeBits) return idle(input.length);
    return this.#read(command, row, bits).slice(8);
  }

  #onChipSelectHigh(
    command: number,
    row: FlashCommand,
    input: Uint8Array,
    resetWasEnabled: boolean,
  ): void {
    const n = input.length;
    const start = dataStart(row);
    // Writes, programs and erases must end on the byte boundary their layout asks for.
    if (row.data === "none" ? n !== row.addressBits : n <= start || (n - start) % 8 !== 0) return;
    const address = row.addressBits === 0 ? 0 : bitsToNumber(input, 0, row.addressBits);
    const data = row.data === "input" ? bitsToBytes(input, start, (n - start) / 8) : undefined;
    switch (command) {
      case 0x06:
        return this.#status.writeEnable();
      case 0x04:
        return this.#status.writeDisable();
      case 0x50:
        return this.#status.volatileWriteEnable();
      case 0x01:
      case 0x31:
      case 0x11:
        return this.#status.write(command === 0x01 ? 0 : command === 0x31 ? 1 : 2, data!);
      case 0x02:
      case 0x32:
        return this.#pageProgram(address, data!);
      case 0x20:
      case 0x52:
      case 0xd8:
      case 0xc7:
      case 0x60:
        return this.#erase(command, address);
      case 0x42:
      case 0x44:
        return this.#securityWrite(address, data);
      case 0x36:
      case 0x39:
      case 0x7e:
      case 0x98:
        return this.#lockCommand(command, address);
      case 0x77:
        return this.#modes.setBurst(data![0]!);
      case 0xb9:
        this.#poweredDown = true;
        return;
      case 0x66:
        this.#resetEnabled = true;
        return;
      case 0x99:
        if (resetWasEnabled) this.#softwareReset();
        return;
        // 0x75 and 0x7A: nothing is ever in progress, so there is nothing to suspend or resume.
    }
  }

  #softwareReset(): void {
    this.#status.reset();
    this.#locks.lockAll();
    this.#modes.reset();
  }

  #pageProgram(address: number, data: Uint8Array): void {
    if (!this.#status.takeWriteEnable()) return;
    const at = address & (this.size - 1);
    const pageStart = at - (at % PAGE_BYTES);
    // More than a page: only the last 256 bytes count; the address wraps inside the page.
    const bytes = data.length > PAGE_BYTES ? data.subarray(data.length - PAGE_BYTES) : data;
    if (this.#guarded(pageStart, PAGE_BYTES)) return;
    const first = at % PAGE_BYTES;
    const head = bytes.subarray(0, PAGE_BYTES - first);
    this.#flash.program(at, head);
    if (head.length < bytes.length) this.#flash.program(pageStart, bytes.subarray(head.length));
  }

  #erase(command: number, address: number): void {
    if (!this.#status.takeWriteEnable()) return;
    if (command === 0xc7 || command === 0x60) {
      if (!this.#guarded(0, this.size)) this.#flash.eraseChip();
      return;
    }
    const at = address & (this.size - 1);
    const unit = command === 0x20 ? SECTOR_BYTES : command === 0x52 ? 0x8000 : BLOCK_BYTES;
    const start = at - (at % unit);
    if (this.#guarded(start, unit)) return;
    if (unit === SECTOR_BYTES) this.#flash.eraseSector(start / SECTOR_BYTES);
    else if (unit === 0x8000) this.#flash.eraseBlock32(start / 0x8000);
    else this.#flash.eraseBlock(start / BLOCK_BYTES);
  }

  /** 0x42 (with data) or 0x44 (without): needs WEL; refused while the register's LB bit is set. */
  #securityWrite(address: number, data: Uint8Array | undefined): void {
    if (!this.#status.takeWriteEnable()) return;
    const register = securityRegisterOf(address);
    if (register === undefined || this.#status.securityLocked(register)) return;
    if (data === undefined) this.#security.erase(address);
    else this.#security.program(address, data);
  }

  /** 0x36, 0x39, 0x7E, 0x98: need WEL, like the other write instructions. */
  #lockCommand(command: number, address: number): void {
    if (!this.#status.takeWriteEnable()) return;
    if (command === 0x36) this.#locks.lock(address);
    else if (command === 0x39) this.#locks.unlock(address);
    else if (command === 0x7e) this.#locks.lockAll();
    else this.#locks.unlockAll();
  }

  /** Whether a program or erase of the range is refused by the protection scheme in force. */
  #guarded(start: number, length: number): boolean {
    if (this.#status.individualLocks) return this.#locks.overlaps(start, length);
    const ranges = protectedRanges(this.#status.sr1, this.#status.sr2, this.size);
    return overlapsProtection(ranges, start, length);
  }
}

/** What the chip drives when it drives nothing: all 1. */
function idle(bits: number): Uint8Array {
  return new Uint8Array(bits).fill(1);
}
