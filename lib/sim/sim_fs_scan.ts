/**
 * Mounting the simulated file system (sim_fs.ts): reads every sector header and page header of
 * the area, keeps the newest complete copy of each object header and data page (a page written
 * again after a reset wins by its sequence number; pages cut short count as deleted), and
 * rebuilds each file's contents. Sectors left erased or half-written by a reset during garbage
 * collection get their header back (erased again first when they hold anything else).
 *
 * @module
 */

import type { FsStorage } from "./sim_fs.ts";
import {
  decodeObjectHead,
  decodePageHead,
  decodeSectorHead,
  encodeSectorHead,
  HEADER_PAGE,
  PAGE,
  PAGE_HEAD,
  PAGES_PER_SECTOR,
  PAYLOAD,
  SECTOR,
} from "./sim_fs_pages.ts";

/** Page states. */
export const FREE = 0, LIVE = 1, DEAD = 2, HEAD = 3;

/** A file as found on flash. */
export interface ScannedObject {
  /** Object id. */
  id: number;
  /** File name. */
  name: string;
  /** Contents (at least `size` bytes). */
  data: Uint8Array;
  /** Size. */
  size: number;
  /** Page of its live header. */
  header: number;
  /** Size its header records. */
  flashSize: number;
  /** Page of each span. */
  spans: number[];
}

/** What a scan found. */
export interface ScannedArea {
  /** First byte. */
  start: number;
  /** End (whole sectors). */
  end: number;
  /** Per page: FREE, LIVE, DEAD or HEAD. */
  state: Uint8Array;
  /** The files. */
  objects: ScannedObject[];
  /** Next write sequence number. */
  seq: number;
  /** Next object id to try. */
  nextId: number;
}

type Seen = Map<string, { page: number; seq: number }>;

/**
 * Formats `[start, end)`: erases every sector and writes its header, calling `onSector` after
 * each (so the firmware can print its dots and let the erase time pass).
 *
 * @param storage the flash
 * @param start first byte (sector aligned)
 * @param end end of the area
 * @param onSector called with the number of sectors done; `false` stops (the chip was reset)
 * @returns whether it finished
 *
 * @example
 * ```ts
 * import { formatArea, scanArea } from "./sim_fs_scan.ts";
 * import assert from "node:assert/strict";
 * const flash = new Uint8Array(0x4000).fill(0);
 * const storage = {
 *   read: (a: number, n: number) => flash.slice(a, a + n),
 *   eraseSector: (a: number) => (flash.fill(0xff, a, a + 0x1000), true),
 *   program: (a: number, d: Uint8Array) => (d.forEach((b, i) => (flash[a + i]! &= b)), true),
 * };
 * assert.ok(await formatArea(storage, 0, 0x4000));
 * assert.deepEqual(scanArea(storage, 0, 0x4000)?.objects, []);
 * ```
 */
export async function formatArea(
  storage: FsStorage,
  start: number,
  end: number,
  onSector?: (done: number) => Promise<boolean> | boolean,
): Promise<boolean> {
  if (end - start < 2 * SECTOR) return false;
  const head = encodeSectorHead(start, end, 1);
  for (let at = start, done = 1; at + SECTOR <= end; at += SECTOR, done++) {
    if (!storage.eraseSector(at) || !storage.program(at, head)) return false;
    if (onSector !== undefined && !(await onSector(done))) return false;
  }
  return true;
}

/**
 * Scans `[start, end)`.
 *
 * @param storage the flash
 * @param start first byte
 * @param end end
 * @returns what is there, or `undefined` when the first sector is not ours (blank, another
 *   area, another format) or the flash does not answer
 *
 * @example
 * ```ts
 * import { scanArea } from "./sim_fs_scan.ts";
 * import assert from "node:assert/strict";
 * const blank = { read: (_a: number, n: number) => new Uint8Array(n).fill(0xff), eraseSector: () => true, program: () => true };
 * assert.equal(scanArea(blank, 0, 0x10000), undefined);
 * ```
 */
export function scanArea(storage: FsStorage, start: number, end: number): ScannedArea | undefined {
  const areaEnd = start + Math.floor((end - start) / SECTOR) * SECTOR;
  if (areaEnd - start < 2 * SECTOR) return undefined;
  if (decodeSectorHead(storage.read(start, 24), start, end) !== "ok") return undefined;
  const state = new Uint8Array(((areaEnd - start) / SECTOR) * PAGES_PER_SECTOR);
  const address = (page: number) => start + page * PAGE;
  const headers: Seen = new Map();
  const spans: Seen = new Map();
  let seq = 1;
  const newer = (map: Seen, key: string, page: number, pageSeq: number) => {
    const had = map.get(key);
    if (had !== undefined && had.seq > pageSeq) return void (state[page] = DEAD);
    if (had !== undefined) state[had.page] = DEAD;
    map.set(key, { page, seq: pageSeq });
  };
  for (let base = 0; base < state.length; base += PAGES_PER_SECTOR) {
    const at = address(base);
    const kind = decodeSectorHead(storage.read(at, 24), start, end);
    if (kind === "foreign" && !storage.eraseSector(at)) return undefined;
    if (kind !== "ok" && !storage.program(at, encodeSectorHead(start, end, 1))) return undefined;
    state[base] = HEAD;
    for (let p = base + 1; p < base + PAGES_PER_SECTOR; p++) {
      const head = kind === "ok" ? decodePageHead(storage.read(address(p), PAGE_HEAD)) : undefined;
      state[p] = head === undefined || head.kind === "free" ? FREE : DEAD;
      if (head?.kind !== "live") continue;
      state[p] = LIVE;
      seq = Math.max(seq, head.seq + 1);
      const key = head.type === HEADER_PAGE ? String(head.id) : `${head.id}:${head.span}`;
      newer(head.type === HEADER_PAGE ? headers : spans, key, p, head.seq);
    }
  }
  const objects = build(storage, address, state, headers, spans);
  const nextId = objects.reduce((n, o) => Math.max(n, o.id + 1), 1);
  return { start, end: areaEnd, state, objects, seq, nextId };
}

function build(
  storage: FsStorage,
  address: (page: number) => number,
  state: Uint8Array,
  headers: Seen,
  spans: Seen,
): ScannedObject[] {
  const byId = new Map<number, ScannedObject>();
  for (const [key, { page }] of headers) {
    const bytes = storage.read(address(page), PAGE_HEAD + 36);
    const { name, size: recorded } = decodeObjectHead(bytes.subarray(PAGE_HEAD));
    const size = recorded === 0xffffffff ? 0 : recorded;
    const id = Number(key);
    const o = { id, name, data: new Uint8Array(size), size, header: page, flashSize: size };
    byId.set(id, { ...o, spans: [] });
  }
  for (const [key, { page }] of spans) {
    const [id, span] = key.split(":").map(Number) as [number, number];
    const o = byId.get(id);
    if (o === undefined || span * PAYLOAD >= o.size) {
      state[page] = DEAD;
      continue;
    }
    const bytes = storage.read(address(page), PAGE);
    const length = Math.min(decodePageHead(bytes).length, o.size - span * PAYLOAD);
    o.data.set(bytes.subarray(PAGE_HEAD, PAGE_HEAD + length), span * PAYLOAD);
    o.spans[span] = page;
  }
  return [...byId.values()];
}
