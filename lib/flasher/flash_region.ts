/**
 * One region of a flashing job: skip what the chip already holds (fast reflash), write the rest,
 * verify the whole region by MD5. Through the ROM (no MD5) both the diff and the verification
 * are impossible and are skipped.
 *
 * @module
 */

import type { Session, StubSession } from "../chip/session.ts";
import { changedRuns, type Run } from "./diff.ts";
import { bytesPerSecond, type OnFlashEvent } from "./events.ts";
import { flashMd5, md5Hex } from "./md5.ts";
import type { PlannedRegion } from "./plan.ts";
import { writeRegion } from "./write.ts";
import { deviceError } from "../errors.ts";
import { hex32 } from "../bytes/hex.ts";

/** What happened to one region. */
export interface RegionResult {
  /** Name (the file path, or "init data"). */
  name: string;
  /** Flash offset. */
  address: number;
  /** Bytes of the region (padded to 4). */
  size: number;
  /** File bytes actually written (0 when everything was already there). */
  bytesWritten: number;
  /** File bytes skipped because the chip already held them. */
  bytesSkipped: number;
  /** Bytes sent on the wire (compressed when compressing). */
  wireBytes: number;
  /** Whether the data went compressed. */
  compressed: boolean;
  /** MD5 of the region's bytes. */
  md5: string;
  /** `true` when the chip's MD5 matched (a mismatch throws); `"skipped"` through the ROM. */
  verified: true | "skipped";
  /** Seconds spent on this region. */
  seconds: number;
}

/** Options for {@link flashRegion}. */
export interface FlashRegionOptions {
  /** Compress through the stub. */
  compress: boolean;
  /** Compare with the chip first and write only what differs (stub only). */
  diff: boolean;
  /** Verify by MD5 afterwards (stub only). */
  verify: boolean;
  /** Events. */
  onEvent?: OnFlashEvent;
}

/**
 * Writes one planned region.
 *
 * @param session either session
 * @param region the region
 * @param options compression, diff, verify, events
 * @returns what was done
 * @throws NodeflashError `flash/verify-failed` when the chip's MD5 does not match
 */
export async function flashRegion(
  session: Session,
  region: PlannedRegion,
  options: FlashRegionOptions,
): Promise<RegionResult> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const size = region.data.length;
  const md5 = md5Hex(region.data);
  let runs: Run[] = [{ offset: 0, length: size }];
  if (session.kind === "stub" && options.diff) runs = await changedRuns(session, region);
  const toWrite = runs.reduce((n, r) => n + r.length, 0);
  let wireBytes = 0;
  let compressed = false;
  if (runs.length > 0) {
    emit({
      type: "write-start",
      name: region.name,
      address: region.address,
      size,
      bytesToWrite: toWrite,
    });
    await writeRuns(session, region, runs, options, (n, c) => {
      wireBytes += n;
      compressed ||= c;
    });
  }
  emit({
    type: "write-done",
    name: region.name,
    address: region.address,
    bytesWritten: toWrite,
    bytesSkipped: size - toWrite,
    wireBytes,
    compressed,
    seconds: (performance.now() - started) / 1000,
  });
  let verified: true | "skipped" = "skipped";
  if (session.kind === "stub" && options.verify) {
    // After a diff, the bytes outside the runs were just compared: only the runs need hashing
    // (none at all when nothing was written).
    const checked = options.diff ? runs : [{ offset: 0, length: size }];
    const onChip = await verifiedMd5(session, region, checked, md5);
    const ok = onChip === md5;
    emit({ type: "verify", name: region.name, address: region.address, size, ok, md5: onChip });
    if (!ok) {
      throw deviceError(
        "flash/verify-failed",
        `Verification of ${region.name} at ${
          hex32(region.address)
        } failed: the flash holds MD5 ${onChip}, the file ${md5}`,
        "Try again at a lower --baud; if it persists, the flash may be faulty or underpowered (use a better USB port or cable).",
        { details: { name: region.name, address: region.address, expected: md5, actual: onChip } },
      );
    }
    verified = true;
  }
  return {
    name: region.name,
    address: region.address,
    size,
    bytesWritten: toWrite,
    bytesSkipped: size - toWrite,
    wireBytes,
    compressed,
    md5,
    verified,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The region's MD5 as the chip holds it, hashing only `runs` on the chip: the rest is known to
 * match, so when every run matches the answer is the file's own digest; at the first run that
 * does not, the whole region is hashed on the chip for the error message.
 */
async function verifiedMd5(
  session: StubSession,
  region: PlannedRegion,
  runs: Run[],
  md5: string,
): Promise<string> {
  for (const run of runs) {
    const expected = md5Hex(region.data.subarray(run.offset, run.offset + run.length));
    const got = await flashMd5(session, { address: region.address + run.offset, size: run.length });
    if (got !== expected) {
      return run.length === region.data.length
        ? got
        : await flashMd5(session, { address: region.address, size: region.data.length });
    }
  }
  return md5;
}

async function writeRuns(
  session: Session,
  region: PlannedRegion,
  runs: Run[],
  options: FlashRegionOptions,
  tally: (wireBytes: number, compressed: boolean) => void,
): Promise<void> {
  const emit = options.onEvent ?? (() => {});
  const total = runs.reduce((n, r) => n + r.length, 0);
  // the rate covers the whole region, not just the run being written
  const started = performance.now();
  let before = 0;
  for (const run of runs) {
    const base = before;
    const result = await writeRegion(session, {
      address: region.address + run.offset,
      data: region.data.subarray(run.offset, run.offset + run.length),
    }, {
      name: region.name,
      compress: options.compress,
      onEvent: (e) => {
        if (e.type === "write-progress") {
          const done = base + e.done;
          emit({ ...e, address: region.address, done, total, rate: bytesPerSecond(done, started) });
        } else {
          emit(e);
        }
      },
    });
    tally(result.wireBytes, result.compressed);
    before += run.length;
  }
}
