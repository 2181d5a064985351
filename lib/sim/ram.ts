/**
 * The ESP8266's internal RAM as the loaders see it: data RAM at 0x3FFE8000..0x3FFFFFFF (96 KiB)
 * and instruction RAM at 0x40100000..0x4010FFFF (64 KiB; the upper half is the flash cache when
 * the cache is on, which it is not in the loaders). What MEM_DATA or WRITE_REG stores here reads
 * back through READ_REG, and the flasher-stub table fingerprints uploaded code from here.
 *
 * Contents do not survive a reset of the simulated board (a simplification: real RAM keeps most
 * of its contents over a soft reset, but nothing a flasher relies on).
 *
 * @module
 */

/** A RAM region. */
export interface RamRegion {
  /** `dram` or `iram`. */
  name: "dram" | "iram";
  /** First address. */
  start: number;
  /** One past the last address. */
  end: number;
}

/** The two regions. */
export const RAM_REGIONS: readonly RamRegion[] = [
  { name: "dram", start: 0x3ffe8000, end: 0x40000000 },
  { name: "iram", start: 0x40100000, end: 0x40110000 },
];

/**
 * The RAM.
 *
 * @example
 * ```ts
 * import { Ram } from "./ram.ts";
 * import assert from "node:assert/strict";
 * const ram = new Ram();
 * assert.equal(ram.write(0x4010c000, new Uint8Array([1, 2, 3, 4])), true);
 * assert.equal(ram.read32(0x4010c000), 0x04030201);
 * assert.equal(ram.write(0x50000000, new Uint8Array([1])), false);
 * ```
 */
export class Ram {
  readonly #banks = RAM_REGIONS.map((r) => ({ region: r, bytes: new Uint8Array(r.end - r.start) }));

  /**
   * Whether a range lies inside one region.
   *
   * @param address start
   * @param length bytes
   * @returns true when all of it is RAM
   */
  contains(address: number, length = 1): boolean {
    return this.#bank(address, length) !== undefined;
  }

  /**
   * Reads bytes (a copy).
   *
   * @param address start
   * @param length bytes
   * @returns the bytes, or `undefined` when the range is not RAM
   */
  read(address: number, length: number): Uint8Array | undefined {
    const bank = this.#bank(address, length);
    if (bank === undefined) return undefined;
    const at = address - bank.region.start;
    return bank.bytes.slice(at, at + length);
  }

  /**
   * Writes bytes.
   *
   * @param address start
   * @param data bytes
   * @returns false when the range is not RAM (nothing is written)
   */
  write(address: number, data: Uint8Array): boolean {
    const bank = this.#bank(address, data.length);
    if (bank === undefined) return false;
    bank.bytes.set(data, address - bank.region.start);
    return true;
  }

  /**
   * Reads a little-endian word.
   *
   * @param address word address
   * @returns the value, or `undefined` outside RAM
   */
  read32(address: number): number | undefined {
    const b = this.read(address, 4);
    return b === undefined ? undefined : new DataView(b.buffer).getUint32(0, true);
  }

  /**
   * Writes a little-endian word.
   *
   * @param address word address
   * @param value the value
   * @returns false outside RAM
   */
  write32(address: number, value: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.write(address, b);
  }

  /** Clears every byte (power-on / reset). */
  clear(): void {
    for (const bank of this.#banks) bank.bytes.fill(0);
  }

  #bank(address: number, length: number) {
    return this.#banks.find((b) => address >= b.region.start && address + length <= b.region.end);
  }
}
