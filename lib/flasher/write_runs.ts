/**
 * Writing the runs of a region that differ from the chip, through faults: each run is one
 * stream (writeRegion); when a stream stops, the recovery brings the session back, the chip is
 * asked by MD5 how much of the run it already holds (resume.ts), and a new stream starts at the
 * first wrong sector. Through the ROM (no MD5) the run resumes at the sector of the last block
 * the ROM acknowledged (the ROM writes a block before it answers), and a run covers the sector
 * the ROM's erase would take with it, read once before the first stream (rom_span.ts).
 *
 * @module
 */

import { hex32 } from "../bytes/hex.ts";
import { deviceError, isNodeflashError } from "../errors.ts";
import type { Run } from "./diff.ts";
import { bytesPerSecond, type FlashEvent } from "./events.ts";
import type { PlannedRegion } from "./plan.ts";
import { type Recovery, rootFault } from "./recovery.ts";
import { matchingPrefix } from "./resume.ts";
import { romResumePoint, romSpan } from "./rom_span.ts";
import { writeRegion } from "./write.ts";

/** Options for {@link writeRuns}. */
export interface WriteRunsOptions {
  /** Compress through the stub. */
  compress: boolean;
  /** Adds up what each stream sent. */
  tally(wireBytes: number, compressed: boolean): void;
  /** The whole region compressed (`deflateForStub`), when it was done ahead of time. */
  deflatedRegion?: () => Uint8Array | undefined;
}

/**
 * Writes `runs` (offsets relative to the region), recovering from faults.
 *
 * @param recovery the job's session and recovery
 * @param region the region
 * @param runs the parts to write, in address order
 * @param options compression and the wire tally
 * @throws NodeflashError `flash/interrupted` with the address reached when it cannot go on
 */
export async function writeRuns(
  recovery: Recovery,
  region: PlannedRegion,
  runs: readonly Run[],
  options: WriteRunsOptions,
): Promise<void> {
  const total = runs.reduce((n, r) => n + r.length, 0);
  // bytes: what the streams of a run still have to write (a ROM run may cover one more sector)
  const queue: Piece[] = runs.map((r) => ({ ...r, bytes: undefined }));
  // the rate covers the whole region, not just the run being written
  const started = performance.now();
  let before = 0;
  while (queue.length > 0) {
    const run = queue[0]!;
    const address = region.address + run.offset;
    const bytes = run.bytes ??= await spanOf(recovery, region, run);
    const base = before;
    const whole = run.offset === 0 && bytes.length === region.data.length;
    const deflated = whole ? options.deflatedRegion?.() : undefined;
    try {
      const result = await writeRegion(recovery.session, { address, data: bytes }, {
        name: region.name,
        compress: options.compress,
        attempts: recovery.blockAttempts,
        ...(deflated ? { deflated } : {}),
        onEvent: (e: FlashEvent) => {
          if (e.type !== "write-progress") return recovery.emit(e);
          const done = Math.min(total, base + e.done);
          recovery.emit({
            ...e,
            address: region.address,
            done,
            total,
            rate: bytesPerSecond(done, started),
          });
        },
      });
      options.tally(result.wireBytes, result.compressed);
      before += run.length;
      queue.shift();
      recovery.progress();
    } catch (error) {
      const acked = acknowledged(error);
      const resumeAt = await resume(recovery, { error, name: region.name, address, bytes, acked })
        .catch((e) => {
          throw stopped(e, region, run.offset + Math.min(acked, run.length), recovery.count);
        });
      if (resumeAt > 0) {
        const counted = Math.min(resumeAt, run.length);
        run.offset += counted;
        run.length -= counted;
        run.bytes = bytes.subarray(resumeAt);
        before += counted;
        recovery.progress();
      }
      if (run.bytes.length === 0) queue.shift();
    }
  }
}

/** A run being written: file bytes left (`offset`, `length`) and the bytes its streams send. */
interface Piece extends Run {
  bytes: Uint8Array | undefined;
}

/** The bytes a run's streams send: its own, plus through the ROM the sector kept from erasing. */
function spanOf(recovery: Recovery, region: PlannedRegion, run: Run): Promise<Uint8Array> {
  const data = region.data.subarray(run.offset, run.offset + run.length);
  if (recovery.session.kind !== "rom") return Promise.resolve(data);
  return romSpan(recovery, region.address + run.offset, data);
}

/**
 * Heals the fault of a stopped stream, then finds how much of the span the chip holds.
 *
 * @returns bytes from the span's start that need no writing
 */
async function resume(
  recovery: Recovery,
  fault: { error: unknown; name: string; address: number; bytes: Uint8Array; acked: number },
): Promise<number> {
  const { name, address, bytes, acked } = fault;
  await recovery.heal(fault.error, { what: `writing ${name}`, address: address + acked });
  return await recovery.retrying(
    { what: `checking what ${name} left on the chip`, address },
    (session) =>
      session.kind === "stub"
        ? matchingPrefix(session, { address, data: bytes }, { hint: acked })
        : Promise.resolve(romResumePoint(address, bytes.length, acked)),
  );
}

function acknowledged(error: unknown): number {
  const n = isNodeflashError(error) ? error.details?.acknowledged : undefined;
  return typeof n === "number" ? n : 0;
}

function stopped(error: unknown, region: PlannedRegion, offset: number, recoveries: number) {
  if (!isNodeflashError(error) || error.code === "flash/power-unstable") return error;
  const root = rootFault(error);
  const reason = isNodeflashError(root) ? root : error;
  const reached = region.address + offset;
  const size = region.data.length;
  const tried = recoveries > 0 ? ` (after ${recoveries} recoveries)` : "";
  return deviceError(
    "flash/interrupted",
    `Writing ${region.name} stopped at ${
      hex32(reached)
    } (${offset} of ${size} bytes acknowledged, region ${hex32(region.address)}-${
      hex32(region.address + size)
    }): ${reason.message}${tried}`,
    "Reconnect the board and run the same command again: what is already written is skipped.",
    {
      cause: error,
      details: {
        name: region.name,
        address: region.address,
        size,
        reached,
        acknowledged: offset,
        reason: reason.code,
        recoveries,
      },
    },
  );
}
