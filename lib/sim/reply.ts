/**
 * Replies as the chip sends them (docs/protocol.md §1.3, §3): direction 0x01, the opcode echoed,
 * the size of data + status, a 32-bit value, optional result data and two status bytes, framed
 * in SLIP.
 *
 * @module
 */

import { slipEncode } from "../bytes/slip.ts";

/** What goes into a reply. */
export interface ReplyFields {
  /** The opcode echoed. */
  op: number;
  /** The value field (READ_REG result; the ROM's stale value; 0 from stubs). */
  value: number;
  /** Result data before the status bytes. */
  data?: Uint8Array;
  /** The two status bytes. */
  status: readonly [number, number];
  /** Overrides the size field (the legacy stub announces 18 bytes for MD5 even on error). */
  sizeField?: number;
}

/**
 * Builds a reply packet (unescaped).
 *
 * @param fields the reply's parts
 * @returns the packet
 *
 * @example
 * ```ts
 * import { replyPacket } from "./reply.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   replyPacket({ op: 0x08, value: 0x20120707, status: [0, 0] }),
 *   new Uint8Array([1, 8, 2, 0, 7, 7, 0x12, 0x20, 0, 0]),
 * );
 * ```
 */
export function replyPacket(fields: ReplyFields): Uint8Array {
  const data = fields.data ?? new Uint8Array(0);
  const out = new Uint8Array(8 + data.length + 2);
  const view = new DataView(out.buffer);
  out[0] = 0x01;
  out[1] = fields.op & 0xff;
  view.setUint16(2, fields.sizeField ?? data.length + 2, true);
  view.setUint32(4, fields.value >>> 0, true);
  out.set(data, 8);
  out[8 + data.length] = fields.status[0];
  out[9 + data.length] = fields.status[1];
  return out;
}

/**
 * A reply as it goes on the wire (SLIP-framed).
 *
 * @param fields the reply's parts
 * @returns the frame
 *
 * @example
 * ```ts
 * import { replyFrame } from "./reply.ts";
 * import assert from "node:assert/strict";
 * const f = replyFrame({ op: 0x14, value: 0, status: [1, 5] });
 * assert.equal(f[0], 0xc0);
 * assert.equal(f.at(-1), 0xc0);
 * ```
 */
export function replyFrame(fields: ReplyFields): Uint8Array {
  return slipEncode(replyPacket(fields));
}
