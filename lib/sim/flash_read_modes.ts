/**
 * The read-path state of a W25Q32-class flash that outlives a chip-select cycle, and where each
 * read command takes its bytes from:
 *
 * - continuous read mode: after a Fast Read Dual I/O (0xBB) or Quad I/O (0xEB, 0xE7, 0xE3) whose
 *   mode bits M5..4 are 10, the next cycle has no command byte (its first bits are the address of
 *   the same read); other mode bits end it;
 * - burst with wrap (0x77): with W4 = 0, 0xEB and 0xE7 read inside an aligned 8, 16, 32 or
 *   64-byte window (W6..5), wrapping to its start; W4 = 1 reads sequentially again;
 * - 0xE7 (word read) ignores address bit A0 and 0xE3 (octal word read) A3..A0, which the data
 *   sheets require to be 0.
 *
 * Both modes are volatile: off after power-up and after a software reset.
 *
 * @module
 */

/** Commands whose mode bits can ask for continuous read mode. */
const CONTINUOUS_READS: ReadonlySet<number> = new Set([0xbb, 0xeb, 0xe7, 0xe3]);

/**
 * The state.
 *
 * @example
 * ```ts
 * import { FlashReadModes } from "./flash_read_modes.ts";
 * import assert from "node:assert/strict";
 * const modes = new FlashReadModes();
 * modes.setBurst(0b0000_0000); // W4 = 0, 8-byte window
 * assert.equal(modes.arrayAddress(0xeb, 0x106, 2), 0x100); // 0x106, 0x107, then 0x100
 * assert.equal(modes.arrayAddress(0x03, 0x106, 2), 0x108); // 0x03 never wraps
 * modes.afterRead(0xeb, 0x20); // M5..4 = 10
 * assert.equal(modes.takeContinuous(), 0xeb);
 * assert.equal(modes.takeContinuous(), undefined);
 * ```
 */
export class FlashReadModes {
  #continuous: number | undefined;
  #wrap = 0;

  /** Whether the next cycle continues a read instead of starting with a command byte. */
  get continuous(): boolean {
    return this.#continuous !== undefined;
  }

  /**
   * Leaves continuous read mode for the cycle that starts now (its own mode bits decide again).
   *
   * @returns the read the cycle continues, or undefined outside continuous read mode
   */
  takeContinuous(): number | undefined {
    const command = this.#continuous;
    this.#continuous = undefined;
    return command;
  }

  /**
   * After a read: continuous-capable reads enter or leave continuous read mode by their mode bits.
   *
   * @param command the read command
   * @param mode M7..M0, or undefined when the cycle ended before them
   */
  afterRead(command: number, mode: number | undefined): void {
    if (!CONTINUOUS_READS.has(command)) return;
    this.#continuous = mode !== undefined && (mode & 0x30) === 0x20 ? command : undefined;
  }

  /**
   * Set Burst with Wrap (0x77).
   *
   * @param w the wrap byte W7..W0
   */
  setBurst(w: number): void {
    this.#wrap = w & 0x10 ? 0 : 8 << ((w >>> 5) & 3);
  }

  /**
   * The array address of the `index`-th byte a read returns.
   *
   * @param command the read command
   * @param address the address the host sent
   * @param index bytes already read in the cycle
   * @returns the address (before wrapping at the chip's capacity)
   */
  arrayAddress(command: number, address: number, index: number): number {
    const start = command === 0xe7 ? address & ~1 : command === 0xe3 ? address & ~0xf : address;
    const wrap = command === 0xeb || command === 0xe7 ? this.#wrap : 0;
    if (wrap === 0) return start + index;
    return start - (start % wrap) + ((start + index) % wrap);
  }

  /** Power-up or software reset: both modes off. */
  reset(): void {
    this.#continuous = undefined;
    this.#wrap = 0;
  }
}
