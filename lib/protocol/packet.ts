/**
 * Packets: pure encoding of every request nodeflash sends and decoding of the replies
 * (docs/protocol.md §1.2–1.4, §2). Nothing here does I/O; SLIP framing is applied by the
 * connection.
 *
 * @module
 */

import { espChecksum } from "../bytes/checksum.ts";
import {
  concatBytes,
  readU16,
  readU32,
  u32le,
  writeU16,
  writeU32,
} from "../bytes/little_endian.ts";
import { type LoaderKind, Op, opcodeInfo } from "./opcodes.ts";
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
 * import { encodeRequest, readRegRequest } from "./packet.ts";
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

const plain = (op: number, data: Uint8Array = new Uint8Array(0)): Request => ({
  op,
  data,
  checksum: 0,
});

/**
 * SYNC: `07 07 12 20` followed by 32 × `55`.
 *
 * @returns the request
 *
 * @example
 * ```ts
 * import { syncRequest } from "./packet.ts";
 * if (syncRequest().data.length !== 36) throw new Error();
 * ```
 */
export function syncRequest(): Request {
  const data = new Uint8Array(36).fill(0x55);
  data.set([0x07, 0x07, 0x12, 0x20]);
  return plain(Op.SYNC, data);
}

/**
 * READ_REG of one address.
 *
 * @param address register address
 * @returns the request
 *
 * @example
 * ```ts
 * import { readRegRequest } from "./packet.ts";
 * if (readRegRequest(0x3ff00050).data.length !== 4) throw new Error();
 * ```
 */
export function readRegRequest(address: number): Request {
  return plain(Op.READ_REG, u32le(address));
}

/** One WRITE_REG entry. */
export interface RegisterWrite {
  /** Register address. */
  address: number;
  /** Value to write. */
  value: number;
  /** Bits to change, all by default. */
  mask?: number;
  /** Microseconds to wait (before the write, on the stub). */
  delayUs?: number;
}

/**
 * WRITE_REG with one or more 16-byte entries (address, value, mask, delay).
 *
 * @param writes the entries
 * @returns the request
 *
 * @example
 * ```ts
 * import { writeRegRequest } from "./packet.ts";
 * if (writeRegRequest([{ address: 0x60000200, value: 1 << 18 }]).data.length !== 16) throw new Error();
 * ```
 */
export function writeRegRequest(writes: RegisterWrite[]): Request {
  return plain(
    Op.WRITE_REG,
    concatBytes(
      ...writes.map((w) => u32le(w.address, w.value, w.mask ?? 0xffffffff, w.delayUs ?? 0)),
    ),
  );
}

/** Fields of FLASH_BEGIN, FLASH_DEFL_BEGIN and MEM_BEGIN. */
export interface BeginFields {
  /** FLASH_BEGIN: bytes to erase; DEFL_BEGIN: uncompressed size; MEM_BEGIN: total size. */
  size: number;
  /** Number of data packets that follow. */
  blocks: number;
  /** Bytes per data packet. */
  blockSize: number;
  /** Flash offset or RAM load address. */
  offset: number;
}

/**
 * FLASH_BEGIN, FLASH_DEFL_BEGIN or MEM_BEGIN: four words. The ESP8266 ROM accepts only this
 * 16-byte form; nodeflash never sends the 20-byte form with the encryption flag.
 *
 * @param op `Op.FLASH_BEGIN`, `Op.FLASH_DEFL_BEGIN` or `Op.MEM_BEGIN`
 * @param fields the four words
 * @returns the request
 *
 * @example
 * ```ts
 * import { beginRequest } from "./packet.ts";
 * import { Op } from "./opcodes.ts";
 * // how the ROM is "attached" to its flash: FLASH_BEGIN(0, 0, 0x400, 0)
 * if (beginRequest(Op.FLASH_BEGIN, { size: 0, blocks: 0, blockSize: 0x400, offset: 0 }).data.length !== 16) throw new Error();
 * ```
 */
export function beginRequest(op: number, fields: BeginFields): Request {
  return plain(op, u32le(fields.size, fields.blocks, fields.blockSize, fields.offset));
}

/**
 * FLASH_DATA, FLASH_DEFL_DATA or MEM_DATA: a 16-byte sub-header (length, sequence, 0, 0) then
 * the payload; the checksum field covers the payload only.
 *
 * @param op `Op.FLASH_DATA`, `Op.FLASH_DEFL_DATA` or `Op.MEM_DATA`
 * @param sequence 0-based block number
 * @param payload the block
 * @returns the request
 *
 * @example
 * ```ts
 * import { dataRequest } from "./packet.ts";
 * import { Op } from "./opcodes.ts";
 * const r = dataRequest(Op.FLASH_DATA, 3, new Uint8Array([1, 2]));
 * if (r.checksum !== (0xef ^ 1 ^ 2) || r.data.length !== 18) throw new Error();
 * ```
 */
export function dataRequest(op: number, sequence: number, payload: Uint8Array): Request {
  return {
    op,
    data: concatBytes(u32le(payload.length, sequence, 0, 0), payload),
    checksum: espChecksum(payload),
  };
}

/**
 * FLASH_END or FLASH_DEFL_END. `reboot: true` sends 0 (reboot); `reboot: false` sends 1, which
 * keeps a stub in the loader and makes the ROM run the firmware.
 *
 * @param op `Op.FLASH_END` or `Op.FLASH_DEFL_END`
 * @param options whether the chip should reboot
 * @returns the request
 *
 * @example
 * ```ts
 * import { flashEndRequest } from "./packet.ts";
 * import { Op } from "./opcodes.ts";
 * if (flashEndRequest(Op.FLASH_END, { reboot: false }).data[0] !== 1) throw new Error();
 * ```
 */
