/**
 * The individual block/sector lock bits of a W25Q32JV-class flash (0x36 lock, 0x39 unlock, 0x3D
 * read, 0x7E lock all, 0x98 unlock all). Every 64 KiB block has one lock bit, except the first
 * and the last block, whose sixteen 4 KiB sectors have one each. The bits are volatile: all 1
 * (locked) after power-up and after a software reset. They guard the array only while WPS
 * (status register 3 bit 2) is 1; the chip decides which scheme applies.
 *
 * @module
 */

import { BLOCK_BYTES, SECTOR_BYTES } from "./nor_flash.ts";

/**
 * The lock bits of one chip.
 *
 * @example
 * ```ts
 * import { BlockLocks } from "./block_locks.ts";
 * import assert from "node:assert/strict";
 * const locks = new BlockLocks(0x400000);
 * assert.equal(locks.isLocked(0x123456), true); // power-up: all locked
 * locks.unlockAll();
 * locks.lock(0x3ff000); // a sector of the top block
 * assert.equal(locks.overlaps(0x3f0000, 0x10000), true);
 * assert.equal(locks.isLocked(0x3fe000), false);
 * locks.lock(0x123456); // a whole middle block
 * assert.equal(locks.isLocked(0x120000), true);
 * ```
 */
export class BlockLocks {
  readonly #size: number;
  /** One flag per 4 KiB sector; a middle block's sixteen flags always move together. */
  readonly #locked: Uint8Array;

  /** @param size chip size in bytes (a multiple of 64 KiB); all bits start locked */
  constructor(size: number) {
    this.#size = size;
    this.#locked = new Uint8Array(Math.max(1, size / SECTOR_BYTES)).fill(1);
  }

  /**
   * Whether the unit holding an address is locked (what 0x3D reports in bit 0).
   *
   * @param address any address (wraps at the capacity)
   * @returns true when locked
   */
  isLocked(address: number): boolean {
    return this.#locked[this.#sector(address)] === 1;
  }

  /**
   * Whether any byte of a range is locked.
   *
   * @param start first byte (inside the chip)
   * @param length bytes
   * @returns true when a program or erase of the range is refused
   */
  overlaps(start: number, length: number): boolean {
    const first = Math.floor(start / SECTOR_BYTES);
    const last = Math.floor((start + length - 1) / SECTOR_BYTES);
    return this.#locked.subarray(first, last + 1).includes(1);
  }

  /**
   * Individual Block/Sector Lock (0x36).
   *
   * @param address an address inside the block (sector in the first and last block)
   */
  lock(address: number): void {
    this.#set(address, 1);
  }

  /**
   * Individual Block/Sector Unlock (0x39).
   *
   * @param address an address inside the block (sector in the first and last block)
   */
  unlock(address: number): void {
    this.#set(address, 0);
  }

  /** Global Block/Sector Lock (0x7E); also the state after power-up and reset. */
  lockAll(): void {
    this.#locked.fill(1);
  }

  /** Global Block/Sector Unlock (0x98). */
  unlockAll(): void {
    this.#locked.fill(0);
  }

  #sector(address: number): number {
    return Math.floor((address & (this.#size - 1)) / SECTOR_BYTES);
  }

  #set(address: number, value: 0 | 1): void {
    const at = address & (this.#size - 1);
    const block = Math.floor(at / BLOCK_BYTES);
    const edge = block === 0 || block === this.#size / BLOCK_BYTES - 1;
    if (edge) {
      this.#locked[this.#sector(at)] = value;
    } else {
      const first = block * (BLOCK_BYTES / SECTOR_BYTES);
      this.#locked.fill(value, first, first + BLOCK_BYTES / SECTOR_BYTES);
    }
  }
}
