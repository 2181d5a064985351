/**
 * Erasing through faults. ERASE_REGION erases in address order (sectors up to the next 64 KiB
 * boundary, then blocks, then sectors), so when its reply does not come (a frame lost, a board
 * that restarted, a port that went away) the recovery brings the session back, the chip is
 * asked by MD5 how much of the region already reads as erased (resume.ts), and the erase goes
 * on from the first sector that does not. ERASE_FLASH has no such order to resume from: it is
 * run again.
 *
 * @module
 */

import { hex32 } from "../bytes/hex.ts";
import type { FlashSizeRow } from "../chip/flash_size.ts";
import { deviceError, isNodeflashError } from "../errors.ts";
import { checkEraseRegion, eraseChip, eraseRegion } from "./erase.ts";
import { type Recovery, rootFault, stubOf } from "./recovery.ts";
import { matchingPrefix } from "./resume.ts";

/**
 * Erases a sector-aligned region, recovering from faults.
 *
 * @param recovery the job's session and recovery (a stub session)
 * @param region address and size (multiples of 0x1000)
 * @throws NodeflashError `erase/interrupted` naming the part not known to be erased
 *
 * @example
 * ```ts
 * import { resumableEraseRegion } from "./resumable_erase.ts";
 * import { Recovery } from "./recovery.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import assert from "node:assert/strict";
 * const port = await openSimTransport("sim://?flash-size=1MB");
 * const recovery = new Recovery(port);
 * await recovery.open();
 * await resumableEraseRegion(recovery, { address: 0x10000, size: 0x3000 });
 * assert.ok(port.board.flash.read(0x10000, 0x3000).every((b) => b === 0xff));
 * await port.close();
 * ```
 */
export async function resumableEraseRegion(
  recovery: Recovery,
  region: { address: number; size: number },
): Promise<void> {
  checkEraseRegion(region.address, region.size);
  const e = { address: region.address, size: region.size, whole: false };
  recovery.emit({ type: "erase", state: "start", ...e });
  let done = 0;
  while (done < region.size) {
    const address = region.address + done;
    const size = region.size - done;
    try {
      await eraseRegion(stubOf(recovery.session), { address, size });
      done = region.size;
    } catch (error) {
      const blank = await erasedPrefix(recovery, error, { address, size }).catch((e) => {
        throw stopped(e, region, done, recovery.count);
      });
      if (blank > 0) recovery.progress();
      done += blank;
    }
  }
  recovery.emit({ type: "erase", state: "done", ...e });
}

/** Heals the fault, then finds how much of the region reads as erased. */
async function erasedPrefix(
  recovery: Recovery,
  error: unknown,
  region: { address: number; size: number },
): Promise<number> {
  await recovery.heal(error, { what: "erasing", address: region.address });
  const blank = new Uint8Array(region.size).fill(0xff);
  return await recovery.retrying(
    { what: "checking what is erased", address: region.address },
    (session) => matchingPrefix(stubOf(session), { address: region.address, data: blank }),
  );
}

/**
 * Erases the whole chip, running ERASE_FLASH again after a fault.
 *
 * @param recovery the job's session and recovery (a stub session)
 * @param options the flash size (for the events)
 */
export async function resumableEraseChip(
  recovery: Recovery,
  options: { flashSize?: FlashSizeRow } = {},
): Promise<void> {
  await recovery.retrying(
    { what: "erasing the chip", address: 0 },
    (session) => eraseChip(stubOf(session), { ...options, onEvent: recovery.onEvent }),
  );
}

function stopped(
  error: unknown,
  region: { address: number; size: number },
  done: number,
  recoveries: number,
) {
  if (!isNodeflashError(error) || error.code === "flash/power-unstable") return error;
  const root = rootFault(error);
  const reason = isNodeflashError(root) ? root : error;
  const end = region.address + region.size;
  const from = region.address + done;
  const tried = recoveries > 0 ? ` (after ${recoveries} recoveries)` : "";
  return deviceError(
    "erase/interrupted",
    `Erasing ${hex32(region.address)}-${hex32(end)} stopped: ${hex32(from)}-${
      hex32(end)
    } may not be erased: ${reason.message}${tried}`,
    "Reconnect the board and run the same command again.",
    { cause: error, details: { ...region, reached: from, reason: reason.code, recoveries } },
  );
}
