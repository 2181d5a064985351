/**
 * The simulated NodeMCU's file system: a simple format of its own (not SPIFFS) kept in the flash
 * area the firmware gives it, so files survive restarts and resets, an erase removes them, and
 * formatting costs what erasing every sector of the area costs.
 *
 * Layout, from the area's first byte: the magic `NFSIM-FS`, the area's start and end (u32 LE,
 * so a firmware that moved its area finds no file system there), the table's length and CRC-32,
 * then the table: per file a name length (u8), the name, the size (u32 LE) and the contents.
 * Every change rewrites the table (erasing the sectors it needs first); a table that does not
 * check out means no file system, and NodeMCU formats.
 *
 * @module
 */

import { crc32 } from "../image/esp8266_crc32.ts";
import { FS_MAGIC } from "./nodemcu_image.ts";

const SECTOR = 0x1000;
const HEAD = 24;
/** Longest file name (SPIFFS's 32 bytes with the terminator). */
export const MAX_NAME = 31;

/** Where the file system lives. */
export interface FsStorage {
  /** Reads bytes. */
  read(address: number, length: number): Uint8Array;
  /** Erases the 4 KiB sector at `address`; false when the flash does not answer. */
  eraseSector(address: number): boolean;
  /** Programs bytes; false when the flash does not answer. */
  program(address: number, data: Uint8Array): boolean;
}

const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

/**
 * A mounted file system.
 *
 * @example
 * ```ts
 * import { SimFs } from "./sim_fs.ts";
 * import assert from "node:assert/strict";
 * const flash = new Uint8Array(0x20000).fill(0xff);
 * const storage = {
 *   read: (a: number, n: number) => flash.slice(a, a + n),
 *   eraseSector: (a: number) => (flash.fill(0xff, a, a + 0x1000), true),
 *   program: (a: number, d: Uint8Array) => (d.forEach((b, i) => (flash[a + i]! &= b)), true),
 * };
 * assert.equal(SimFs.mount(storage, 0x10000, 0x20000), undefined, "blank: not formatted");
 * const fs = await SimFs.format(storage, 0x10000, 0x20000);
 * assert.ok(fs?.write("a.txt", new TextEncoder().encode("hi")));
 * assert.equal(SimFs.mount(storage, 0x10000, 0x20000)?.list().get("a.txt"), 2);
 * ```
 */
export class SimFs {
  readonly #storage: FsStorage;
  readonly #start: number;
  readonly #end: number;
  readonly #files: Map<string, Uint8Array>;

  private constructor(
    storage: FsStorage,
    start: number,
    end: number,
    files: Map<string, Uint8Array>,
  ) {
    this.#storage = storage;
    this.#start = start;
    this.#end = end;
    this.#files = files;
  }

  /**
   * Mounts the file system in `[start, end)`.
   *
   * @param storage the flash
   * @param start first byte of the area
   * @param end end of the area
   * @returns the file system, or `undefined` when there is none (blank, or not ours)
   */
  static mount(storage: FsStorage, start: number, end: number): SimFs | undefined {
    if (end - start < SECTOR) return undefined;
    const head = storage.read(start, HEAD);
    if (dec.decode(head.subarray(0, 8)) !== FS_MAGIC) return undefined;
    const view = new DataView(head.buffer, head.byteOffset, HEAD);
    const [s, e, length, crc] = [0, 1, 2, 3].map((i) => view.getUint32(8 + 4 * i, true));
    if (s !== start || e !== end || length! > end - start - HEAD) return undefined;
    const table = storage.read(start + HEAD, length!);
    if (crc32(table) !== crc) return undefined;
    const files = new Map<string, Uint8Array>();
    for (let at = 0; at < table.length;) {
      const n = table[at]!;
      const name = dec.decode(table.subarray(at + 1, at + 1 + n));
      const size = new DataView(table.buffer, table.byteOffset + at + 1 + n, 4).getUint32(0, true);
      files.set(name, table.slice(at + 5 + n, at + 5 + n + size));
      at += 5 + n + size;
    }
    return new SimFs(storage, start, end, files);
  }

