/**
 * Erasing: the whole chip (ERASE_FLASH) or a sector-aligned region (ERASE_REGION). Both need
 * the stub on an ESP8266. Erasing the whole chip also erases the Lua files of NodeMCU's
 * filesystem; the CLI says so before doing it.
 *
 * @module
 */

import { hex32 } from "../bytes/hex.ts";
import { SECTOR_SIZE } from "../chip/esp8266.ts";
import type { FlashSizeRow } from "../chip/flash_size.ts";
import type { StubSession } from "../chip/session.ts";
import { userError } from "../errors.ts";
import { eraseFlashRequest, eraseRegionRequest } from "../protocol/requests.ts";
import type { OnFlashEvent } from "./events.ts";

/**
 * Checks an erase-region request before connecting.
 *
 * @param address start
 * @param size bytes
 * @throws NodeflashError (user) when either is not a multiple of 0x1000
 *
 * @example
 * ```ts
 * import { checkEraseRegion } from "./erase.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => checkEraseRegion(0x1000, 0x800), /multiple of 0x1000/);
 * ```
 */
export function checkEraseRegion(address: number, size: number): void {
  for (const [what, v] of [["address", address], ["size", size]] as const) {
    if (v % SECTOR_SIZE !== 0) {
      throw userError(
        "input/unaligned-erase",
        `The erase ${what} ${hex32(v)} is not a multiple of 0x1000 (a 4 KiB sector)`,
        "Flash is erased in 4 KiB sectors: round the address down and the size up to 0x1000.",
      );
    }
  }
  if (size === 0) {
    throw userError("input/empty-erase", "The erase size is 0", "Give a size such as 0x1000.");
  }
}

/**
 * Erases the whole chip.
 *
 * @param session a stub session
 * @param options events and the flash size (for the event)
 */
export async function eraseChip(
  session: StubSession,
  options: { onEvent?: OnFlashEvent; flashSize?: FlashSizeRow } = {},
): Promise<void> {
  const size = options.flashSize?.bytes ?? 0;
  options.onEvent?.({ type: "erase", state: "start", address: 0, size, whole: true });
  await session.conn.command(eraseFlashRequest());
  options.onEvent?.({ type: "erase", state: "done", address: 0, size, whole: true });
}

/**
 * Erases a sector-aligned region.
 *
 * @param session a stub session
 * @param region address and size (multiples of 0x1000)
 * @param options events
 */
export async function eraseRegion(
  session: StubSession,
  region: { address: number; size: number },
  options: { onEvent?: OnFlashEvent } = {},
): Promise<void> {
  checkEraseRegion(region.address, region.size);
  const e = { address: region.address, size: region.size, whole: false };
  options.onEvent?.({ type: "erase", state: "start", ...e });
  await session.conn.command(eraseRegionRequest(region.address, region.size), {
    bytes: region.size,
  });
  options.onEvent?.({ type: "erase", state: "done", ...e });
}
