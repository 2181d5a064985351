/**
 * One region of a flashing job: skip what the chip already holds (fast reflash), write the rest,
 * verify the whole region by MD5, recovering from faults all the way. Through the ROM (no MD5)
 * both the diff and the verification are impossible and are skipped.
 *
 * @module
 */

import type { StubSession } from "../chip/session.ts";
import { changedRuns, type Run } from "./diff.ts";
import type { FlashEvent } from "./events.ts";
import { flashMd5, md5Hex } from "./md5.ts";
import type { PlannedRegion } from "./plan.ts";
import { type Recovery, stubOf } from "./recovery.ts";
import { writeRuns } from "./write_runs.ts";
import { deflateForStub } from "./write.ts";
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
}

/**
 * Writes one planned region, recovering from faults on the way (recovery.ts): the comparison,
 * the write and the verification each go on from where a fault left them. A verification that
 * finds wrong bytes counts as a fault too: what differs is written again.
 *
 * @param recovery the job's session and recovery
 * @param region the region
 * @param options compression, diff, verify
 * @returns what was done
 * @throws NodeflashError `flash/verify-failed` when the chip's MD5 does not match (and no
 *   recovery fixed it), `flash/interrupted` with the address reached when the write stops
 */
export async function flashRegion(
  recovery: Recovery,
  region: PlannedRegion,
  options: FlashRegionOptions,
): Promise<RegionResult> {
  const started = performance.now();
  const emit = (e: FlashEvent) => recovery.emit(e);
  const size = region.data.length;
  const md5 = md5Hex(region.data);
  const at = { address: region.address };
  // Compressing the region (tens of ms of host time) is done while the chip hashes, once its
  // first sector differed: a new build is written whole right after.
  let deflated: Uint8Array | undefined;
  const compressAhead = options.compress
    ? () => void (deflated ??= deflateForStub(region.data))
    : undefined;
  const diff = options.diff && recovery.session.kind === "stub";
  const runs = await changed(recovery, region, { diff, compressAhead });
  const toWrite = runs.reduce((n, r) => n + r.length, 0);
  let wireBytes = 0;
  let compressed = false;
  const writeOptions = {
    compress: options.compress,
    tally: (n: number, c: boolean) => {
      wireBytes += n;
      compressed ||= c;
    },
    deflatedRegion: () => deflated,
  };
  if (runs.length > 0) {
    emit({ type: "write-start", name: region.name, ...at, size, bytesToWrite: toWrite });
    await writeRuns(recovery, region, runs, writeOptions);
  }
  emit({
    type: "write-done",
    name: region.name,
    ...at,
    bytesWritten: toWrite,
    bytesSkipped: size - toWrite,
    wireBytes,
    compressed,
    seconds: (performance.now() - started) / 1000,
  });
  let verified: true | "skipped" = "skipped";
  // After a diff, the bytes outside the runs were just compared: only the runs need hashing
  // (none at all when nothing was written); after a mismatch, the whole region.
  let checked = options.diff && recovery.session.kind === "stub" ? runs : whole(region);
  let rewrites = 0;
  while (recovery.session.kind === "stub" && options.verify) {
    const onChip = await recovery.retrying(
      { what: `verifying ${region.name}`, ...at },
      (session) => verifiedMd5(stubOf(session), region, checked, md5),
    );
    if (onChip === md5) {
      emit({ type: "verify", name: region.name, ...at, size, ok: true, md5: onChip });
      verified = true;
      break;
    }
    const mismatch = verifyFailed(region, md5, onChip);
    // A flash that does not keep what is written (worn, failing) stays wrong however often it
    // is written: two rewrites, not one per retry (each write would count as progress).
    const failed = () => {
      emit({ type: "verify", name: region.name, ...at, size, ok: false, md5: onChip });
      return mismatch;
    };
    if (++rewrites > Math.min(MAX_REWRITES, recovery.retries)) throw failed();
    await recovery.heal(mismatch, { what: `verifying ${region.name}`, ...at }).catch((e) => {
      failed();
      throw e;
    });
    await writeRuns(
      recovery,
      region,
      await changed(recovery, region, { diff: true }),
      writeOptions,
    );
    checked = whole(region);
  }
  return {
    name: region.name,
    ...at,
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

/** How often a region that does not verify is written again. */
const MAX_REWRITES = 2;

/** The runs to write: all of it, or (diff) what the chip's digests say differs. */
function changed(
  recovery: Recovery,
  region: PlannedRegion,
  how: { diff: boolean; compressAhead?: (() => void) | undefined },
): Promise<Run[]> {
  if (!how.diff) return Promise.resolve([{ offset: 0, length: region.data.length }]);
  const ahead = how.compressAhead ? { whileLikelyNew: how.compressAhead } : {};
  return recovery.retrying(
    { what: `comparing ${region.name} with the chip`, address: region.address },
    (session) => changedRuns(stubOf(session), region, ahead),
  );
}

function verifyFailed(region: PlannedRegion, md5: string, onChip: string) {
  return deviceError(
    "flash/verify-failed",
    `Verification of ${region.name} at ${
      hex32(region.address)
    } failed: the flash holds MD5 ${onChip}, the file ${md5}`,
    "Try again at a lower --baud; if it persists, the flash may be faulty or underpowered (use a better USB port or cable).",
    {
      details: { name: region.name, address: region.address, expected: md5, actual: onChip },
    },
  );
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

/** The whole region as one run. */
function whole(region: PlannedRegion): Run[] {
  return [{ offset: 0, length: region.data.length }];
}