  /**
   * Formats `[start, end)`: erases every sector (one `onSector` call each, so the caller can
   * print NodeMCU's dots and let the erase time pass), then writes an empty table.
   *
   * @param storage the flash
   * @param start first byte (sector aligned)
   * @param end end of the area
   * @param onSector called after each sector with the number done so far; `false` stops the
   *   format (the chip was reset)
   * @returns the empty file system, or `undefined` when the flash did not take it or it stopped
   */
  static async format(
    storage: FsStorage,
    start: number,
    end: number,
    onSector?: (done: number) => Promise<boolean> | boolean,
  ): Promise<SimFs | undefined> {
    if (end - start < SECTOR) return undefined;
    for (let at = start, done = 1; at < end; at += SECTOR, done++) {
      if (!storage.eraseSector(at)) return undefined;
      if (onSector !== undefined && !(await onSector(done))) return undefined;
    }
    return SimFs.#fresh(storage, start, end);
  }

  /**
   * Formats `[start, end)` at once (`file.format()` from Lua).
   *
   * @param storage the flash
   * @param start first byte (sector aligned)
   * @param end end of the area
   * @returns the empty file system, or `undefined` when the flash did not take it
   */
  static formatNow(storage: FsStorage, start: number, end: number): SimFs | undefined {
    if (end - start < SECTOR) return undefined;
    for (let at = start; at < end; at += SECTOR) if (!storage.eraseSector(at)) return undefined;
    return SimFs.#fresh(storage, start, end);
  }

  static #fresh(storage: FsStorage, start: number, end: number): SimFs | undefined {
    const fs = new SimFs(storage, start, end, new Map());
    return fs.#commit() ? SimFs.mount(storage, start, end) : undefined;
  }

  /** Names and sizes. */
  list(): Map<string, number> {
    return new Map([...this.#files].map(([name, data]) => [name, data.length]));
  }

  /** Bytes in use and the area's size. */
  usage(): { used: number; total: number } {
    let used = HEAD;
    for (const [name, data] of this.#files) used += 5 + enc.encode(name).length + data.length;
    return { used, total: this.#end - this.#start };
  }

  /**
   * A file's contents.
   *
   * @param name the file
   * @returns a copy, or `undefined`
   */
  read(name: string): Uint8Array | undefined {
    return this.#files.get(name)?.slice();
  }

  /**
   * Whether a file exists.
   *
   * @param name the file
   * @returns true when it does
   */
  exists(name: string): boolean {
    return this.#files.has(name);
  }

  /**
   * Creates or replaces a file and writes the table to flash.
   *
   * @param name the file (at most 31 bytes)
   * @param data its contents
   * @returns false when the name is too long, the area is full or the flash did not take it
   */
  write(name: string, data: Uint8Array): boolean {
    if (name === "" || enc.encode(name).length > MAX_NAME) return false;
    const before = this.#files.get(name);
    this.#files.set(name, data.slice());
    if (this.usage().used <= this.#end - this.#start && this.#commit()) return true;
    if (before === undefined) this.#files.delete(name);
    else this.#files.set(name, before);
    return false;
  }

  /**
   * Removes a file.
   *
   * @param name the file
   * @returns whether it existed
   */
  remove(name: string): boolean {
    if (!this.#files.delete(name)) return false;
    this.#commit();
    return true;
  }

  #commit(): boolean {
    const entries = [...this.#files].map(([name, data]) => ({ name: enc.encode(name), data }));
    const length = entries.reduce((n, e) => n + 5 + e.name.length + e.data.length, 0);
    const out = new Uint8Array(HEAD + length);
    const view = new DataView(out.buffer);
    out.set(enc.encode(FS_MAGIC));
    let at = HEAD;
    for (const e of entries) {
      out[at] = e.name.length;
      out.set(e.name, at + 1);
      view.setUint32(at + 1 + e.name.length, e.data.length, true);
      out.set(e.data, at + 5 + e.name.length);
      at += 5 + e.name.length + e.data.length;
    }
    const table = out.subarray(HEAD);
    [this.#start, this.#end, length, crc32(table)].forEach((v, i) =>
      view.setUint32(8 + 4 * i, v >>> 0, true)
    );
    if (out.length > this.#end - this.#start) return false;
    for (let at = this.#start; at < this.#start + out.length; at += SECTOR) {
      if (!this.#storage.eraseSector(at)) return false;
    }
    return this.#storage.program(this.#start, out);
  }
}
