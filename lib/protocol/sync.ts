/**
 * SYNC: the handshake that lets the ROM measure the baud rate. The ESP8266 ROM (and both stubs)
 * answer one SYNC with 8 identical replies; a stub's replies carry value 0, which is how a host
 * notices a stub already running (docs/protocol.md §4.1).
 *
 * @module
 */

import type { Connection } from "./connection.ts";
import { Op, SYNC_TIMEOUT_MS } from "./opcodes.ts";
import { syncRequest } from "./requests.ts";

/** What one successful SYNC showed. */
export interface SyncResult {
  /** How many replies arrived (8 from a real chip). */
  replies: number;
  /** Every reply carried value 0: a flasher stub, not the ROM, is answering. */
  stubRunning: boolean;
}

/** Options for {@link syncOnce}. */
export interface SyncOptions {
  /** Wait for the first reply (esptool: 100 ms). */
  firstReplyMs?: number;
  /** Wait for each further reply (the ROM sends them back to back). */
  moreRepliesMs?: number;
  /**
   * Send a lone `C0` first. A device left in the middle of a frame (a write cut off, no reset
   * possible) then starts clean; a decoder that toggles on every `C0` (the legacy stub's) is
   * realigned by alternating tries with and without it.
   */
  leadingEnd?: boolean;
}

/**
 * Sends one SYNC after flushing the input, and collects its replies.
 *
 * @param conn the connection
 * @param options timeouts
 * @returns the result, or `null` when no reply came
 *
 * @example
 * ```ts
 * import { syncOnce } from "./sync.ts";
 * import { Connection } from "./connection.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import { slipEncode } from "../bytes/slip.ts";
 * import { fromHex } from "../bytes/hex.ts";
 * import assert from "node:assert/strict";
 * const reply = slipEncode(fromHex("01 08 02 00 07 07 12 20 00 00"));
 * const link = createMemoryLink({ receive: () => { for (let i = 0; i < 8; i++) link.deliver(reply); } });
 * const result = await syncOnce(new Connection(link.transport));
 * assert.deepEqual(result, { replies: 8, stubRunning: false });
 * await link.transport.close();
 * ```
 */
export async function syncOnce(
  conn: Connection,
  options: SyncOptions = {},
): Promise<SyncResult | null> {
  await conn.flushInput();
  if (options.leadingEnd) await conn.resync();
  await conn.send(syncRequest());
  let first;
  try {
    first = await conn.waitReply(Op.SYNC, options.firstReplyMs ?? SYNC_TIMEOUT_MS);
  } catch {
    return null;
  }
  if (first.status.failed) return null;
  let replies = 1;
  let allZero = first.value === 0;
  for (; replies < 8; replies++) {
    try {
      const more = await conn.waitReply(Op.SYNC, options.moreRepliesMs ?? SYNC_TIMEOUT_MS);
      allZero &&= more.value === 0;
    } catch {
      break;
    }
  }
  return { replies, stubRunning: allZero };
}
