/**
 * What the board is doing after a fault, as a recovery asks it: which loader answers a SYNC
 * (a flasher stub answers with value 0, the ROM with its own), and whether the board restarted
 * behind the host's back (ROM text on the line, a stub's unsolicited `OHAI`, the ROM answering
 * where the stub ran, or bytes heard while nothing answers any more).
 *
 * @module
 */

import type { Connection } from "../protocol/connection.ts";
import { syncOnce } from "../protocol/sync.ts";

/** Which loader answered a SYNC, if any. */
export type Answering = "stub" | "rom" | undefined;

/**
 * Asks whoever listens for a SYNC (first with a lone `C0`, which ends any frame the device was
 * in the middle of receiving), up to twice.
 *
 * @param conn the connection
 * @returns which loader answered, or `undefined` when none did
 */
export async function probeLoader(conn: Connection): Promise<Answering> {
  for (const leadingEnd of [true, false]) {
    const result = await syncOnce(conn, { leadingEnd, firstReplyMs: 300 });
    if (result) return result.stubRunning ? "stub" : "rom";
  }
  return undefined;
}

/** What was seen of the board since the last time the session was known good. */
export interface RestartEvidence {
  /** The loader the session talked to. */
  expected: "stub" | "rom";
  /** Who answered the probe. */
  answering: Answering;
  /** Bytes heard outside frames. */
  heard: Uint8Array;
  /** Unsolicited `OHAI` greetings since. */
  greetings: number;
}

/**
 * Whether the board restarted: its ROM's boot line or a new stub greeting on the line, the ROM
 * answering where a stub ran, or, with nothing answering, bytes that were not frames (the boot
 * text at another rate). Bytes alone do not count while the loader still answers: a damaged
 * frame delimiter turns a frame into such bytes.
 *
 * @param seen what was seen
 * @returns true when the board restarted
 *
 * @example
 * ```ts
 * import { restarted } from "./board_state.ts";
 * import assert from "node:assert/strict";
 * const heard = new TextEncoder().encode(" ets Jan  8 2013,rst cause:1, boot mode:(3,7)");
 * assert.equal(restarted({ expected: "stub", answering: undefined, heard, greetings: 0 }), true);
 * assert.equal(restarted({ expected: "stub", answering: "stub", heard: new Uint8Array(9), greetings: 0 }), false);
 * assert.equal(restarted({ expected: "stub", answering: "rom", heard: new Uint8Array(0), greetings: 0 }), true);
 * ```
 */
export function restarted(seen: RestartEvidence): boolean {
  const text = String.fromCharCode(...seen.heard.subarray(-4096));
  return seen.greetings > 0 || /rst cause:\d|ets Jan\s+8 2013/.test(text) ||
    (seen.expected === "stub" && seen.answering === "rom") ||
    (seen.answering === undefined && seen.heard.length >= 8);
}
