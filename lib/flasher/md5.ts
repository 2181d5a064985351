/**
 * MD5 of a flash region, computed by the stub (SPI_FLASH_MD5: 16 raw bytes), and the same digest
 * of local bytes. The ESP8266 ROM has no MD5 command.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { toHex } from "../bytes/hex.ts";
import type { StubSession } from "../chip/session.ts";
import { md5Request } from "../protocol/requests.ts";

/**
 * MD5 of local bytes, lower-case hex.
 *
 * @param bytes the bytes
 * @returns 32 hex digits
 *
 * @example
 * ```ts
 * import { md5Hex } from "./md5.ts";
 * if (md5Hex(new TextEncoder().encode("a")) !== "0cc175b9c0f1b6a831c399e269772661") throw new Error();
 * ```
 */
export function md5Hex(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

/**
 * MD5 of a region of the chip's flash, computed on the chip.
 *
 * @param session a stub session
 * @param region address and size
 * @param options `meanwhile`: host work to do while the chip hashes (see `CommandOptions`)
 * @returns 32 hex digits
 */
export async function flashMd5(
  session: StubSession,
  region: { address: number; size: number },
  options: { meanwhile?: () => void } = {},
): Promise<string> {
  const reply = await session.conn.command(md5Request(region.address, region.size), {
    bytes: region.size,
    ...(options.meanwhile ? { meanwhile: options.meanwhile } : {}),
  });
  return toHex(reply.result);
}
