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
 * A block is hashed only when that is likely to save time. The region's last block (often a
 * short one) is hashed first; when it differs, so is the first sector of the region, and when
 * that differs too the image is a new build (a change in the code moves everything after it):
 * the blocks are written without hashing them, since they almost surely differ and writing one
 * costs several times what hashing it does. A new build thus costs the chip the last block and
 * one sector of hashing before the write (7 ms for the benchmark's image, whose last block is
 * 6 KiB; 55 ms at most); an unchanged image no digest more than its blocks. The first two blocks
 * both differing also marks a new build. Blocks of the image that are blank (all 0xFF) are still
 * hashed, as they cost almost nothing on the wire and often match (an erased chip, padding).
 * Every byte outside the runs returned was compared, so verifying the runs after writing them
 * verifies the region.
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
  meanwhile?: () => void,
): Promise<boolean> {
  const local = md5Hex(region.data.subarray(offset, offset + length));
  const at = { address: region.address + offset, size: length };
  return (await flashMd5(session, at, meanwhile ? { meanwhile } : {})) !== local;
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

/** Options for {@link changedRuns}. */
export interface ChangedRunsOptions {
  /**
   * Host work that pays when the whole region is written (compressing it), done while the chip
   * hashes the region's first sector after its last block differed: a new build is likely, and
   * the host waits for that digest anyway.
   */
  whileLikelyNew?: () => void;
}

/** What the probe learnt about a block: whether all of it, or its first sector, differs. */
interface Known {
  part: "block" | "first-sector";
  differs: boolean;
}

/** The last block, then (when it differs) the first sector: whether this is a new build. */
async function probe(
  session: StubSession,
  region: { address: number; data: Uint8Array },
  options: ChangedRunsOptions,
): Promise<{ newBuild: boolean; known: Map<number, Known> }> {
  const known = new Map<number, Known>();
  const size = region.data.length;
  if (size <= BLOCK) return { newBuild: false, known };
  const last = Math.floor((size - 1) / BLOCK) * BLOCK;
  const tail = await differs(session, region, last, size - last);
  known.set(last, { part: "block", differs: tail });
  if (!tail) return { newBuild: false, known };
  const head = await differs(session, region, 0, SECTOR_SIZE, options.whileLikelyNew);
  known.set(0, { part: "first-sector", differs: head });
  return { newBuild: head, known };
}

/** Whether a block differs, hashing only what the probe did not already say. */
async function blockDiffers(
  session: StubSession,
  region: { address: number; data: Uint8Array },
  block: Run,
  known: Known | undefined,
): Promise<boolean> {
  if (known === undefined) return await differs(session, region, block.offset, block.length);
  if (known.part === "block" || known.differs) return known.differs;
  const rest = block.length - SECTOR_SIZE;
  return rest > 0 && await differs(session, region, block.offset + SECTOR_SIZE, rest);
}

/**
 * Finds the runs of a region whose flash content differs from `data`.
 *
 * @param session a stub session (MD5 needs the stub)
 * @param region address (a sector boundary) and the bytes meant to be there
 * @param options work to overlap with the chip's hashing
 * @returns the runs to write, merged, sector-aligned; empty when the flash already matches
 */
export async function changedRuns(
  session: StubSession,
  region: { address: number; data: Uint8Array },
  options: ChangedRunsOptions = {},
): Promise<Run[]> {
  const size = region.data.length;
  const whole = [{ offset: 0, length: size }];
  if (size <= SECTOR_SIZE) return (await differs(session, region, 0, size)) ? whole : [];
  const totalBlocks = Math.ceil(size / BLOCK);
  const blocks: Run[] = [];
  let { newBuild, known } = await probe(session, region, options);
  for (let b = 0; b < totalBlocks; b++) {
    const block = { offset: b * BLOCK, length: Math.min(BLOCK, size - b * BLOCK) };
    const assumed = newBuild &&
      !blank(region.data.subarray(block.offset, block.offset + block.length));
    if (assumed || await blockDiffers(session, region, block, known.get(block.offset))) {
      blocks.push(block);
    }
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
