/**
 * Packets: the request and reply formats (docs/protocol.md §1.2–1.3, §3): serialising a request
 * (the builders for each command are in requests.ts) and decoding a reply, whose result length
 * comes from the command table. Nothing here does I/O; SLIP framing is applied by the connection.
 *
 * @module
 */

import { readU16, readU32, writeU16, writeU32 } from "../bytes/little_endian.ts";
import { type LoaderKind, opcodeInfo } from "./opcodes.ts";
import { decodeStatus, type Status } from "./status.ts";

/** A request before SLIP framing. */
export interface Request {
  /** Opcode. */
  op: number;
  /** The data field. */
  data: Uint8Array;
  /** The checksum header field (data commands only; 0 otherwise). */
  checksum: number;
}

/**
 * Serialises a request: direction 0, opcode, data length, checksum, data.
 *
 * @param request the request
 * @returns the packet bytes (not yet SLIP-framed)
 *
 * @example
 * ```ts
 * import { encodeRequest } from "./packet.ts";
 * import { readRegRequest } from "./requests.ts";
 * import { toHex } from "../bytes/hex.ts";
 * // the documented READ_REG of 0x40001000
 * if (toHex(encodeRequest(readRegRequest(0x40001000)), " ") !== "00 0a 04 00 00 00 00 00 00 10 00 40") throw new Error();
 * ```
 */
export function encodeRequest(request: Request): Uint8Array {
  const out = new Uint8Array(8 + request.data.length);
  out[0] = 0x00;
  out[1] = request.op;
  writeU16(out, 2, request.data.length);
  writeU32(out, 4, request.checksum);
  out.set(request.data, 8);
  return out;
}

/** A decoded reply. */
export interface Response {
  /** The opcode it answers. */
  op: number;
  /** The value field (READ_REG's result; junk otherwise). */
  value: number;
  /** Result data before the status bytes (MD5 digest...). */
  result: Uint8Array;
  /** The status pair. */
  status: Status;
}

/**
 * Decodes a reply packet. The result length comes from the command table for (loader, opcode),
 * never from the packet's length; the 2 status bytes follow it. When the data is shorter than
 * the table says (an error reply to a command that normally returns data), the first two bytes
 * are the status.
 *
 * @param packet the unframed packet
 * @param kind which loader is answering
 * @returns the reply, or `undefined` when the packet is not a reply (wrong direction, too short)
 *
 * @example
 * ```ts
 * import { decodeResponse } from "./packet.ts";
 * import { fromHex } from "../bytes/hex.ts";
 * import assert from "node:assert/strict";
 * const r = decodeResponse(fromHex("01 08 02 00 07 07 12 20 00 00"), "rom");
 * assert.equal(r?.value, 0x20120707);
 * assert.equal(r?.status.failed, false);
 * ```
 */
export function decodeResponse(packet: Uint8Array, kind: LoaderKind): Response | undefined {
  if (packet.length < 8 || packet[0] !== 0x01) return undefined;
  const op = packet[1]!;
  const size = readU16(packet, 2);
  const value = readU32(packet, 4);
  const data = packet.subarray(8, 8 + size);
  if (data.length < size) return undefined;
  const want = opcodeInfo(op)?.resultLength[kind] ?? 0;
  if (data.length >= want + 2) {
    return {
      op,
      value,
      result: data.slice(0, want),
      status: decodeStatus(kind, data[want]!, data[want + 1]!),
    };
  }
  if (data.length >= 2) {
    return { op, value, result: new Uint8Array(0), status: decodeStatus(kind, data[0]!, data[1]!) };
  }
  return undefined;
}
