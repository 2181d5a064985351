/**
 * The device side of the command packet (docs/protocol.md §1.2): what a loader reads out of a
 * received SLIP frame. Written independently of the flasher's encoder.
 *
 * @module
 */

/** A decoded request. */
export interface Request {
  /** Direction byte (0 for a request). */
  direction: number;
  /** Opcode. */
  op: number;
  /** The size field. */
  size: number;
  /** The checksum field. */
  checksum: number;
  /** The bytes after the 8-byte header, as received (may differ in length from `size`). */
  data: Uint8Array;
}

/**
 * Reads the 8-byte header of a frame.
 *
 * @param frame an unescaped SLIP frame
 * @returns the request, or `undefined` when the frame is shorter than a header
 *
 * @example
 * ```ts
 * import { parseRequest } from "./request.ts";
 * import assert from "node:assert/strict";
 * const r = parseRequest(new Uint8Array([0, 0x0a, 4, 0, 0, 0, 0, 0, 0, 0x10, 0, 0x40]));
 * assert.equal(r?.op, 0x0a);
 * assert.equal(r?.size, 4);
 * assert.equal(parseRequest(new Uint8Array([0, 8]))?.op, undefined);
 * ```
 */
export function parseRequest(frame: Uint8Array): Request | undefined {
  if (frame.length < 8) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return {
    direction: frame[0]!,
    op: frame[1]!,
    size: view.getUint16(2, true),
    checksum: view.getUint32(4, true),
    data: frame.subarray(8),
  };
}

/**
 * Reads little-endian words from a payload; missing words read as 0.
 *
 * @param data the payload
 * @param count how many words
 * @returns the words
 *
 * @example
 * ```ts
 * import { words } from "./request.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(words(new Uint8Array([1, 0, 0, 0, 2]), 2), [1, 0]);
 * ```
 */
export function words(data: Uint8Array, count: number): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(i * 4 + 4 <= data.length ? view.getUint32(i * 4, true) : 0);
  }
  return out;
}

/**
 * The 0xEF-seeded XOR checksum the loaders compute over a data payload.
 *
 * @param data the payload after the 16-byte sub-header
 * @returns 8-bit checksum
 *
 * @example
 * ```ts
 * import { payloadChecksum } from "./request.ts";
 * import assert from "node:assert/strict";
 * assert.equal(payloadChecksum(new Uint8Array([0xef])), 0);
 * ```
 */
export function payloadChecksum(data: Uint8Array): number {
  let c = 0xef;
  for (const b of data) c ^= b;
  return c;
}
