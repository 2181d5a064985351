/**
 * Writing one region of flash: compressed through the stub (FLASH_DEFL_*), plain through the
 * stub (FLASH_* in 16 KiB blocks), or plain through the ROM (1 KiB blocks, with the erase-size
 * workaround for the ROM's over-erase bug). A block answered with a checksum error is sent
 * again; anything else that stops the write (a pulled cable, a silent board) is reported with
 * the address reached.
 *
 * @module
 */

import { deflateSync } from "node:zlib";
import { hex32 } from "../bytes/hex.ts";
import {
  ROM_WRITE_BLOCK,
  romErasedSectors,
  romEraseSizeWorkaround,
  SECTOR_SIZE,
  STUB_WRITE_BLOCK,
} from "../chip/esp8266.ts";
import { readFlashThroughSpi } from "../chip/spi_flash.ts";
import type { Session } from "../chip/session.ts";
import { deviceError, isNodeflashError } from "../errors.ts";
import { type PreparedRequest, prepareRequest } from "../protocol/connection.ts";
import { ERASE_WRITE_MS_PER_MB, Op, timeoutFor } from "../protocol/opcodes.ts";
import { beginRequest, dataRequest, flashEndRequest } from "../protocol/requests.ts";
import { RomStatus, StubStatus } from "../protocol/status.ts";
import { bytesPerSecond, type OnFlashEvent } from "./events.ts";

/** Options for {@link writeRegion}. */
export interface WriteRegionOptions {
  /** Name for events and errors. */
  name: string;
  /** Compress through the stub (ignored on the ROM, which cannot inflate). */
  compress: boolean;
  /** Attempts per block on a checksum error (3, as esptool). */
  attempts?: number;
  /** Progress events. */
  onEvent?: OnFlashEvent;
  /**
   * The data already compressed by {@link deflateForStub} (done while the chip was busy), used
   * instead of compressing it again.
   */
  deflated?: Uint8Array;
}

/**
 * Compresses data as FLASH_DEFL_* carries it: one zlib stream, level 9 (the smallest of the
 * encoders measured by time to flash, docs/benchmarks.md).
 *
 * @param data the bytes to write
 * @returns the zlib stream
 *
 * @example
 * ```ts
 * import { deflateForStub } from "./write.ts";
 * import { inflateSync } from "node:zlib";
 * const data = new Uint8Array(4096).fill(0xff);
 * if (inflateSync(deflateForStub(data)).length !== 4096) throw new Error();
 * ```
 */
export function deflateForStub(data: Uint8Array): Uint8Array {
  return new Uint8Array(deflateSync(data, { level: 9 }));
}

/** What a write did. */
export interface WriteRegionResult {
  /** Bytes sent on the wire (compressed size when compressing). */
  wireBytes: number;
  /** Whether the data went compressed. */
  compressed: boolean;
}

interface Stream {
  op: { begin: number; data: number; end: number | undefined };
  blocks: Uint8Array[];
  blockSize: number;
  beginSize: number;
  compressed: boolean;
  /** File bytes covered once block i is acknowledged. */
  doneAfter: (i: number) => number;
}

function chunks(bytes: Uint8Array, size: number, padTo?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; o += size) {
    let block = bytes.subarray(o, o + size);
    if (padTo !== undefined && block.length < padTo) {
      const padded = new Uint8Array(padTo).fill(0xff);
      padded.set(block);
      block = padded;
    }
    out.push(block);
  }
  return out;
}

function streamFor(
  session: Session,
  address: number,
  data: Uint8Array,
  compress: { wanted: boolean; deflated: Uint8Array | undefined },
): Stream {
  const n = data.length;
  if (session.kind === "rom") {
    const blocks = chunks(data, ROM_WRITE_BLOCK, ROM_WRITE_BLOCK);
    return {
      op: { begin: Op.FLASH_BEGIN, data: Op.FLASH_DATA, end: undefined },
      blocks,
      blockSize: ROM_WRITE_BLOCK,
      beginSize: romEraseSizeWorkaround(address, n),
      compressed: false,
      doneAfter: (i) => Math.min(n, (i + 1) * ROM_WRITE_BLOCK),
    };
  }
  if (compress.wanted) {
    const packed = compress.deflated ?? deflateForStub(data);
    if (packed.length < n) {
      const blocks = chunks(packed, STUB_WRITE_BLOCK);
      return {
        op: { begin: Op.FLASH_DEFL_BEGIN, data: Op.FLASH_DEFL_DATA, end: Op.FLASH_DEFL_END },
        blocks,
        blockSize: STUB_WRITE_BLOCK,
        beginSize: n,
        compressed: true,
        doneAfter: (i) =>
          i === blocks.length - 1 ? n : Math.floor((i + 1) * STUB_WRITE_BLOCK * n / packed.length),
      };
    }
  }
  return {
    op: { begin: Op.FLASH_BEGIN, data: Op.FLASH_DATA, end: Op.FLASH_END },
    blocks: chunks(data, STUB_WRITE_BLOCK),
    blockSize: STUB_WRITE_BLOCK,
    beginSize: n,
    compressed: false,
    doneAfter: (i) => Math.min(n, (i + 1) * STUB_WRITE_BLOCK),
  };
}

const isChecksumError = (e: unknown) =>
  isNodeflashError(e) && Array.isArray(e.details?.status) &&
  ((e.details.loader === "rom" && e.details.status[1] === RomStatus.INVALID_CRC) ||
    (e.details.loader === "stub" && e.details.status[0] === StubStatus.BAD_DATA_CHECKSUM));

