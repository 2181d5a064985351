/**
 * Changing the link speed after the stub is running (the ESP8266 ROM cannot): CHANGE_BAUDRATE
 * is answered at the old rate, then both sides switch; the host waits 50 ms and drops whatever
 * arrived in between (docs/protocol.md §10.3).
 *
 * @module
 */

import type { StubSession } from "../chip/session.ts";
import { changeBaudRequest } from "../protocol/requests.ts";

/**
 * Switches the stub and the host to `baud`.
 *
 * @param session a stub session
 * @param baud the new rate
 * @param options sleep (tests)
 */
export async function changeBaud(
  session: StubSession,
  baud: number,
  options: { sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const { conn } = session;
  const current = conn.transport.baudRate;
  if (baud === current) return;
  await conn.command(changeBaudRequest(baud, current));
  await conn.transport.setBaudRate(baud);
  await (options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(50);
  await conn.flushInput();
}
