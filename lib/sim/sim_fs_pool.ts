/**
 * The pages of the simulated file system (sim_fs.ts) as flash: which are free, live or deleted,
 * where the next page goes (round the area, so wear spreads), how a page is written (header and
 * payload, then the flag that says it is complete; replaced pages are marked deleted) and
 * garbage collection: when fewer than a sector's worth of free pages would remain, the sector
 * with the most deleted pages has its live pages copied elsewhere and is erased.
 *
 * @module
 */

import type { FsStorage } from "./sim_fs.ts";
import { DEAD, FREE, LIVE, type ScannedArea } from "./sim_fs_scan.ts";
import {
  decodePageHead,
  DELETED_FLAGS,
  encodePage,
  encodeSectorHead,
  FINAL_FLAGS,
  PAGE,
  PAGE_HEAD,
  type PageHead,
  PAGES_PER_SECTOR,
} from "./sim_fs_pages.ts";

/** Free pages kept back for garbage collection (one sector's worth). */
export const RESERVE = PAGES_PER_SECTOR - 1;

/**
 * The pool.
 *
 * @example
 * ```ts
 * import { PagePool } from "./sim_fs_pool.ts";
 * import { formatArea, scanArea } from "./sim_fs_scan.ts";
 * import { encodeObjectHead } from "./sim_fs_pages.ts";
 * import assert from "node:assert/strict";
 * const flash = new Uint8Array(0x3000).fill(0xff);
 * const storage = {
 *   read: (a: number, n: number) => flash.slice(a, a + n),
 *   eraseSector: (a: number) => (flash.fill(0xff, a, a + 0x1000), true),
 *   program: (a: number, d: Uint8Array) => (d.forEach((b, i) => (flash[a + i]! &= b)), true),
 * };
 * await formatArea(storage, 0, 0x3000);
 * const pool = new PagePool(storage, scanArea(storage, 0, 0x3000)!);
 * const page = pool.write({ type: 1, id: 1, span: 0 }, encodeObjectHead("a.lua", 0));
 * assert.equal(page, 1);
 * assert.equal(scanArea(storage, 0, 0x3000)?.objects[0]?.name, "a.lua");
 * ```
 */
export class PagePool {
  readonly #storage: FsStorage;
  readonly #start: number;
  readonly #end: number;
  readonly #state: Uint8Array;
  #seq: number;
  #cursor = 0;
  #free: number;
  #live: number;

  /**
   * @param storage the flash
   * @param area what a scan found
   */
  constructor(storage: FsStorage, area: ScannedArea) {
    this.#storage = storage;
    this.#start = area.start;
    this.#end = area.end;
    this.#state = area.state;
    this.#seq = area.seq;
    this.#free = area.state.reduce((n, v) => n + (v === FREE ? 1 : 0), 0);
    this.#live = area.state.reduce((n, v) => n + (v === LIVE ? 1 : 0), 0);
  }

  /** Live pages. */
  get live(): number {
    return this.#live;
  }

  /** Pages that can hold data (all but the sector headers and the reserve). */
  get capacity(): number {
    return (this.#state.length / PAGES_PER_SECTOR - 1) * RESERVE;
  }

  /**
   * Writes a page: header and payload, then the flag that marks it complete.
   *
   * @param head type, object id, span
   * @param payload the bytes
   * @param avoidSector a sector not to use (the one being reclaimed)
   * @returns the page, or `undefined` when there is no free page or the flash did not take it
   */
  write(
    head: { type: number; id: number; span: number },
    payload: Uint8Array,
    avoidSector = -1,
  ): number | undefined {
    const p = this.#allocate(avoidSector);
    if (p === undefined) return undefined;
    const at = this.#address(p);
    this.#state[p] = DEAD;
    this.#free--;
    const seq = this.#seq++;
    if (!this.#storage.program(at, encodePage({ ...head, seq }, payload))) return undefined;
    if (!this.#storage.program(at, Uint8Array.of(FINAL_FLAGS))) return undefined;
    this.#state[p] = LIVE;
    this.#live++;
    return p;
  }

  /**
   * Marks a live page deleted.
   *
   * @param page the page
   */
  kill(page: number): void {
    if (this.#state[page] !== LIVE) return;
    this.#storage.program(this.#address(page), Uint8Array.of(DELETED_FLAGS));
    this.#state[page] = DEAD;
    this.#live--;
  }

  /**
   * Makes room for `pages` new pages, collecting garbage while needed.
   *
   * @param pages how many are about to be written
   * @param moved told where each live page of a reclaimed sector went
   * @returns false when the area is full
   */
  ensure(pages: number, moved: (head: PageHead, to: number) => void): boolean {
    while (this.#free - pages < RESERVE) if (!this.#collect(moved)) return false;
    return true;
  }

  #address(page: number): number {
    return this.#start + page * PAGE;
  }

  #allocate(avoidSector: number): number | undefined {
    const n = this.#state.length;
    for (let i = 0; i < n; i++) {
      const p = (this.#cursor + i) % n;
      if (this.#state[p] !== FREE || Math.floor(p / PAGES_PER_SECTOR) === avoidSector) continue;
      this.#cursor = (p + 1) % n;
      return p;
    }
    return undefined;
  }

  /** Reclaims the sector with the most deleted pages: moves its live pages, erases it. */
  #collect(moved: (head: PageHead, to: number) => void): boolean {
    let victim = -1, most = 0;
    for (let s = 0; s * PAGES_PER_SECTOR < this.#state.length; s++) {
      let dead = 0;
      for (let i = 1; i < PAGES_PER_SECTOR; i++) {
        if (this.#state[s * PAGES_PER_SECTOR + i] === DEAD) dead++;
      }
      if (dead > most) [victim, most] = [s, dead];
    }
    if (victim < 0) return false;
    const base = victim * PAGES_PER_SECTOR;
    for (let p = base + 1; p < base + PAGES_PER_SECTOR; p++) {
      if (this.#state[p] !== LIVE) continue;
      const bytes = this.#storage.read(this.#address(p), PAGE);
      const head = decodePageHead(bytes);
      const to = this.write(head, bytes.subarray(PAGE_HEAD, PAGE_HEAD + head.length), victim);
      if (to === undefined) return false;
      this.#state[p] = DEAD;
      this.#live--;
      moved(head, to);
    }
    const at = this.#address(base);
    const erases = new DataView(this.#storage.read(at + 20, 4).buffer).getUint32(0, true);
    if (!this.#storage.eraseSector(at)) return false;
    if (!this.#storage.program(at, encodeSectorHead(this.#start, this.#end, erases + 1))) {
      return false;
    }
    for (let p = base + 1; p < base + PAGES_PER_SECTOR; p++) {
      if (this.#state[p] === DEAD) this.#free++;
      this.#state[p] = FREE;
    }
    return true;
  }
}