/**
 * The ROM erases `e + min(e, h)` sectors (docs/protocol.md §7.3): for an odd number of sectors
 * inside one 64 KiB block no erase size is exact, and esptool's workaround erases one sector
 * after the region. Instead of losing that sector, read it first (through the SPI registers: the
 * ROM has no read command) and write it back as part of the region.
 *
 * @returns the data to write (extended by the preserved sector when needed)
 */
async function preserveRomOverErase(
  session: Session,
  address: number,
  data: Uint8Array,
  emit: OnFlashEvent,
): Promise<Uint8Array> {
  const endSector = Math.ceil((address + data.length) / SECTOR_SIZE);
  const erased = romErasedSectors(address, romEraseSizeWorkaround(address, data.length));
  const extra = erased.startSector + erased.count - endSector;
  if (extra <= 0) return data;
  const at = endSector * SECTOR_SIZE;
  emit({
    type: "note",
    code: "rom/preserve-sector",
    message: `The ROM loader would also erase ${hex32(at)}-${
      hex32(at + extra * SECTOR_SIZE)
    }; reading it first to write it back`,
  });
  const kept = await readFlashThroughSpi(session.conn, {
    address: at,
    length: extra * SECTOR_SIZE,
  });
  const out = new Uint8Array(at + kept.length - address).fill(0xff);
  out.set(data);
  out.set(kept, at - address);
  return out;
}

/**
 * Writes `data` at `address`. The caller has checked alignment and bounds (see `plan.ts`).
 *
 * @param session either session (the ROM path is used for a ROM session)
 * @param region address and bytes (padded to 4)
 * @param options name, compression, events
 * @returns what was sent
 * @throws NodeflashError `flash/interrupted` with the address reached when the write stops
 */
export async function writeRegion(
  session: Session,
  region: { address: number; data: Uint8Array },
  options: WriteRegionOptions,
): Promise<WriteRegionResult> {
  const { conn } = session;
  const { address } = region;
  const emit = options.onEvent ?? (() => {});
  const started = performance.now();
  const fileBytes = region.data.length;
  const data = session.kind === "rom"
    ? await preserveRomOverErase(session, address, region.data, emit)
    : region.data;
  const stream = streamFor(session, address, data, {
    wanted: options.compress,
    deflated: data === region.data ? options.deflated : undefined,
  });
  const attempts = options.attempts ?? 3;
  const wireBytes = stream.blocks.reduce((n, b) => n + b.length, 0);
  let done = 0;
  // Each block is framed while the chip is busy with the one before (or with the BEGIN), so
  // it goes out as soon as that one's reply arrives.
  const frames: PreparedRequest[] = [];
  const frameAhead = (i: number) => () => {
    const block = stream.blocks[i];
    if (block !== undefined) frames[i] = prepareRequest(dataRequest(stream.op.data, i, block));
  };
  try {
    await conn.command(
      beginRequest(stream.op.begin, {
        size: stream.beginSize,
        blocks: stream.blocks.length,
        blockSize: stream.blockSize,
        offset: address,
      }),
      { bytes: session.kind === "rom" ? data.length : 0, meanwhile: frameAhead(0) },
    );
    // A stub acknowledges a block before writing it, so the reply to block N may wait for the
    // write of block N-1: allow for two blocks' worth of flash work.
    const blockTimeout = timeoutFor(Op.FLASH_DATA, 2 * Math.min(data.length, 2 * STUB_WRITE_BLOCK));
    for (let i = 0; i < stream.blocks.length; i++) {
      if (frames[i] === undefined) frameAhead(i)();
      for (let attempt = 1;; attempt++) {
        try {
          await conn.command(frames[i]!, {
            timeoutMs: blockTimeout,
            ...(attempt === 1 ? { meanwhile: frameAhead(i + 1) } : {}),
          });
          delete frames[i];
          break;
        } catch (e) {
          if (!isChecksumError(e) || attempt >= attempts) throw e;
          emit({ type: "retry", name: options.name, address, block: i, reason: "checksum error" });
        }
      }
      done = Math.min(fileBytes, stream.doneAfter(i));
      emit({
        type: "write-progress",
        name: options.name,
        address,
        done,
        total: fileBytes,
        rate: bytesPerSecond(done, started),
      });
    }
    if (stream.op.end !== undefined) {
      // the barrier: its reply comes only after the last block is in flash
      await conn.command(flashEndRequest(stream.op.end, { reboot: false }), {
        timeoutMs: Math.max(3000, Math.ceil(ERASE_WRITE_MS_PER_MB * 2 * STUB_WRITE_BLOCK / 1e6)),
      });
    }
  } catch (e) {
    throw interrupted(e, options.name, address, fileBytes, done);
  }
  return { wireBytes, compressed: stream.compressed };
}

function interrupted(e: unknown, name: string, address: number, size: number, done: number) {
  if (!isNodeflashError(e)) return e;
  const reached = address + done;
  return deviceError(
    "flash/interrupted",
    `Writing ${name} stopped at ${hex32(reached)} (${done} of ${size} bytes acknowledged, region ${
      hex32(address)
    }-${hex32(address + size)}): ${e.message}`,
    "Reconnect the board and run the same command again: what is already written is skipped.",
    {
      cause: e,
      details: { name, address, size, reached, acknowledged: done, reason: e.code },
    },
  );
}
