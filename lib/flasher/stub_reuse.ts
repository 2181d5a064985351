/**
 * Finding a flasher stub left running by an earlier job (`--after no-reset`), before anything
 * resets the board: one SYNC at each rate it may listen at. A stub answers SYNC with value 0
 * (the ROM's replies carry 0x20120707), so a running stub is told apart from the ROM, and the
 * job goes on without a reset, a sync with the ROM or an upload
 * (docs/performance.md#a-stub-left-running).
 *
 * @module
 */

import type { Connection } from "../protocol/connection.ts";
import { syncOnce } from "../protocol/sync.ts";

/** Options for {@link findRunningStub}. */
export interface FindRunningStubOptions {
  /** How long each SYNC waits for its first reply, ms (60: a stub answers at once). */
  timeoutMs?: number;
}

/**
 * Looks for a running stub at each rate in turn.
 *
 * @param conn the connection (its loader becomes `stub` when one is found)
 * @param rates the rates to look at
 * @param options timeout
 * @returns the rate the stub answered at (the transport is left there), or `undefined` (the
 *   transport is back at its rate)
 *
 * @example
 * ```ts
 * import { findRunningStub } from "./stub_reuse.ts";
 * import { Connection } from "../protocol/connection.ts";
 * import { connectSimLink, KNOWN_STUBS, SimBoard } from "../sim/mod.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" });
 * board.startStub(KNOWN_STUBS[1]!); // as if an earlier job had left it running at 115200
 * const link = connectSimLink(board);
 * assert.equal(await findRunningStub(new Connection(link.transport), [921600, 115200]), 115200);
 * await link.transport.close();
 * await board.close();
 * ```
 */
export async function findRunningStub(
  conn: Connection,
  rates: readonly number[],
  options: FindRunningStubOptions = {},
): Promise<number | undefined> {
  const { transport } = conn;
  const original = transport.baudRate;
  const usable = transport.info.kind === "tcp" ? [original] : rates;
  for (const baud of usable) {
    if (transport.baudRate !== baud) await transport.setBaudRate(baud);
    // a frame end first: what arrived at another rate left the stub's decoder mid-frame
    const result = await syncOnce(conn, {
      leadingEnd: true,
      firstReplyMs: options.timeoutMs ?? 60,
      moreRepliesMs: 20,
    });
    if (result?.stubRunning) {
      conn.loader = "stub";
      return baud;
    }
  }
  if (transport.baudRate !== original) await transport.setBaudRate(original);
  await conn.flushInput();
  return undefined;
}
