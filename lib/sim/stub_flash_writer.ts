/**
 * How the flasher stubs write flash between FLASH_BEGIN and FLASH_END (docs/protocol.md §8,
 * §10.4): the data is acknowledged first and written afterwards; sectors are erased just in
 * time, ahead of the write position (a 64 KiB block erase when the position is block-aligned and
 * at least 16 sectors remain, else one sector), plus one opportunistic erase before each inflate
 * step. The new stub erases one unit at FLASH_BEGIN and skips sectors that already read as blank
 * until it meets the first non-blank one. The last block is trimmed to the announced size.
 *
 * Erases go straight to the chip's command interface (so past the chip's end they wrap, as the
 * legacy stub's do); writes go through the ROM's SPIWrite, which refuses ranges past the flash
 * size the stub was given (SPI_SET_PARAMS) with 0xC4.
 *
 * @module
 */

import { StubStatus } from "../protocol/status.ts";
import type { Device } from "./device.ts";
import { Inflater } from "./inflater.ts";
import type { StubDialect } from "./stub_dialect.ts";

/** What FLASH_BEGIN / FLASH_DEFL_BEGIN announced. */
export interface FlashWriteJob {
  /** Flash offset. */
  offset: number;
  /** Bytes to write (uncompressed). */
  size: number;
  /** Whether the data comes as a zlib stream. */
  compressed: boolean;
  /** The flash-size bound writes are checked against. */
  limit: number;
}

/**
 * One write job.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { StubFlashWriter } from "./stub_flash_writer.ts";
 * import { LEGACY_STUB } from "./stub_dialect.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ flashSize: "1MB" });
 * const w = new StubFlashWriter(board.device, LEGACY_STUB, { offset: 0x1000, size: 4, compressed: false, limit: 0x100000 });
 * assert.equal(await w.write(new Uint8Array([1, 2, 3, 4, 0xff, 0xff])), 0);
 * assert.deepEqual(board.flash.read(0x1000, 5), new Uint8Array([1, 2, 3, 4, 0xff]));
 * assert.equal(w.remaining, 0);
 * w.close();
 * await board.close();
 * ```
 */
export class StubFlashWriter {
  readonly #device: Device;
  readonly #dialect: StubDialect;
  readonly #job: FlashWriteJob;
  readonly #inflater: Inflater | undefined;
  #nextWrite: number;
  #remaining: number;
  #nextErase: number;
  #eraseLeft: number;
  #skipping: boolean;

  /**
   * @param device the hardware
   * @param dialect the stub family's behaviour
   * @param job what FLASH_BEGIN announced
   */
  constructor(device: Device, dialect: StubDialect, job: FlashWriteJob) {
    this.#device = device;
    this.#dialect = dialect;
    this.#job = job;
    this.#nextWrite = job.offset;
    this.#remaining = job.size;
    this.#nextErase = Math.floor(job.offset / 4096);
    this.#eraseLeft = Math.ceil(((job.offset % 4096) + job.size) / 4096);
    this.#skipping = dialect.skipsBlankErase;
    this.#inflater = job.compressed ? new Inflater() : undefined;
    if (dialect.eraseAtBegin) this.#eraseNext();
  }

  /** Bytes still to write. */
  get remaining(): number {
    return this.#remaining;
  }

  /** The job. */
  get job(): FlashWriteJob {
    return this.#job;
  }

  /**
   * Writes an uncompressed block (trimmed to what remains).
   *
   * @param data the block
   * @returns 0, or the stub error code (0xC4)
   */
  write(data: Uint8Array): Promise<number> {
    return Promise.resolve(this.#writeData(data));
  }

  /**
   * Inflates a compressed block and writes the output.
   *
   * @param chunk the compressed block
   * @returns 0, or the stub error code (0xC7 corrupt stream, 0xC4 write failed)
   */
  async writeCompressed(chunk: Uint8Array): Promise<number> {
    if (this.#inflater === undefined) return StubStatus.NOT_IN_FLASH_MODE;
    this.#eraseNext();
    const step = await this.#inflater.push(chunk);
    const status = this.#writeData(step.output);
    if (step.error !== undefined) return StubStatus.INFLATE_ERROR;
    return status;
  }

  /** Releases the inflater. */
  close(): void {
    this.#inflater?.close();
  }

  #writeData(data: Uint8Array): number {
    const length = Math.min(data.length, this.#remaining);
    if (length === 0) return 0;
    const end = this.#nextWrite + length;
    const lastSector = Math.floor(end / 4096);
    const through = this.#dialect.eraseAhead === "end-sector" ? lastSector + 1 : end / 4096;
    while (this.#eraseLeft > 0 && this.#nextErase < through) this.#eraseNext();
    const at = this.#nextWrite;
    this.#nextWrite += length;
    this.#remaining -= length;
    if (at + length > this.#job.limit) return StubStatus.FAILED_SPI_OP;
    if (!this.#device.chip.romWrite(at, data.subarray(0, length))) return StubStatus.FAILED_SPI_OP;
    return 0;
  }

  #eraseNext(): void {
    if (this.#eraseLeft <= 0) return;
    const chip = this.#device.chip;
    const block = this.#eraseLeft >= 16 && this.#nextErase % 16 === 0;
    const count = block ? 16 : 1;
    const address = this.#nextErase * 4096;
    if (this.#skipping && this.#blank(address, count * 4096)) {
      // the new stub leaves blank sectors alone until it meets a written one
    } else {
      this.#skipping = false;
      chip.romErase(block ? "block" : "sector", address);
    }
    this.#eraseLeft -= count;
    this.#nextErase += count;
  }

  #blank(address: number, length: number): boolean {
    const bytes = this.#device.chip.romRead(address, length);
    return bytes.every((b) => b === 0xff);
  }
}
