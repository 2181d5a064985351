/**
 * The page layout of the simulated NodeMCU file system (sim_fs.ts), a small log-structured
 * format in the spirit of SPIFFS (pages written once, replaced by writing a new page and marking
 * the old one deleted, sectors reclaimed by moving their live pages and erasing them), so a file
 * write costs page programs and only garbage collection costs erases, as on the device.
 *
 * The area is cut into 4 KiB sectors of 16 pages of 256 bytes. Page 0 of every sector is the
 * sector header: the magic `NFSIM-FS`, the area's start and end (u32 LE), the format version and
 * the sector's erase count. Every other page starts with a 12-byte header: flags, type (1 object
 * header, 2 data), object id (u16), span index (u16), payload length (u16) and a write sequence
 * number (u32); then the payload (244 bytes). The flags byte starts erased (0xFF) and its bits
 * are cleared one by one, as NOR flash allows without an erase: bit 0 when the page is written,
 * bit 1 when it is complete (written last, so a page cut by a power loss never counts), bit 2
 * when it is deleted. An object header's payload is the name (32 bytes, NUL-padded) and the
 * size (u32 LE).
 *
 * @module
 */

import { FS_MAGIC } from "./nodemcu_image.ts";

/** Sector (erase unit) size. */
export const SECTOR = 0x1000;
/** Page size. */
export const PAGE = 256;
/** Pages per sector (the first is the sector header). */
export const PAGES_PER_SECTOR = SECTOR / PAGE;
/** Page header size. */
export const PAGE_HEAD = 12;
/** Payload bytes per data page. */
export const PAYLOAD = PAGE - PAGE_HEAD;
/** Longest file name (SPIFFS's 32 bytes with the terminator). */
export const MAX_NAME = 31;
/** The layout's version word in the sector header. */
const VERSION = 0x4e460002;

/** Flag bits (cleared = set). */
const USED = 1;
const FINAL = 2;
const DELETED = 4;

/** What a page holds. */
export type PageKind = "free" | "live" | "dead";

/** A page header. */
export interface PageHead {
  /** Free, live (written, complete, not deleted) or dead (deleted, cut short or garbage). */
  kind: PageKind;
  /** 1 object header, 2 data. */
  type: number;
  /** Object id. */
  id: number;
  /** Span index (data pages). */
  span: number;
  /** Payload length. */
  length: number;
  /** Write sequence number. */
  seq: number;
}

/** Page types. */
export const HEADER_PAGE = 1;
export const DATA_PAGE = 2;

/**
 * Encodes a sector header.
 *
 * @param start the area's first byte
 * @param end the area's end
 * @param eraseCount how often the sector was erased
 * @returns the 24 bytes
 *
 * @example
 * ```ts
 * import { decodeSectorHead, encodeSectorHead } from "./sim_fs_pages.ts";
 * import assert from "node:assert/strict";
 * assert.equal(decodeSectorHead(encodeSectorHead(0x10000, 0x20000, 3), 0x10000, 0x20000), "ok");
 * ```
 */
export function encodeSectorHead(start: number, end: number, eraseCount: number): Uint8Array {
  const out = new Uint8Array(24);
  for (let i = 0; i < FS_MAGIC.length; i++) out[i] = FS_MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  [start, end, VERSION, eraseCount].forEach((v, i) => view.setUint32(8 + 4 * i, v >>> 0, true));
  return out;
}

/**
 * Reads a sector header.
 *
 * @param bytes its first 24 bytes
 * @param start the area's first byte
 * @param end the area's end
 * @returns `ok` (ours), `erased` (all 0xFF) or `foreign` (anything else)
 *
 * @example
 * ```ts
 * import { decodeSectorHead } from "./sim_fs_pages.ts";
 * import assert from "node:assert/strict";
 * assert.equal(decodeSectorHead(new Uint8Array(24).fill(0xff), 0, 0x4000), "erased");
 * ```
 */
