/**
 * Reading flash through the stub (READ_FLASH): the stub answers, then streams raw frames of up
 * to 4 KiB; the host acknowledges each with the total received so far; a final frame carries
 * the MD5 of everything, which is checked (docs/protocol.md §10.5).
 *
 * @module
 */

import { hex32, toHex } from "../bytes/hex.ts";
import { u32le } from "../bytes/little_endian.ts";
import type { StubSession } from "../chip/session.ts";
import { deviceError } from "../errors.ts";
import { readFlashRequest } from "../protocol/requests.ts";
import { bytesPerSecond, type OnFlashEvent } from "./events.ts";
import { md5Hex } from "./md5.ts";

const PACKET = 0x1000;

/**
 * Reads `size` bytes at `address`.
 *
 * @param session a stub session
 * @param region address and size
 * @param options events
 * @returns the bytes (MD5-checked)
 * @throws NodeflashError `read/timeout`, `read/corrupt` or `read/md5-mismatch`
 */
export async function readFlash(
  session: StubSession,
  region: { address: number; size: number },
  options: { onEvent?: OnFlashEvent } = {},
): Promise<Uint8Array> {
  const { conn } = session;
  const { address, size } = region;
  const out = new Uint8Array(size);
  const started = performance.now();
  await conn.command(readFlashRequest(address, size, { packetSize: PACKET, inFlight: 64 }));
  let got = 0;
  const fail = (code: "read/timeout" | "read/corrupt" | "read/md5-mismatch", what: string) =>
    deviceError(
      code,
      `Reading ${hex32(address)}-${hex32(address + size)} failed at ${
        hex32(address + got)
      }: ${what}`,
      "Check the cable and try again, or use a lower --baud.",
    );
  while (got < size) {
    const frame = await conn.readFrame(3000);
    if (frame === null) throw fail("read/timeout", "the board stopped sending");
    if (frame.length !== Math.min(PACKET, size - got)) {
      throw fail("read/corrupt", `a data packet of ${frame.length} bytes`);
    }
    out.set(frame, got);
    got += frame.length;
    await conn.sendFrame(u32le(got));
    options.onEvent?.({
      type: "read-progress",
      address,
      done: got,
      total: size,
      rate: bytesPerSecond(got, started),
    });
  }
  const digest = await conn.readFrame(3000);
  if (digest === null || digest.length !== 16) throw fail("read/timeout", "no MD5 after the data");
  if (toHex(digest) !== md5Hex(out)) {
    throw fail("read/md5-mismatch", "the data does not match its MD5");
  }
  return out;
}
