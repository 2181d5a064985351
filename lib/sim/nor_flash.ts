/**
 * The storage array of a NOR flash chip: erasing sets a 4 KiB sector (or a 64 KiB block, or the
 * whole chip) to 0xFF; programming can only clear bits (new = old AND data), so data written
 * over data that was not erased comes out wrong, as on a real chip. Every erase and program is
 * counted per sector so tests can check what a flasher did.
 *
 * Addresses here are physical and must lie inside the chip; address wrap-around and write
 * protection belong to the SPI chip model (spi_flash_chip.ts).
 *
 * @module
 */

/** Bytes per sector. */
export const SECTOR_BYTES = 0x1000;
/** Bytes per 64 KiB block. */
export const BLOCK_BYTES = 0x10000;

/** Totals over the chip's life (since it was created). */
export interface FlashStats {
  /** 4 KiB sector erases. */
  sectorErases: number;
  /** 32 KiB block erases. */
  block32Erases: number;
  /** 64 KiB block erases. */
  blockErases: number;
  /** Whole-chip erases. */
  chipErases: number;
  /** Program operations (one per page program or programming call). */
  programs: number;
  /** Bytes programmed. */
  bytesProgrammed: number;
}

/** A range of sectors that changed. */
export interface SectorSpan {
  /** First sector. */
  first: number;
  /** Number of sectors. */
  count: number;
}

/** An erase or program about to happen. */
export interface NorOperation {
  /** What kind. */
  kind: "program" | "erase-sector" | "erase-block32" | "erase-block" | "erase-chip";
  /** First byte. */
  address: number;
  /** Bytes. */
  length: number;
}

/**
 * What a {@link NorFlashOptions.gate} lets happen: everything, the first half of a program
 * (power failed half way through), or nothing (no power).
 */
export type NorGate = "proceed" | "half" | "refuse";

/** Options for {@link NorFlash}. */
export interface NorFlashOptions {
  /** Initial contents (copied); erased (0xFF) by default. Must be `size` bytes. */
  contents?: Uint8Array;
  /** Called after every change with the sectors it touched. */
  onChange?: (span: SectorSpan) => void;
  /** Called for every erase and program, before it happens (a time model costs it). */
  onOperation?: (op: NorOperation) => void;
  /** Decides whether an operation happens (a fault model's power failure); all do by default. */
  gate?: (op: NorOperation) => NorGate;
}

/**
 * A NOR flash array.
 *
 * @example
 * ```ts
 * import { NorFlash } from "./nor_flash.ts";
 * import assert from "node:assert/strict";
 * const flash = new NorFlash(0x10000);
 * flash.program(0, new Uint8Array([0x0f]));
 * flash.program(0, new Uint8Array([0xf1])); // not erased in between: bits only clear
 * assert.equal(flash.read(0, 1)[0], 0x01);
 * flash.eraseSector(0);
 * assert.equal(flash.read(0, 1)[0], 0xff);
 * assert.equal(flash.sectorEraseCount(0), 1);
 * ```
 */
