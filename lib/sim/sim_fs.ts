/**
 * The simulated NodeMCU's file system, kept in the flash area the firmware gives it, so files
 * survive restarts, resets and a board's backing file, and an erase removes them. Its format is
 * the sim's own (sim_fs_pages.ts), log-structured like SPIFFS so operations cost what they cost
 * on the device: a write programs the pages it fills (the last, partial page waits in the open
 * file's cache until it is full, flushed or closed, as with SPIFFS's write cache) and rewrites
 * the object header with the new size; replacing a page marks the old one deleted; removing a
 * file marks its pages; only garbage collection erases: when fewer than a sector's worth of free
 * pages would remain, the sector with the most deleted pages has its live pages moved and is
 * erased (45 ms). Formatting erases every sector. Names are 1..31 bytes; `/` is an ordinary
 * character.
 *
 * @module
 */

import { PagePool } from "./sim_fs_pool.ts";
import { formatArea, scanArea, type ScannedArea } from "./sim_fs_scan.ts";
import {
  DATA_PAGE,
  encodeObjectHead,
  encodeSectorHead,
  HEADER_PAGE,
  MAX_NAME,
  PAYLOAD,
  SECTOR,
} from "./sim_fs_pages.ts";

export { MAX_NAME };

/** Where the file system lives. */
export interface FsStorage {
  /** Reads bytes. */
  read(address: number, length: number): Uint8Array;
  /** Erases the 4 KiB sector at `address`; false when the flash does not answer. */
  eraseSector(address: number): boolean;
  /** Programs bytes; false when the flash does not answer. */
  program(address: number, data: Uint8Array): boolean;
}

