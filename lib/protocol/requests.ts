/**
 * The requests nodeflash sends, one pure builder per command (docs/protocol.md §2): each returns
 * a {@link Request} for `encodeRequest` in packet.ts. Data commands get the 16-byte sub-header
 * and the 0xEF checksum of their payload (§1.4).
 *
 * @module
 */

import { espChecksum } from "../bytes/checksum.ts";
import { concatBytes, u32le } from "../bytes/little_endian.ts";
import { Op } from "./opcodes.ts";
import type { Request } from "./packet.ts";

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
 * import { syncRequest } from "./requests.ts";
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
 * import { readRegRequest } from "./requests.ts";
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
 * import { writeRegRequest } from "./requests.ts";
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
 * import { beginRequest } from "./requests.ts";
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
 * import { dataRequest } from "./requests.ts";
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
 * import { flashEndRequest } from "./requests.ts";
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
 * import { memEndRequest } from "./requests.ts";
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
 * import { spiSetParamsRequest } from "./requests.ts";
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
 * import { spiAttachRequest } from "./requests.ts";
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
 * import { changeBaudRequest } from "./requests.ts";
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
 * import { md5Request } from "./requests.ts";
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
 * import { eraseFlashRequest } from "./requests.ts";
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
 * import { eraseRegionRequest } from "./requests.ts";
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
 * import { readFlashRequest } from "./requests.ts";
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
 * import { runUserCodeRequest } from "./requests.ts";
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
 * import { securityInfoRequest } from "./requests.ts";
 * if (securityInfoRequest().op !== 0x14) throw new Error();
 * ```
 */
export function securityInfoRequest(): Request {
  return plain(Op.GET_SECURITY_INFO);
}
