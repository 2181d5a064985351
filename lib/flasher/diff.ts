/**
 * Fast reflash: before writing, find which parts of a region already hold the right bytes, by
 * comparing MD5 digests computed on the chip with the file's, first for the whole region, then
 * per 64 KiB block, then per 4 KiB sector; only the differing runs are written. Reflashing the
 * same image writes nothing.
 *
 * @module
 */

import { SECTOR_SIZE } from "../chip/esp8266.ts";
import type { StubSession } from "../chip/session.ts";
import { flashMd5, md5Hex } from "./md5.ts";

/** A run of a region that must be written: offsets relative to the region start. */
export interface Run {
  /** Offset from the region start (a sector boundary). */
  offset: number;
  /** Bytes. */
  length: number;
}

const BLOCK = 0x10000;

async function differs(
  session: StubSession,
  address: number,
  data: Uint8Array,
  offset: number,
  length: number,
): Promise<boolean> {
  const local = md5Hex(data.subarray(offset, offset + length));
  return (await flashMd5(session, { address: address + offset, size: length })) !== local;
}

function merge(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const last = out.at(-1);
    if (last && last.offset + last.length === r.offset) last.length += r.length;
    else out.push({ ...r });
  }
  return out;
}

async function refine(
  session: StubSession,
  region: { address: number; data: Uint8Array },
  offset: number,
  length: number,
  step: number,
): Promise<Run[]> {
  const runs: Run[] = [];
  for (let o = offset; o < offset + length; o += step) {
    const n = Math.min(step, offset + length - o);
    if (await differs(session, region.address, region.data, o, n)) {
      runs.push({ offset: o, length: n });
    }
  }
  return runs;
}

/**
 * Finds the runs of a region whose flash content differs from `data`.
 *
 * @param session a stub session (MD5 needs the stub)
 * @param region address (a sector boundary) and the bytes meant to be there
 * @returns the runs to write, merged, sector-aligned; empty when the flash already matches
 */
export async function changedRuns(
  session: StubSession,
  region: { address: number; data: Uint8Array },
): Promise<Run[]> {
  const { data } = region;
  if (!(await differs(session, region.address, data, 0, data.length))) return [];
  if (data.length <= SECTOR_SIZE) return [{ offset: 0, length: data.length }];
  const blocks = await refine(session, region, 0, data.length, BLOCK);
  // When most blocks differ (a new firmware), per-sector digests cost more than they save.
  const totalBlocks = Math.ceil(data.length / BLOCK);
  if (blocks.length * 2 > totalBlocks) return merge(blocks);
  const sectors: Run[] = [];
  for (const b of blocks) {
    sectors.push(...await refine(session, region, b.offset, b.length, SECTOR_SIZE));
  }
  return merge(sectors);
}
