/**
 * What the flasher reports while it works. The library never prints: the CLI renders these
 * (progress bar, plain lines, NDJSON) and the Action turns them into logs and outputs.
 *
 * @module
 */

import type { ChipInfo, FlashInfo } from "../chip/session.ts";

/** What made a recovery necessary. */
export type RecoveryCause =
  /** The stub said a block arrived damaged. */
  | "checksum-error"
  /** Nothing came back in time (a frame lost either way). */
  | "no-reply"
  /** The loader answered with an error. */
  | "stub-error"
  /** The board restarted (a brown-out or a reset): ROM text, a new `OHAI`, or the ROM answering. */
  | "board-restarted"
  /** The port went away. */
  | "port-lost"
  /** After writing, the flash did not hold the region's bytes. */
  | "verify-mismatch"
  /** Data read from the board arrived damaged. */
  | "bad-data";

/** One event of a flashing job. */
export type FlashEvent =
  /** A connection attempt starts (`strategy` names the reset used). */
  | { type: "connect-attempt"; attempt: number; strategy: string }
  /** No reset: the user must put the board into download mode by hand. */
  | { type: "manual-boot"; message: string }
  /** Synced with the ROM (or found a stub running), at `baud` when known. */
  | { type: "connected"; loader: "rom" | "stub"; attempts: number; baud?: number }
  /** The chip was identified. */
  | { type: "chip"; chip: ChipInfo }
  /** The stub is being uploaded / is running. */
  | { type: "stub"; state: "uploading" | "running" | "already-running" }
  /** The link changed speed. */
  | { type: "baud"; baud: number }
  /** The flash chip was identified. */
  | {
    type: "flash";
    flash: FlashInfo;
    sizeBytes: number;
    sizeSource: "detected" | "given" | "default";
  }
  /** Something the user should know (a limitation, a default taken). */
  | { type: "note"; code: string; message: string }
  /** Something that may be wrong, though the job goes on (a given size unlike the chip's). */
  | { type: "warning"; code: string; message: string }
  /** An erase starts or ends. */
  | { type: "erase"; state: "start" | "done"; address: number; size: number; whole: boolean }
  /** A region's write starts (after the diff found what must be written). */
  | { type: "write-start"; name: string; address: number; size: number; bytesToWrite: number }
  /**
   * Progress of a region's write, in file bytes; `rate` is file bytes per second since the
   * region's write started.
   */
  | {
    type: "write-progress";
    name: string;
    address: number;
    done: number;
    total: number;
    rate: number;
  }
  /**
   * A block had to be sent again (from `writeRegion`; `flash()` and the other jobs report these
   * as `recovered` events).
   */
  | { type: "retry"; name: string; address: number; block: number; reason: string }
  /**
   * The job recovered from a fault (recovery.ts): what caused it, what was done, where, and how
   * many recoveries the job needed so far.
   */
  | {
    type: "recovered";
    cause: RecoveryCause;
    /**
     * `resent`: the block went again; `resumed`: the loader still listened, the job goes on from
     * what the chip holds; `resynced`: reset into the loader (where wired), stub uploaded again;
     * `reopened`: the port came back and the board was connected again.
     */
    action: "resent" | "resumed" | "resynced" | "reopened";
    /** What was being done (`writing fw.bin`). */
    what: string;
    /** The address reached. */
    address: number;
    /** Recoveries so far in this job. */
    count: number;
    /** The fault, in words. */
    message: string;
  }
  /** A region's write ended. */
  | {
    type: "write-done";
    name: string;
    address: number;
    bytesWritten: number;
    bytesSkipped: number;
    /** Bytes sent on the wire (compressed size when compressing). */
    wireBytes: number;
    compressed: boolean;
    seconds: number;
  }
  /** Verification of a region. */
  | { type: "verify"; name: string; address: number; size: number; ok: boolean; md5: string }
  /** Progress of a read; `rate` is bytes per second since the read started. */
  | { type: "read-progress"; address: number; done: number; total: number; rate: number }
  /** The board was reset at the end. */
  | { type: "reset"; mode: "hard-reset" | "soft-reset" | "no-reset" };

/**
 * Bytes per second for `done` bytes since `startedMs` (a `performance.now()` value); 0 until
 * any time has passed.
 *
 * @param done bytes so far
 * @param startedMs when the operation started
 * @param nowMs the time now (defaults to `performance.now()`)
 * @returns the rate, in bytes per second
 *
 * @example
 * ```ts
 * import { bytesPerSecond } from "./events.ts";
 * if (bytesPerSecond(4096, 1000, 3000) !== 2048) throw new Error();
 * ```
 */
export function bytesPerSecond(done: number, startedMs: number, nowMs = performance.now()): number {
  const seconds = (nowMs - startedMs) / 1000;
  return seconds > 0 ? done / seconds : 0;
}

/** Receives events. */
export type OnFlashEvent = (event: FlashEvent) => void;