interface FsObject {
  id: number;
  name: string;
  data: Uint8Array;
  size: number;
  header: number;
  flashSize: number;
  spans: number[];
  dirty: Set<number>;
}

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
  readonly #pool: PagePool;
  readonly #start: number;
  readonly #end: number;
  readonly #objects = new Map<string, FsObject>();
  #nextId: number;

  private constructor(storage: FsStorage, area: ScannedArea) {
    this.#pool = new PagePool(storage, area);
    this.#start = area.start;
    this.#end = area.end;
    for (const o of area.objects) this.#objects.set(o.name, { ...o, dirty: new Set() });
    this.#nextId = area.nextId;
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
    const area = scanArea(storage, start, end);
    return area === undefined ? undefined : new SimFs(storage, area);
  }

  /**
   * Formats `[start, end)`: erases every sector and writes its header (one `onSector` call
   * each, so the caller can print NodeMCU's dots and let the erase time pass).
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
    if (!(await formatArea(storage, start, end, onSector))) return undefined;
    return SimFs.mount(storage, start, end);
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
    const head = encodeSectorHead(start, end, 1);
    if (end - start < 2 * SECTOR) return undefined;
    for (let at = start; at + SECTOR <= end; at += SECTOR) {
      if (!storage.eraseSector(at) || !storage.program(at, head)) return undefined;
    }
    return SimFs.mount(storage, start, end);
  }

  /** The area: flash address and size (`file.fscfg()`). */
  get area(): { address: number; size: number } {
    return { address: this.#start, size: this.#end - this.#start };
  }

  /** Names and sizes. */
  list(): Map<string, number> {
    return new Map([...this.#objects].map(([name, o]) => [name, o.size]));
  }

  /** Bytes in use and the capacity, counted in pages as SPIFFS counts them. */
  usage(): { used: number; total: number } {
    return { used: this.#pool.live * PAYLOAD, total: this.#pool.capacity * PAYLOAD };
  }

  /**
   * A file's contents (unflushed writes included).
   *
   * @param name the file
   * @returns a copy, or `undefined`
   */
  read(name: string): Uint8Array | undefined {
    const o = this.#objects.get(name);
    return o?.data.slice(0, o.size);
  }

  /**
   * Part of a file.
   *
   * @param name the file
   * @param offset first byte
   * @param length at most this many bytes
   * @returns the bytes (fewer at the end), or `undefined` when there is no such file
   */
  readAt(name: string, offset: number, length: number): Uint8Array | undefined {
    const o = this.#objects.get(name);
    if (o === undefined) return undefined;
    return o.data.slice(Math.min(offset, o.size), Math.min(o.size, offset + length));
  }

  /**
   * Whether a file exists.
   *
   * @param name the file
   * @returns true when it does
   */
  exists(name: string): boolean {
    return this.#objects.has(name);
  }

  /**
   * A file's size.
   *
   * @param name the file
   * @returns bytes, or `undefined`
   */
  size(name: string): number | undefined {
    return this.#objects.get(name)?.size;
  }

  /**
   * Creates or replaces a file with `data`, flushed.
   *
   * @param name the file (at most 31 bytes)
   * @param data its contents
   * @returns false when the name is invalid, the area is full (what fitted stays, as on
   *   SPIFFS) or the flash did not take it
   */
  write(name: string, data: Uint8Array): boolean {
    return this.create(name) && this.writeAt(name, 0, data) && this.flush(name);
  }

  /**
   * Creates an empty file, or truncates an existing one (SPIFFS's CREAT|TRUNC).
   *
   * @param name the file
   * @returns false when the name is invalid or there is no room
   */
  create(name: string): boolean {
    if (name === "" || name.length > MAX_NAME) return false;
    if (this.#objects.has(name)) this.remove(name);
    if (!this.#ensure(1)) return false;
    const o: FsObject = {
      id: this.#newId(),
      name,
      data: new Uint8Array(0),
      size: 0,
      header: -1,
      flashSize: -1,
      spans: [],
      dirty: new Set(),
    };
    if (!this.#writeHeader(o)) return false;
    this.#objects.set(name, o);
    return true;
  }

  /**
   * Writes into a file (growing it, zero-filled past the end). Complete pages reach the flash
   * now; the last partial page waits for {@link flush}.
   *
   * @param name the file
   * @param offset where
   * @param bytes what
   * @returns false when there is no such file, no room, or the flash did not take it
   */
  writeAt(name: string, offset: number, bytes: Uint8Array): boolean {
    const o = this.#objects.get(name);
    if (o === undefined) return false;
    const end = offset + bytes.length;
    if (end > o.data.length) {
      const grown = new Uint8Array(Math.max(end, o.data.length * 2, PAYLOAD));
      grown.set(o.data.subarray(0, o.size));
      o.data = grown;
    }
    const from = Math.floor(Math.min(offset, o.size) / PAYLOAD);
    o.data.set(bytes, offset);
    o.size = Math.max(o.size, end);
    for (let s = from; s * PAYLOAD < end; s++) o.dirty.add(s);
    return this.#persist(o, false);
  }

  /**
   * Puts a file's cached writes and its size on flash.
   *
   * @param name the file
   * @returns false when there is no such file, no room, or the flash did not take it
   */
  flush(name: string): boolean {
    const o = this.#objects.get(name);
    return o !== undefined && this.#persist(o, true);
  }

  /**
   * Removes a file (its pages are marked deleted).
   *
   * @param name the file
   * @returns whether it existed
   */
  remove(name: string): boolean {
    const o = this.#objects.get(name);
    if (o === undefined) return false;
    this.#objects.delete(name);
    for (const p of [o.header, ...o.spans]) if (p >= 0) this.#pool.kill(p);
    return true;
  }

  /**
   * Renames a file; fails when the target exists, as SPIFFS does.
   *
   * @param from the file
   * @param to its new name
   * @returns whether it was renamed
   */
  rename(from: string, to: string): boolean {
    const o = this.#objects.get(from);
    if (o === undefined || this.#objects.has(to) || to === "" || to.length > MAX_NAME) {
      return false;
    }
    if (!this.#ensure(1)) return false;
    const was = o.name;
    o.name = to;
    if (!this.#writeHeader(o)) {
      o.name = was;
      return false;
    }
    this.#objects.delete(from);
    this.#objects.set(to, o);
    return true;
  }

  /** Makes room for `pages` new pages (garbage collection moves pages: follow them). */
  #ensure(pages: number): boolean {
    return this.#pool.ensure(pages, (head, to) => {
      for (const o of this.#objects.values()) {
        if (o.id !== head.id) continue;
        if (head.type === HEADER_PAGE) o.header = to;
        else o.spans[head.span] = to;
      }
    });
  }

  #newId(): number {
    const used = new Set([...this.#objects.values()].map((o) => o.id));
    while (used.has(this.#nextId) || this.#nextId === 0 || this.#nextId === 0xffff) {
      this.#nextId = (this.#nextId + 1) & 0xffff;
    }
    return this.#nextId++;
  }

  /** Writes dirty spans (only complete ones unless `all`) and the header if the size moved. */
  #persist(o: FsObject, all: boolean): boolean {
    const due = [...o.dirty].filter((s) => all || (s + 1) * PAYLOAD <= o.size)
      .sort((a, b) => a - b);
    if (!this.#ensure(due.length + 1)) return false;
    for (const s of due) {
      if (s * PAYLOAD >= o.size) {
        o.dirty.delete(s);
        continue;
      }
      const payload = o.data.subarray(s * PAYLOAD, Math.min(o.size, (s + 1) * PAYLOAD));
      const p = this.#pool.write({ type: DATA_PAGE, id: o.id, span: s }, payload);
      if (p === undefined) return false;
      const old = o.spans[s];
      if (old !== undefined && old >= 0) this.#pool.kill(old);
      o.spans[s] = p;
      o.dirty.delete(s);
    }
    // What the flash holds of the file: it only grows (a truncation is a new file), up to the
    // first page still waiting in the cache.
    const prefix = o.dirty.size === 0 ? o.size : Math.min(...o.dirty) * PAYLOAD;
    const flashSize = Math.min(o.size, Math.max(o.flashSize, prefix));
    return flashSize === o.flashSize || this.#writeHeader(o, flashSize);
  }

  #writeHeader(o: FsObject, size = o.size): boolean {
    const p = this.#pool.write(
      { type: HEADER_PAGE, id: o.id, span: 0 },
      encodeObjectHead(o.name, size),
    );
    if (p === undefined) return false;
    if (o.header >= 0) this.#pool.kill(o.header);
    o.header = p;
    o.flashSize = size;
    return true;
  }
}
