/**
 * The three status registers of a W25Q32-class flash and its write-enable latch: a non-volatile
 * copy (what a power cycle restores) and the live copy, writes through 0x01/0x31/0x11 after a
 * write enable (non-volatile) or a volatile SR write enable (0x50, live copy only), the one-time
 * programmable security register lock bits LB1..LB3, and the bits other parts of the chip read
 * (block protection, WPS).
 *
 * Layout: SR1 = BUSY, WEL, BP0..2, TB, SEC, SRP0 (bits 0..7); SR2 = SRP1, QE, reserved, LB1..3,
 * CMP, SUS; SR3 = reserved, reserved, WPS, reserved, reserved, DRV0, DRV1, reserved. Operations
 * complete at once, so BUSY and SUS always read 0.
 *
 * @module
 */

/** Write-enable latch, SR1 bit 1. */
const WEL = 0x02;
/** Writable bits of SR1..SR3 (BUSY, WEL, reserved and SUS bits are read-only). */
const WRITABLE = [0xfc, 0x7b, 0x64] as const;
/** LB1..LB3, SR2 bits 3..5: one-time programmable. */
const LOCK_BITS = 0x38;

/**
 * The registers.
 *
 * @example
 * ```ts
 * import { FlashStatusRegisters } from "./flash_status_registers.ts";
 * import assert from "node:assert/strict";
 * const s = new FlashStatusRegisters(0);
 * s.write(1, [0x02]); // no write enable: ignored
 * assert.equal(s.value, 0);
 * s.writeEnable();
 * s.write(1, [0x02]); // QE
 * assert.equal(s.value, 0x0200);
 * ```
 */
export class FlashStatusRegisters {
  readonly #nv: number[];
  #live: number[];
  #wel = false;
  #volatileWrite = false;

  /** @param initial non-volatile SR1..SR3 at manufacture, SR1 in the low byte */
  constructor(initial: number) {
    const s = initial >>> 0;
    this.#nv = [s & WRITABLE[0], (s >>> 8) & WRITABLE[1], (s >>> 16) & WRITABLE[2]];
    this.#live = [...this.#nv];
  }

  /** SR1..SR3 as one number (SR1 in the low byte), WEL included. */
  get value(): number {
    const sr1 = this.#live[0]! | (this.#wel ? WEL : 0);
    return sr1 | (this.#live[1]! << 8) | (this.#live[2]! << 16);
  }

  /** Status register 1 without WEL (block protection bits). */
  get sr1(): number {
    return this.#live[0]!;
  }

  /** Status register 2 (CMP, LB1..3, QE). */
  get sr2(): number {
    return this.#live[1]!;
  }

  /** WPS (SR3 bit 2): the individual block/sector locks guard the array instead of BP/CMP. */
  get individualLocks(): boolean {
    return (this.#live[2]! & 0x04) !== 0;
  }

  /**
   * Whether security register `n` is locked (its LB bit is set).
   *
   * @param n 1..3
   * @returns true when programs and erases of that register are refused
   */
  securityLocked(n: 1 | 2 | 3): boolean {
    return (this.#live[1]! & (0x04 << n)) !== 0;
  }

  /** Write Enable (0x06). */
  writeEnable(): void {
    this.#wel = true;
  }

  /** Write Disable (0x04). */
  writeDisable(): void {
    this.#wel = false;
  }

  /** Volatile SR Write Enable (0x50): the next status write changes the live copy only. */
  volatileWriteEnable(): void {
    this.#volatileWrite = true;
  }

  /**
   * What a program, erase or lock instruction does with the latch: it needs it and clears it.
   *
   * @returns whether the latch was set
   */
  takeWriteEnable(): boolean {
    const was = this.#wel;
    this.#wel = false;
    return was;
  }

  /**
   * Write Status Register 1 (with SR2 as a second byte), 2 or 3. Ignored without WEL or a
   * volatile SR write enable; LB1..3 can be set, never cleared.
   *
   * @param first register written by the first byte: 0 (0x01), 1 (0x31) or 2 (0x11)
   * @param bytes the data bytes of the cycle
   */
  write(first: 0 | 1 | 2, bytes: ArrayLike<number>): void {
    const count = Math.min(bytes.length, first === 0 ? 2 : 1);
    const volatile = !this.#wel && this.#volatileWrite;
    if (count === 0 || (!this.#wel && !volatile)) return;
    for (let i = 0; i < count; i++) {
      const reg = (first + i) as 0 | 1 | 2;
      const otp = reg === 1 ? this.#live[1]! & LOCK_BITS : 0;
      const value = ((bytes[i]! & WRITABLE[reg]) | otp) & 0xff;
      this.#live[reg] = value;
      if (!volatile) this.#nv[reg] = value;
    }
    this.#wel = false;
    this.#volatileWrite = false;
  }

  /** The ROM's SPIUnlock: BP0..2, TB, SEC and CMP cleared (non-volatile), WEL cleared. */
  clearProtection(): void {
    this.#live[0] = this.#live[0]! & ~0x7c;
    this.#live[1] = this.#live[1]! & ~0x40;
    this.#nv[0] = this.#live[0]!;
    this.#nv[1] = this.#live[1]!;
    this.#wel = false;
  }

  /** Power cycle or software reset: the live copy returns to the non-volatile one, WEL clears. */
  reset(): void {
    this.#live = [...this.#nv];
    this.#wel = false;
    this.#volatileWrite = false;
  }
}
