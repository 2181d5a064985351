/**
 * What a write through the ESP8266 ROM loader must cover so that it can stop and resume without
 * losing bytes. The ROM erases `e + min(e, h)` sectors for a FLASH_BEGIN of `e` sectors
 * (docs/protocol.md §7.3), so no erase size is exact for an odd number of sectors `n < 2h`
 * (`h`: sectors left to the next 64 KiB boundary): one sector more goes.
 *
 * - {@link romSpan}: before the first FLASH_BEGIN of a run, the sector that would be lost is
 *   read (through the SPI registers, 64 bytes at a time, each part read twice and compared:
 *   ROM replies carry no checksum) and appended to the bytes to write. The span is read once:
 *   after a fault the first FLASH_BEGIN has erased that sector already.
 * - {@link romResumePoint}: after a fault, the write resumes at the sector of the last block
 *   the ROM acknowledged (it writes a block before it answers), or one sector earlier when the
 *   rest would be an odd count the ROM cannot erase exactly: rewriting a sector already written
 *   costs 4 KiB, erasing one past the span would lose it.
 *
 * @module
 */

import { hex32 } from "../bytes/hex.ts";
import { romErasedSectors, romEraseSizeWorkaround, SECTOR_SIZE } from "../chip/esp8266.ts";
import { readFlashThroughSpi } from "../chip/spi_flash.ts";
import type { Connection } from "../protocol/connection.ts";
import { deviceError } from "../errors.ts";
import type { Recovery } from "./recovery.ts";

/** Bytes read at a time to keep a sector (one SPI transaction: the W0..W15 buffer). */
const KEEP_CHUNK = 64;

/**
 * Sectors the ROM erases past `[address, address + size)` when given esptool's erase size:
 * 0, or 1 for an odd count inside one 64 KiB block.
 *
 * @param address where the data goes (a sector boundary)
 * @param size bytes
 * @returns the sectors erased past the end
 *
 * @example
 * ```ts
 * import { romOverErase } from "./rom_span.ts";
 * import assert from "node:assert/strict";
 * assert.equal(romOverErase(0, 0x1000), 1); // one sector: the ROM erases two
 * assert.equal(romOverErase(0, 0x64000), 0); // 100 sectors from 0: exact
 * ```
 */
export function romOverErase(address: number, size: number): number {
  if (size <= 0) return 0;
  const endSector = Math.ceil((address + size) / SECTOR_SIZE);
  const erased = romErasedSectors(address, romEraseSizeWorkaround(address, size));
  return Math.max(0, erased.startSector + erased.count - endSector);
}

/**
 * Where a ROM write of `size` bytes at `address` resumes once `acknowledged` bytes were
 * acknowledged: that sector, or the one before when the ROM could not erase the rest exactly.
 *
 * @param address where the span starts (a sector boundary)
 * @param size the span's bytes (from {@link romSpan}: the ROM erases it exactly)
 * @param acknowledged bytes from the span's start the ROM acknowledged
 * @returns bytes from the span's start not to write again (a multiple of 0x1000, or `size`)
 *
 * @example
 * ```ts
 * import { romResumePoint } from "./rom_span.ts";
 * import assert from "node:assert/strict";
 * // 0x55000..0x64000 would be 15 sectors, an odd count the ROM cannot erase: one back
 * assert.equal(romResumePoint(0, 0x64000, 0x55400), 0x54000);
 * assert.equal(romResumePoint(0, 0x64000, 0x56c00), 0x56000); // 14 sectors left: exact
 * assert.equal(romResumePoint(0, 0x64000, 0x64000), 0x64000); // all there
 * ```
 */
export function romResumePoint(address: number, size: number, acknowledged: number): number {
  if (acknowledged >= size) return size;
  let at = Math.floor(Math.max(0, acknowledged) / SECTOR_SIZE) * SECTOR_SIZE;
  if (at > 0 && romOverErase(address + at, size - at) > 0) at -= SECTOR_SIZE;
  return at;
}

/**
 * The bytes a ROM write of `data` at `address` must cover: `data`, padded with `FF` to the end
 * of its last sector and followed by the flash's own bytes of the sector the ROM would erase
 * too, when there is one (a `rom/preserve-sector` note says so). The read recovers from faults
 * part by part.
 *
 * @param recovery the job's ROM session and recovery
 * @param address where the data goes (a sector boundary)
 * @param data the bytes
 * @returns `data`, or a longer copy that the ROM erases exactly
 *
 * @example A region of one sector keeps the sector after it
 * ```ts
 * import { romSpan } from "./rom_span.ts";
 * import { Recovery } from "./recovery.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import assert from "node:assert/strict";
 * const flash = new Uint8Array(4 << 20).fill(0xff);
 * flash.fill(0x77, 0x11000, 0x12000); // what the sector after the region holds
 * const port = await openSimTransport("sim://", { board: { flashContents: flash } });
 * const recovery = new Recovery(port, { loader: "rom" });
 * await recovery.open();
 * const span = await romSpan(recovery, 0x10000, new Uint8Array(0x1000).fill(0x5a));
 * assert.equal(span.length, 0x2000);
 * assert.equal(span[0x1000], 0x77);
 * await port.close();
 * ```
 */
export async function romSpan(
  recovery: Recovery,
  address: number,
  data: Uint8Array,
): Promise<Uint8Array> {
  const extra = romOverErase(address, data.length);
  if (extra === 0) return data;
  const at = Math.ceil((address + data.length) / SECTOR_SIZE) * SECTOR_SIZE;
  const length = extra * SECTOR_SIZE;
  recovery.emit({
    type: "note",
    code: "rom/preserve-sector",
    message: `The ROM loader would also erase ${hex32(at)}-${
      hex32(at + length)
    }; reading it first to write it back`,
  });
  const out = new Uint8Array(at + length - address).fill(0xff);
  out.set(data);
  for (let o = 0; o < length; o += KEEP_CHUNK) {
    const part = { address: at + o, length: Math.min(KEEP_CHUNK, length - o) };
    const bytes = await recovery.retrying(
      { what: `reading ${hex32(part.address)} to keep it`, address: part.address },
      (session) => readTwice(session.conn, part),
    );
    out.set(bytes, at - address + o);
    recovery.progress();
  }
  return out;
}

/** Reads flash through the SPI registers twice: a damaged register reply shows as a difference. */
async function readTwice(
  conn: Connection,
  part: { address: number; length: number },
): Promise<Uint8Array> {
  const first = await readFlashThroughSpi(conn, part);
  const second = await readFlashThroughSpi(conn, part);
  if (first.every((b, i) => second[i] === b)) return first;
  throw deviceError(
    "read/unsteady",
    `Two reads of ${hex32(part.address)}-${
      hex32(part.address + part.length)
    } through the SPI registers differed`,
    "Check the cable and try again, or use a lower --baud.",
    { details: { address: part.address, length: part.length } },
  );
}
