/**
 * A backing file for a simulated board's flash, so the board keeps its contents between runs:
 * created filled with 0xFF at the flash size when missing, loaded when present (a file of
 * another size is a user error), and written back sector by sector (only the sectors that
 * changed).
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { NorFlash, SectorSpan } from "./nor_flash.ts";

/**
 * A flash image on disk.
 *
 * @example
 * ```ts
 * import { FlashFile } from "./flash_file.ts";
 * import { NorFlash } from "./nor_flash.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.remove(path);
 * const file = FlashFile.open(path, 0x10000);
 * const flash = new NorFlash(0x10000, { contents: file.contents, onChange: (s) => file.markDirty(s) });
 * flash.program(0x1000, new Uint8Array([0x12]));
 * assert.equal(file.save(flash), 1);
 * assert.equal((await Deno.readFile(path))[0x1000], 0x12);
 * await Deno.remove(path);
 * ```
 */
export class FlashFile {
  /** The path. */
  readonly path: string;
  /** What the file held when opened (or 0xFF for a new file). */
  readonly contents: Uint8Array;
  readonly #dirty = new Set<number>();

  private constructor(path: string, contents: Uint8Array) {
    this.path = path;
    this.contents = contents;
  }

  /**
   * Opens or creates the file.
   *
   * @param path where it lives
   * @param size the flash size in bytes
   * @returns the file
   * @throws a user error `sim/flash-file-size` when an existing file has another size
   */
  static open(path: string, size: number): FlashFile {
    let contents: Uint8Array;
    try {
      contents = Deno.readFileSync(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      contents = new Uint8Array(size).fill(0xff);
      Deno.writeFileSync(path, contents);
    }
    if (contents.length !== size) {
      throw userError(
        "sim/flash-file-size",
        `The flash file ${path} holds ${contents.length} bytes, but the simulated flash is ${size} bytes`,
        "Pass the flash size the file was made with, or use another file.",
      );
    }
    return new FlashFile(path, contents);
  }

  /** Sectors changed and not yet saved. */
  get dirtySectors(): number {
    return this.#dirty.size;
  }

  /**
   * Notes changed sectors.
   *
   * @param span the sectors
   */
  markDirty(span: SectorSpan): void {
    for (let s = span.first; s < span.first + span.count; s++) this.#dirty.add(s);
  }

  /**
   * Writes the changed sectors to disk.
   *
   * @param flash the flash to save from
   * @returns how many sectors were written
   */
  save(flash: NorFlash): number {
    if (this.#dirty.size === 0) return 0;
    const sectors = [...this.#dirty].sort((a, b) => a - b);
    this.#dirty.clear();
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(this.path, { write: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      // the file was removed while the board ran: it comes back whole, nothing of the flash lost
      Deno.writeFileSync(this.path, flash.view());
      return flash.view().length / 4096;
    }
    try {
      const view = flash.view();
      let i = 0;
      while (i < sectors.length) {
        let j = i;
        while (j + 1 < sectors.length && sectors[j + 1] === sectors[j]! + 1) j++;
        const start = sectors[i]! * 4096;
        const bytes = view.subarray(start, (sectors[j]! + 1) * 4096);
        file.seekSync(start, Deno.SeekMode.Start);
        for (let o = 0; o < bytes.length;) o += file.writeSync(bytes.subarray(o));
        i = j + 1;
      }
    } finally {
      file.close();
    }
    return sectors.length;
  }
}
