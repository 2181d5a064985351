/**
 * SYNC: the handshake that lets the ROM measure the baud rate. The ESP8266 ROM (and both stubs)
 * answer one SYNC with 8 identical replies; a stub's replies carry value 0, which is how a host
 * notices a stub already running (docs/protocol.md §4.1). A lossy line may lose some replies:
 * one is enough. The request coming back instead of a reply means a console that echoes its
 * input (NodeMCU's, docs/boot-log.md A.7) is listening, not a loader.
 *
 * @module
 */

import type { Connection } from "./connection.ts";
import { Op, SYNC_TIMEOUT_MS } from "./opcodes.ts";
import { decodeResponse, type Response } from "./packet.ts";
import { syncRequest } from "./requests.ts";

/** What one successful SYNC showed. */
export interface SyncResult {
  /** How many replies arrived (8 from a real chip; fewer when the line lost some). */
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
  /**
   * Called for each copy of the SYNC request that comes back while waiting for the first reply
   * (a frame that is not a reply and ends with the request's data): something echoes what it is
   * sent (a firmware console, or a loopback), no loader listens.
   */
  onEcho?: () => void;
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
  const request = syncRequest();
  await conn.send(request);
  let first;
  try {
    first = await firstReply(conn, {
      data: request.data,
      timeoutMs: options.firstReplyMs ?? SYNC_TIMEOUT_MS,
      onEcho: options.onEcho,
    });
  } catch {
    return null;
  }
  if (first === null || first.status.failed) return null;
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

interface FirstReplyWait {
  /** The request's data field, to recognise an echo. */
  data: Uint8Array;
  timeoutMs: number;
  onEcho: (() => void) | undefined;
}

/** Waits for the first SYNC reply, skipping other frames and counting echoes of the request. */
async function firstReply(conn: Connection, wait: FirstReplyWait): Promise<Response | null> {
  const deadline = performance.now() + wait.timeoutMs;
  do {
    const frame = await conn.readFrame(Math.max(0, deadline - performance.now()));
    if (frame === null) return null;
    if (frame[0] !== 0x01 && endsWith(frame, wait.data)) {
      wait.onEcho?.();
      continue;
    }
    const reply = decodeResponse(frame, conn.loader);
    if (reply?.op === Op.SYNC) return reply;
  } while (performance.now() < deadline);
  return null;
}

/**
 * Whether a frame ends with the SYNC data: an echo of the request. Only the data is compared, as
 * a console's line discipline rewrites control bytes in the header (NodeMCU's answers the opcode
 * 0x08, a backspace to it, with `08 20 08`); the data has none.
 */
function endsWith(frame: Uint8Array, tail: Uint8Array): boolean {
  const start = frame.length - tail.length;
  return start >= 0 && tail.every((x, i) => frame[start + i] === x);
}
