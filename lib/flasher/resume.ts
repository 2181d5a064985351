/**
 * Where to resume after a fault: how much of a region, from its start, the flash already holds,
 * in whole 4 KiB sectors, asked of the chip by MD5. A write goes in address order, so the right
 * sectors form a prefix; a binary search over sector counts finds its end with a handful of
 * digests, each over the part not yet known to be right. A hint (the bytes the stub had
 * acknowledged) starts the search near the fault.
 *
 * The stub acknowledges a block before writing it, and a brown-out can leave a page half
 * written, so acknowledged is not written: only the chip's digest says what is there.
 *
 * @module
 */

import { SECTOR_SIZE } from "../chip/esp8266.ts";
import type { StubSession } from "../chip/session.ts";
import { flashMd5, md5Hex } from "./md5.ts";

/** Options for {@link matchingPrefix}. */
export interface MatchingPrefixOptions {
  /** Bytes believed to be there (acknowledged); the search starts a little before. */
  hint?: number;
}

/** How far before the hint the first guess goes (two stub blocks and the inflate buffer). */
const HINT_MARGIN = 0x10000;

/**
 * How many bytes at the start of `region` the flash already holds, rounded down to whole
 * sectors (or the whole region).
 *
 * @param session a stub session (MD5 needs the stub)
 * @param region the address (a sector boundary) and the bytes meant to be there
 * @param options a hint where the fault happened
 * @returns bytes from the region's start that need no writing (a multiple of 0x1000, or the
 *   region's length)
 *
 * @example
 * ```ts
 * import { matchingPrefix } from "./resume.ts";
 * import { openSession } from "./open_session.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import assert from "node:assert/strict";
 * const data = new Uint8Array(0x5000).fill(0x5a);
 * const flash = new Uint8Array(4 << 20).fill(0xff);
 * flash.set(data.subarray(0, 0x3000), 0x10000); // three sectors are there already
 * const port = await openSimTransport("sim://", { board: { flashContents: flash } });
 * const { session } = await openSession(port);
 * if (session.kind !== "stub") throw new Error();
 * assert.equal(await matchingPrefix(session, { address: 0x10000, data }), 0x3000);
 * await port.close();
 * ```
 */
export async function matchingPrefix(
  session: StubSession,
  region: { address: number; data: Uint8Array },
  options: MatchingPrefixOptions = {},
): Promise<number> {
  const { data } = region;
  const sectors = Math.ceil(data.length / SECTOR_SIZE);
  const bytes = (n: number) => Math.min(data.length, n * SECTOR_SIZE);
  // right(from, to): sectors [from, to) hold the right bytes, knowing [0, from) does
  const right = async (from: number, to: number) => {
    const start = bytes(from);
    const end = bytes(to);
    const onChip = await flashMd5(session, { address: region.address + start, size: end - start });
    return onChip === md5Hex(data.subarray(start, end));
  };
  if (sectors === 0 || await right(0, sectors)) return data.length;
  let good = 0;
  let bad = sectors;
  if (options.hint !== undefined) {
    const guess = Math.floor(Math.max(0, options.hint - HINT_MARGIN) / SECTOR_SIZE);
    if (guess > 0 && guess < sectors) {
      if (await right(0, guess)) good = guess;
      else bad = guess;
    }
  }
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (await right(good, mid)) good = mid;
    else bad = mid;
  }
  return bytes(good);
}
