/**
 * Syncing at the fastest rate that answers. The ESP8266 ROM has no CHANGE_BAUDRATE, but it
 * measures the host's rate on SYNC, so a host that syncs at 460800 talks to the ROM at 460800
 * from then on: the flasher stub uploads four times faster than at 115200, and `--no-stub`
 * writes at that rate. Not every ROM and USB bridge manage it (docs/performance.md#rom-autobaud):
 * each rate gets a couple of SYNCs, then the next, down to the last (115200), which gets the usual
 * number. A stub left running answers the same SYNC (with value 0) at the rate it listens at.
 *
 * @module
 */

import type { Connection } from "../protocol/connection.ts";
import { syncOnce, type SyncResult } from "../protocol/sync.ts";

/** Options for {@link syncAtRates}. */
export interface SyncAtRatesOptions {
  /** SYNCs at each rate but the last (2). */
  triesFast?: number;
  /** SYNCs at the last rate (5, as esptool). */
  triesLast?: number;
  /** Called after each SYNC with what arrived outside frames (for the no-sync diagnosis). */
  onGarbage?: (bytes: Uint8Array) => void;
  /** Counts echoes of the request (a firmware console, not a loader, is listening). */
  onEcho?: () => void;
  /** Sleep between failed SYNCs (50 ms, as esptool). */
  sleep?: (ms: number) => Promise<void>;
  /** Cancels. */
  signal?: AbortSignal;
}

/** A SYNC that was answered, and the rate it was answered at. */
export interface SyncedAt extends SyncResult {
  /** The rate the transport is left at. */
  baud: number;
  /** The faster rates that got no answer. */
  failed: number[];
}

/**
 * Sends SYNC at each rate in turn until one is answered; the transport is left at that rate.
 * A transport that cannot change its rate (raw TCP) syncs at the rate it has.
 *
 * @param conn the connection
 * @param rates fastest first; the last is the fallback
 * @param options tries per rate, hooks
 * @returns the answer and its rate, or `null` when none came (the transport is left at the
 *   last rate)
 *
 * @example
 * ```ts
 * import { syncAtRates } from "./fast_sync.ts";
 * import { Connection } from "../protocol/connection.ts";
 * import { connectSimLink, SimBoard } from "../sim/mod.ts";
 * import assert from "node:assert/strict";
 * // a board whose ROM only syncs at 115200
 * const board = new SimBoard({ bootMode: "download", romAutobaudMaxBaud: 115200 });
 * const link = connectSimLink(board);
 * const synced = await syncAtRates(new Connection(link.transport), [460800, 115200]);
 * assert.deepEqual([synced?.baud, synced?.failed], [115200, [460800]]);
 * await link.transport.close();
 * await board.close();
 * ```
 */
export async function syncAtRates(
  conn: Connection,
  rates: readonly number[],
  options: SyncAtRatesOptions = {},
): Promise<SyncedAt | null> {
  const { transport } = conn;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const usable = transport.info.kind === "tcp" ? [transport.baudRate] : rates;
  const failed: number[] = [];
  for (let r = 0; r < usable.length; r++) {
    const baud = usable[r]!;
    const last = r === usable.length - 1;
    if (transport.baudRate !== baud) await transport.setBaudRate(baud);
    const tries = last ? options.triesLast ?? 5 : options.triesFast ?? 2;
    for (let i = 0; i < tries; i++) {
      options.signal?.throwIfAborted();
      const result = await syncOnce(conn, {
        leadingEnd: i % 2 === 1,
        ...(options.onEcho ? { onEcho: options.onEcho } : {}),
      });
      options.onGarbage?.(conn.takeGarbage());
      if (result) return { ...result, baud, failed };
      if (!last || i < tries - 1) await sleep(50);
    }
    if (!last) failed.push(baud);
  }
  return null;
}

/**
 * After a reset into download mode: waits until the ROM has started, which its boot message
 * shows (at 74880 baud it arrives as noise at any other rate: any bytes will do), and until the
 * message is over, instead of sending a first SYNC the chip cannot hear yet. Gives up waiting
 * after `firstMs` (a board whose message does not reach the host) and syncs anyway.
 *
 * @param conn the connection
 * @param options how long to wait for the first bytes (100 ms) and for a pause after them (5 ms,
 *   at most 30 ms in all)
 * @returns whether the boot message was heard
 */
export async function awaitLoaderStart(
  conn: Connection,
  options: { firstMs?: number; quietMs?: number } = {},
): Promise<boolean> {
  if (!(await conn.waitForInput(options.firstMs ?? 100))) return false;
  const until = performance.now() + 30;
  while (performance.now() < until && await conn.waitForInput(options.quietMs ?? 5)) {
    // the message is still arriving
  }
  return true;
}
