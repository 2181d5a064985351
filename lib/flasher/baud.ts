/**
 * Changing the link speed after the stub is running (the ESP8266 ROM cannot): CHANGE_BAUDRATE
 * is answered at the old rate, then both sides switch (docs/protocol.md §10.3). Instead of a
 * fixed pause for the stub to switch, the host asks a question at the new rate until it gets an
 * answer: that is as soon as the link works, and it proves the link works (a USB bridge that
 * cannot do the rate, or a rate the stub's divider misses, gives no answer).
 *
 * @module
 */

import type { StubSession } from "../chip/session.ts";
import { isNodeflashError } from "../errors.ts";
import type { Connection } from "../protocol/connection.ts";
import { changeBaudRequest, readRegRequest } from "../protocol/requests.ts";

/** Options for {@link changeBaud}. */
export interface ChangeBaudOptions {
  /** Questions asked at the new rate before giving up (3). */
  tries?: number;
  /** How long each waits for its answer, ms (100). */
  timeoutMs?: number;
}

/**
 * Switches the stub and the host to `baud`, and checks the link at the new rate.
 *
 * @param session a stub session
 * @param baud the new rate
 * @param options how hard to check
 * @returns whether the board answers at the new rate (when not, both sides stay at it: only a
 *   reset brings the board back)
 *
 * @example
 * ```ts
 * import { changeBaud } from "./baud.ts";
 * import { connectSimLink, SimBoard } from "../sim/mod.ts";
 * import { openSession } from "./open_session.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard();
 * const link = connectSimLink(board);
 * const { session } = await openSession(link.transport, { baud: 115200 });
 * assert.equal(session.kind, "stub");
 * if (session.kind === "stub") assert.equal(await changeBaud(session, 921600), true);
 * assert.equal(link.transport.baudRate, 921600);
 * await link.transport.close();
 * await board.close();
 * ```
 */
export async function changeBaud(
  session: StubSession,
  baud: number,
  options: ChangeBaudOptions = {},
): Promise<boolean> {
  const { conn } = session;
  const current = conn.transport.baudRate;
  if (baud === current) return true;
  await conn.command(changeBaudRequest(baud, current));
  await conn.transport.setBaudRate(baud);
  return await answers(conn, options);
}

/**
 * Whether the board answers a register read on the link as it is now, asking up to `tries`
 * times (each after a frame end, so bytes the board misheard are thrown away).
 *
 * @param conn the connection
 * @param options tries and timeout
 * @returns whether an answer came
 */
export async function answers(conn: Connection, options: ChangeBaudOptions = {}): Promise<boolean> {
  const tries = options.tries ?? 3;
  for (let i = 0; i < tries; i++) {
    await conn.flushInput();
    if (i > 0) await conn.resync();
    try {
      // any reply counts, even a refusal: it came back at this rate
      await conn.command(readRegRequest(CHIP_MAGIC_REGISTER), {
        timeoutMs: options.timeoutMs ?? 100,
        check: false,
      });
      return true;
    } catch (e) {
      if (!isNodeflashError(e)) throw e;
    }
  }
  return false;
}

/** A register every ESP8266 answers (the ROM's chip magic). */
const CHIP_MAGIC_REGISTER = 0x40001000;
