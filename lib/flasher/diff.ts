/**
 * Fast reflash: before writing, find which parts of a region already hold the right bytes, by
 * comparing MD5 digests computed on the chip with the file's; only the differing runs are
 * written. Reflashing the same image writes nothing.
 *
 * Each byte is hashed once on the way down: one digest per 64 KiB block (a region of one block
 * or less is one digest), then, inside the few blocks that differ, one per 4 KiB sector. Hashing
 * the whole region first would cost a second pass over every byte whenever anything differs.
 * The chip hashes at about 1.25 MB/s (0.8 µs per byte in the simulator's model,
 * docs/performance.md#md5-and-flash-reads), so a 400 KiB image costs about 0.3 s.
 *
 * A block is hashed only when that is likely to save time: when the first two blocks both
 * differ the image is a new build (a change in the code moves everything after it), and the
 * blocks after are written without hashing them first, since they almost surely differ and
 * writing one costs several times what hashing it does; blocks of the image that are blank
 * (all 0xFF) are still hashed, as they cost almost nothing on the wire and often match (an
 * erased chip, padding). Every byte outside the runs
 * returned was compared, so verifying the runs after writing them verifies the region.
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
  region: { address: number; data: Uint8Array },
  offset: number,
  length: number,
): Promise<boolean> {
  const local = md5Hex(region.data.subarray(offset, offset + length));
  return (await flashMd5(session, { address: region.address + offset, size: length })) !== local;
}

const blank = (bytes: Uint8Array) => bytes.every((b) => b === 0xff);

function merge(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const last = out.at(-1);
    if (last && last.offset + last.length === r.offset) last.length += r.length;
    else out.push({ ...r });
  }
  return out;
}

/** The runs of `[offset, end)` in steps of `step` whose digests differ. */
async function refine(
  session: StubSession,
  region: { address: number; data: Uint8Array },
  offset: number,
  end: number,
  step: number,
): Promise<Run[]> {
  const runs: Run[] = [];
  for (let o = offset; o < end; o += step) {
    const n = Math.min(step, end - o);
    if (await differs(session, region, o, n)) runs.push({ offset: o, length: n });
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
  const size = region.data.length;
  const whole = [{ offset: 0, length: size }];
  if (size <= SECTOR_SIZE) return (await differs(session, region, 0, size)) ? whole : [];
  const totalBlocks = Math.ceil(size / BLOCK);
  const blocks: Run[] = [];
  let newBuild = false;
  for (let b = 0; b < totalBlocks; b++) {
    const offset = b * BLOCK;
    const length = Math.min(BLOCK, size - offset);
    const assumed = newBuild && !blank(region.data.subarray(offset, offset + length));
    if (!assumed && !(await differs(session, region, offset, length))) continue;
    blocks.push({ offset, length });
    newBuild ||= b === 1 && blocks.length === 2;
  }
  // When most blocks differ, per-sector digests cost more than they save.
  if (blocks.length * 2 > totalBlocks) return merge(blocks);
  const sectors: Run[] = [];
  for (const b of blocks) {
    sectors.push(...await refine(session, region, b.offset, b.offset + b.length, SECTOR_SIZE));
  }
  return merge(sectors);
}
