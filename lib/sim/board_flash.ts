/**
 * A board's flash: the NOR array (with the time model costing every erase and program, and the
 * fault model's power failures gating them), the SPI chip in front of it, and the optional
 * backing file, written back after a write burst ({@link SAVE_DELAY_MS}), on request and on
 * close.
 *
 * @module
 */

import type { ResolvedBoardOptions } from "./board_options.ts";
import { FlashFile } from "./flash_file.ts";
import { NorFlash, type NorGate, type NorOperation } from "./nor_flash.ts";
import { SpiFlashChip } from "./spi_flash_chip.ts";

/** How long after the last flash change a backing file is written ("end of a write burst"). */
export const SAVE_DELAY_MS = 250;

/** What {@link BoardFlash} needs. */
export interface BoardFlashOptions {
  /** Initial contents (ignored with a backing file). */
  contents?: Uint8Array | undefined;
  /** Backing file path. */
  file?: string | undefined;
  /** Costs an operation (time model). */
  onOperation(op: NorOperation): void;
  /** Gates an operation (faults). */
  gate(op: NorOperation): NorGate;
  /** Reports a save: path and sectors written. */
  onSaved(path: string, sectors: number): void;
}

/**
 * The flash parts of a board.
 *
 * @example
 * ```ts
 * import { BoardFlash } from "./board_flash.ts";
 * import { resolveBoardOptions } from "./board_options.ts";
 * import assert from "node:assert/strict";
 * const f = new BoardFlash(resolveBoardOptions({ flashSize: "1MB" }), {
 *   onOperation() {}, gate: () => "proceed", onSaved() {},
 * });
 * assert.equal(f.chip.size, 1 << 20);
 * assert.equal(f.save(), 0);
 * f.close();
 * ```
 */
export class BoardFlash {
  /** The storage array. */
  readonly flash: NorFlash;
  /** The SPI chip. */
  readonly chip: SpiFlashChip;
  readonly #file: FlashFile | undefined;
  readonly #onSaved: (path: string, sectors: number) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /**
   * @param o the board's resolved options (size, JEDEC id, status, seed)
   * @param options contents, backing file, hooks
   */
  constructor(o: ResolvedBoardOptions, options: BoardFlashOptions) {
    this.#onSaved = options.onSaved;
    this.#file = options.file === undefined
      ? undefined
      : FlashFile.open(options.file, o.flashBytes);
    const contents = this.#file?.contents ?? options.contents;
    this.flash = new NorFlash(o.flashBytes, {
      ...(contents === undefined ? {} : { contents }),
      onChange: (span) => {
        if (this.#file === undefined) return;
        this.#file.markDirty(span);
        this.#schedule();
      },
      onOperation: options.onOperation,
      gate: options.gate,
    });
    this.chip = new SpiFlashChip(this.flash, {
      jedecId: o.jedecId,
      status: o.flashStatus,
      seed: o.seed,
    });
  }

  /** The backing file's path, if any. */
  get path(): string | undefined {
    return this.#file?.path;
  }

  /**
   * Writes changed sectors to the backing file now.
   *
   * @returns sectors written (0 without a backing file)
   */
  save(): number {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#file === undefined) return 0;
    const sectors = this.#file.save(this.flash);
    if (sectors > 0) this.#onSaved(this.#file.path, sectors);
    return sectors;
  }

  /** Saves and stops the save timer. */
  close(): void {
    this.save();
    this.#closed = true;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.save();
    }, SAVE_DELAY_MS);
  }
}