export function decodeSectorHead(
  bytes: Uint8Array,
  start: number,
  end: number,
): "ok" | "erased" | "foreign" {
  if (bytes.every((b) => b === 0xff)) return "erased";
  for (let i = 0; i < FS_MAGIC.length; i++) {
    if (bytes[i] !== FS_MAGIC.charCodeAt(i)) return "foreign";
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const ok = view.getUint32(8, true) === start && view.getUint32(12, true) === end &&
    view.getUint32(16, true) === VERSION;
  return ok ? "ok" : "foreign";
}

/**
 * Encodes a page as first programmed: marked written, not yet complete.
 *
 * @param head type, id, span, seq
 * @param payload at most {@link PAYLOAD} bytes
 * @returns the page bytes (header and payload; the rest stays erased)
 *
 * @example
 * ```ts
 * import { decodePageHead, encodePage, DATA_PAGE } from "./sim_fs_pages.ts";
 * import assert from "node:assert/strict";
 * const page = encodePage({ type: DATA_PAGE, id: 7, span: 2, seq: 9 }, new Uint8Array(3));
 * assert.equal(decodePageHead(page).kind, "dead", "not complete yet");
 * page[0]! &= ~2;
 * assert.deepEqual(decodePageHead(page), { kind: "live", type: 2, id: 7, span: 2, length: 3, seq: 9 });
 * ```
 */
export function encodePage(
  head: { type: number; id: number; span: number; seq: number },
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(PAGE_HEAD + payload.length);
  const view = new DataView(out.buffer);
  out[0] = 0xff & ~USED;
  out[1] = head.type;
  view.setUint16(2, head.id, true);
  view.setUint16(4, head.span, true);
  view.setUint16(6, payload.length, true);
  view.setUint32(8, head.seq >>> 0, true);
  out.set(payload, PAGE_HEAD);
  return out;
}

/** The flags byte that marks a written page complete. */
export const FINAL_FLAGS = 0xff & ~USED & ~FINAL;
/** The flags byte that marks a complete page deleted. */
export const DELETED_FLAGS = FINAL_FLAGS & ~DELETED;

/**
 * Reads a page header.
 *
 * @param bytes the page's first {@link PAGE_HEAD} bytes
 * @returns what it is
 *
 * @example
 * ```ts
 * import { decodePageHead } from "./sim_fs_pages.ts";
 * import assert from "node:assert/strict";
 * assert.equal(decodePageHead(new Uint8Array(12).fill(0xff)).kind, "free");
 * ```
 */
export function decodePageHead(bytes: Uint8Array): PageHead {
  const view = new DataView(bytes.buffer, bytes.byteOffset, PAGE_HEAD);
  const flags = bytes[0]!;
  const head = {
    type: bytes[1]!,
    id: view.getUint16(2, true),
    span: view.getUint16(4, true),
    length: view.getUint16(6, true),
    seq: view.getUint32(8, true),
  };
  let kind: PageKind = "dead";
  if (bytes.subarray(0, PAGE_HEAD).every((b) => b === 0xff)) kind = "free";
  else if (
    (flags & (USED | FINAL | DELETED)) === DELETED && head.length <= PAYLOAD &&
    (head.type === HEADER_PAGE || head.type === DATA_PAGE)
  ) kind = "live";
  return { kind, ...head };
}

/**
 * An object header's payload: the name and the size.
 *
 * @param name the file name (bytes as characters, at most {@link MAX_NAME})
 * @param size the size on flash
 * @returns 36 bytes
 *
 * @example
 * ```ts
 * import { decodeObjectHead, encodeObjectHead } from "./sim_fs_pages.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(decodeObjectHead(encodeObjectHead("a/b.lua", 12)), { name: "a/b.lua", size: 12 });
 * ```
 */
export function encodeObjectHead(name: string, size: number): Uint8Array {
  const out = new Uint8Array(36);
  for (let i = 0; i < name.length; i++) out[i] = name.charCodeAt(i) & 0xff;
  new DataView(out.buffer).setUint32(32, size >>> 0, true);
  return out;
}

/**
 * Reads an object header's payload.
 *
 * @param payload its bytes
 * @returns the name and size
 *
 * @example
 * ```ts
 * import { decodeObjectHead } from "./sim_fs_pages.ts";
 * import assert from "node:assert/strict";
 * assert.equal(decodeObjectHead(new Uint8Array(36)).name, "");
 * ```
 */
export function decodeObjectHead(payload: Uint8Array): { name: string; size: number } {
  const end = payload.subarray(0, 32).indexOf(0);
  const name = String.fromCharCode(...payload.subarray(0, end < 0 ? 32 : end));
  const size = payload.length >= 36
    ? new DataView(payload.buffer, payload.byteOffset).getUint32(32, true)
    : 0;
  return { name, size };
}