export function flashEndRequest(op: number, options: { reboot: boolean }): Request {
  return plain(op, u32le(options.reboot ? 0 : 1));
}

/**
 * MEM_END: flag 0 plus the entry point jumps to it; esptool sends flag 1 when entry is 0.
 *
 * @param entry entry point, or 0 to not jump
 * @returns the request
 *
 * @example
 * ```ts
 * import { memEndRequest } from "./packet.ts";
 * if (memEndRequest(0x4010c504).data[0] !== 0) throw new Error();
 * ```
 */
export function memEndRequest(entry: number): Request {
  return plain(Op.MEM_END, u32le(entry === 0 ? 1 : 0, entry));
}

/**
 * SPI_SET_PARAMS (stub only): id 0, total size, 64 KiB block, 4 KiB sector, 256 B page,
 * status mask 0xFFFF.
 *
 * @param flashSize flash size in bytes
 * @returns the request
 *
 * @example
 * ```ts
 * import { spiSetParamsRequest } from "./packet.ts";
 * if (spiSetParamsRequest(4 << 20).data.length !== 24) throw new Error();
 * ```
 */
export function spiSetParamsRequest(flashSize: number): Request {
  return plain(Op.SPI_SET_PARAMS, u32le(0, flashSize, 0x10000, 0x1000, 0x100, 0xffff));
}

/**
 * SPI_ATTACH (stub only): one word, 0 for the default SPI pins.
 *
 * @returns the request
 *
 * @example
 * ```ts
 * import { spiAttachRequest } from "./packet.ts";
 * if (spiAttachRequest().data.length !== 4) throw new Error();
 * ```
 */
export function spiAttachRequest(): Request {
  return plain(Op.SPI_ATTACH, u32le(0));
}

/**
 * CHANGE_BAUDRATE (stub only): new rate, then the rate the link runs at now.
 *
 * @param baud the new rate
 * @param currentBaud the rate now
 * @returns the request
 *
 * @example
 * ```ts
 * import { changeBaudRequest } from "./packet.ts";
 * if (changeBaudRequest(460800, 115200).data.length !== 8) throw new Error();
 * ```
 */
export function changeBaudRequest(baud: number, currentBaud: number): Request {
  return plain(Op.CHANGE_BAUDRATE, u32le(baud, currentBaud));
}

/**
 * SPI_FLASH_MD5 (stub only): address, size, 0, 0.
 *
 * @param address flash offset
 * @param size bytes
 * @returns the request
 *
 * @example
 * ```ts
 * import { md5Request } from "./packet.ts";
 * if (md5Request(0, 0x1000).data.length !== 16) throw new Error();
 * ```
 */
export function md5Request(address: number, size: number): Request {
  return plain(Op.SPI_FLASH_MD5, u32le(address, size, 0, 0));
}

/**
 * ERASE_FLASH (stub only): no data.
 *
 * @returns the request
 *
 * @example
 * ```ts
 * import { eraseFlashRequest } from "./packet.ts";
 * if (eraseFlashRequest().data.length !== 0) throw new Error();
 * ```
 */
export function eraseFlashRequest(): Request {
  return plain(Op.ERASE_FLASH);
}

/**
 * ERASE_REGION (stub only): offset and size, both multiples of 4 KiB.
 *
 * @param offset flash offset
 * @param size bytes
 * @returns the request
 *
 * @example
 * ```ts
 * import { eraseRegionRequest } from "./packet.ts";
 * if (eraseRegionRequest(0x3fc000, 0x4000).data.length !== 8) throw new Error();
 * ```
 */
export function eraseRegionRequest(offset: number, size: number): Request {
  return plain(Op.ERASE_REGION, u32le(offset, size));
}

/**
 * READ_FLASH (stub only): offset, length, packet size, packets in flight.
 *
 * @param offset flash offset
 * @param length bytes
 * @param options packet size (0x1000) and in-flight budget (64), as esptool sends them
 * @returns the request
 *
 * @example
 * ```ts
 * import { readFlashRequest } from "./packet.ts";
 * if (readFlashRequest(0, 0x100000).data.length !== 16) throw new Error();
 * ```
 */
export function readFlashRequest(
  offset: number,
  length: number,
  options: { packetSize?: number; inFlight?: number } = {},
): Request {
  return plain(
    Op.READ_FLASH,
    u32le(offset, length, options.packetSize ?? 0x1000, options.inFlight ?? 64),
  );
}

/**
 * RUN_USER_CODE (legacy stub): leave the stub and boot the firmware; no reply.
 *
 * @returns the request
 *
 * @example
 * ```ts
 * import { runUserCodeRequest } from "./packet.ts";
 * if (runUserCodeRequest().op !== 0xd3) throw new Error();
 * ```
 */
export function runUserCodeRequest(): Request {
  return plain(Op.RUN_USER_CODE);
}

/**
 * GET_SECURITY_INFO: no data. The ESP8266 answers it with an error (newer chips answer it).
 *
 * @returns the request
 *
 * @example
 * ```ts
 * import { securityInfoRequest } from "./packet.ts";
 * if (securityInfoRequest().op !== 0x14) throw new Error();
 * ```
 */
export function securityInfoRequest(): Request {
  return plain(Op.GET_SECURITY_INFO);
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