export class NorFlash {
  readonly #data: Uint8Array;
  readonly #erases: Uint32Array;
  readonly #programs: Uint32Array;
  readonly #onChange: ((span: SectorSpan) => void) | undefined;
  readonly #onOperation: ((op: NorOperation) => void) | undefined;
  readonly #gate: ((op: NorOperation) => NorGate) | undefined;
  readonly #stats: FlashStats = {
    sectorErases: 0,
    block32Erases: 0,
    blockErases: 0,
    chipErases: 0,
    programs: 0,
    bytesProgrammed: 0,
  };

  /**
   * Creates an array, erased unless contents are given.
   *
   * @param size bytes, a multiple of 64 KiB
   * @param options initial contents and a change listener
   */
  constructor(size: number, options: NorFlashOptions = {}) {
    if (!Number.isInteger(size) || size <= 0 || size % BLOCK_BYTES !== 0) {
      throw new RangeError(`A flash size must be a positive multiple of 64 KiB, not ${size}`);
    }
    this.#data = new Uint8Array(size).fill(0xff);
    if (options.contents !== undefined) {
      if (options.contents.length !== size) {
        throw new RangeError(`Initial contents are ${options.contents.length} bytes, not ${size}`);
      }
      this.#data.set(options.contents);
    }
    this.#erases = new Uint32Array(size / SECTOR_BYTES);
    this.#programs = new Uint32Array(size / SECTOR_BYTES);
    this.#onChange = options.onChange;
    this.#onOperation = options.onOperation;
    this.#gate = options.gate;
  }

  /** Size in bytes. */
  get size(): number {
    return this.#data.length;
  }

  /** Number of 4 KiB sectors. */
  get sectorCount(): number {
    return this.#erases.length;
  }

  /** Totals since creation (a copy). */
  get stats(): FlashStats {
    return { ...this.#stats };
  }

  /**
   * Reads bytes (a copy).
   *
   * @param address start, inside the chip
   * @param length bytes; the range must end inside the chip
   * @returns the bytes
   */
  read(address: number, length: number): Uint8Array {
    this.#check(address, length);
    return this.#data.slice(address, address + length);
  }

  /** The whole array, read-only by convention (no copy: cheap for large chips). */
  view(): Uint8Array {
    return this.#data.subarray(0);
  }

  /**
   * Programs bytes: each byte becomes old AND new.
   *
   * @param address start, inside the chip
   * @param data the bytes
   */
  program(address: number, data: Uint8Array): void {
    this.#check(address, data.length);
    if (data.length === 0) return;
    const gate = this.#begin({ kind: "program", address, length: data.length });
    if (gate === "refuse") return;
    if (gate === "half") data = data.subarray(0, data.length >> 1);
    if (data.length === 0) return;
    for (let i = 0; i < data.length; i++) this.#data[address + i]! &= data[i]!;
    const first = Math.floor(address / SECTOR_BYTES);
    const last = Math.floor((address + data.length - 1) / SECTOR_BYTES);
    for (let s = first; s <= last; s++) this.#programs[s]!++;
    this.#stats.programs++;
    this.#stats.bytesProgrammed += data.length;
    this.#onChange?.({ first, count: last - first + 1 });
  }

  /**
   * Erases one 4 KiB sector.
   *
   * @param sector sector index
   */
  eraseSector(sector: number): void {
    if (!this.#allowed("erase-sector", sector, 1)) return;
    this.#erase(sector, 1);
    this.#stats.sectorErases++;
  }

  /**
   * Erases a 32 KiB block.
   *
   * @param block index of the 32 KiB block
   */
  eraseBlock32(block: number): void {
    if (!this.#allowed("erase-block32", block * 8, 8)) return;
    this.#erase(block * 8, 8);
    this.#stats.block32Erases++;
  }

  /**
   * Erases a 64 KiB block.
   *
   * @param block index of the 64 KiB block
   */
  eraseBlock(block: number): void {
    if (!this.#allowed("erase-block", block * 16, 16)) return;
    this.#erase(block * 16, 16);
    this.#stats.blockErases++;
  }

  /** Erases the whole chip. */
  eraseChip(): void {
    if (!this.#allowed("erase-chip", 0, this.sectorCount)) return;
    this.#erase(0, this.sectorCount);
    this.#stats.chipErases++;
  }

  /**
   * How often a sector was erased (by any kind of erase).
   *
   * @param sector sector index
   * @returns the count
   */
  sectorEraseCount(sector: number): number {
    return this.#erases[sector] ?? 0;
  }

  /**
   * How many program operations touched a sector.
   *
   * @param sector sector index
   * @returns the count
   */
  sectorProgramCount(sector: number): number {
    return this.#programs[sector] ?? 0;
  }

  /** Erase counts of every sector (a copy). */
  eraseCounts(): Uint32Array {
    return this.#erases.slice();
  }

  /** Program counts of every sector (a copy). */
  programCounts(): Uint32Array {
    return this.#programs.slice();
  }

  /**
   * Whether a range reads as all 0xFF.
   *
   * @param address start
   * @param length bytes
   * @returns true when erased
   */
  isBlank(address: number, length: number): boolean {
    this.#check(address, length);
    for (let i = address; i < address + length; i++) if (this.#data[i] !== 0xff) return false;
    return true;
  }

  #begin(op: NorOperation): NorGate {
    const gate = this.#gate?.(op) ?? "proceed";
    if (gate !== "refuse") this.#onOperation?.(op);
    return gate;
  }

  /** An erase goes ahead unless the gate refuses it (half an erase counts as none). */
  #allowed(kind: NorOperation["kind"], firstSector: number, count: number): boolean {
    const address = firstSector * SECTOR_BYTES;
    return this.#begin({ kind, address, length: count * SECTOR_BYTES }) === "proceed";
  }

  #erase(firstSector: number, count: number): void {
    if (
      !Number.isInteger(firstSector) || firstSector < 0 || firstSector + count > this.sectorCount
    ) {
      throw new RangeError(`Sector ${firstSector} (+${count}) is outside the chip`);
    }
    this.#data.fill(0xff, firstSector * SECTOR_BYTES, (firstSector + count) * SECTOR_BYTES);
    for (let s = firstSector; s < firstSector + count; s++) this.#erases[s]!++;
    this.#onChange?.({ first: firstSector, count });
  }

  #check(address: number, length: number): void {
    if (
      !Number.isInteger(address) || !Number.isInteger(length) || address < 0 || length < 0 ||
      address + length > this.#data.length
    ) {
      throw new RangeError(
        `Flash range 0x${
          address.toString(16)
        }+${length} is outside the ${this.#data.length}-byte chip`,
      );
    }
  }
}
