/**
 * Reading a region through faults: the region is read in segments of {@link READ_SEGMENT}
 * bytes, each one READ_FLASH checked against the stub's MD5 of it, so a fault costs at most
 * one segment. When a segment fails (a frame lost or damaged, a board that restarted, a port
 * that went away), the recovery brings the session back (recovery.ts) and the read goes on at
 * the first byte not yet read and checked. Nothing is returned that was not checked.
 *
 * @module
 */

import { hex32 } from "../bytes/hex.ts";
import { deviceError, isNodeflashError } from "../errors.ts";
import { bytesPerSecond, type FlashEvent } from "./events.ts";
import { readFlash } from "./read.ts";
import { type Recovery, rootFault, stubOf } from "./recovery.ts";

/** Bytes per READ_FLASH: what one fault can cost. */
export const READ_SEGMENT = 0x10000;

/**
 * Reads `size` bytes at `address`, recovering from faults.
 *
 * @param recovery the job's session and recovery (a stub session)
 * @param region address and size
 * @returns the bytes, every segment MD5-checked
 * @throws NodeflashError `read/interrupted` with the address reached when it cannot go on
 *
 * @example
 * ```ts
 * import { readRegion } from "./read_region.ts";
 * import { Recovery } from "./recovery.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import assert from "node:assert/strict";
 * const port = await openSimTransport("sim://?flash-size=1MB");
 * const recovery = new Recovery(port);
 * await recovery.open();
 * const bytes = await readRegion(recovery, { address: 0, size: 0x20000 });
 * assert.equal(bytes.length, 0x20000);
 * await port.close();
 * ```
 */
export async function readRegion(
  recovery: Recovery,
  region: { address: number; size: number },
): Promise<Uint8Array> {
  const { address, size } = region;
  const out = new Uint8Array(size);
  const started = performance.now();
  let got = 0;
  while (got < size) {
    const base = got;
    const at = address + got;
    try {
      const part = await readFlash(stubOf(recovery.session), {
        address: at,
        size: Math.min(READ_SEGMENT, size - got),
      }, {
        onEvent: (e: FlashEvent) => {
          if (e.type !== "read-progress") return recovery.emit(e);
          const done = base + e.done;
          recovery.emit({ ...e, address, done, total: size, rate: bytesPerSecond(done, started) });
        },
      });
      out.set(part, got);
      got += part.length;
      recovery.progress();
    } catch (error) {
      await recovery.heal(error, { what: `reading ${hex32(at)}`, address: at }).catch((e) => {
        throw stopped(e, region, got, recovery.count);
      });
    }
  }
  return out;
}

function stopped(
  error: unknown,
  region: { address: number; size: number },
  got: number,
  recoveries: number,
) {
  if (!isNodeflashError(error) || error.code === "flash/power-unstable") return error;
  const root = rootFault(error);
  const reason = isNodeflashError(root) ? root : error;
  const { address, size } = region;
  const tried = recoveries > 0 ? ` (after ${recoveries} recoveries)` : "";
  return deviceError(
    "read/interrupted",
    `Reading ${hex32(address)}-${hex32(address + size)} stopped at ${
      hex32(address + got)
    } (${got} of ${size} bytes read and checked): ${reason.message}${tried}`,
    "Check the cable and try again, or use a lower --baud.",
    {
      cause: error,
      details: { address, size, reached: address + got, reason: reason.code, recoveries },
    },
  );
}
