/**
 * Moving the console to a faster rate for a transfer and back: `uart.setup(0, baud, 8, 0, 1, 1)`
 * (8N1, echo on; the firmware waits for its TX FIFO to empty before it switches, so the line's
 * echo still comes at the old rate), then the host follows and an empty line must bring a clean
 * prompt at the new rate. Back to the old rate at the end, also after a failure.
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";
import type { LuaSession } from "./lua_session.ts";

/** The rates NodeMCU's `uart.setup` accepts (docs/lua-side.md#the-uart-from-lua). */
export const CONSOLE_BAUDS: readonly number[] = [
  300,
  600,
  1200,
  2400,
  4800,
  9600,
  19200,
  38400,
  57600,
  74880,
  115200,
  230400,
  256000,
  460800,
  921600,
  1843200,
  3686400,
];

/** Tries of the empty line at the new rate. */
const TRIES = 3;
/** How long each try waits for the prompt. */
const TRY_MS = 400;

/**
 * Checks a console rate before any byte is sent.
 *
 * @param baud the rate asked for
 * @throws `lua/bad-console-baud` (user) when NodeMCU cannot do it
 *
 * @example
 * ```ts
 * import { checkConsoleBaud } from "./console_baud.ts";
 * import assert from "node:assert/strict";
 * checkConsoleBaud(460800);
 * assert.throws(() => checkConsoleBaud(500000), /cannot run at 500000/);
 * ```
 */
export function checkConsoleBaud(baud: number): void {
  if (!CONSOLE_BAUDS.includes(baud)) {
    throw userError(
      "lua/bad-console-baud",
      `NodeMCU's console cannot run at ${baud} baud`,
      `Use one of ${CONSOLE_BAUDS.filter((b) => b >= 9600).join(", ")}.`,
    );
  }
}

async function promptAt(session: LuaSession): Promise<boolean> {
  const repl = session.repl;
  for (let i = 0; i < TRIES; i++) {
    repl.drop();
    await repl.write(new Uint8Array([0x0a]));
    const deadline = performance.now() + TRY_MS;
    while (performance.now() < deadline) {
      const text = String.fromCharCode(...repl.pending.subarray(-4));
      if (text.endsWith("\r\n> ")) {
        repl.drop();
        return true;
      }
      await repl.pull(deadline - performance.now());
    }
  }
  return false;
}

/**
 * Switches the console (both ends) to another rate.
 *
 * @param session the Lua session, at the prompt
 * @param baud the new rate (see {@link CONSOLE_BAUDS})
 * @param reason for the event
 * @throws `lua/console-baud` when the board does not answer at the new rate (the host goes
 *   back to the old rate and checks the board is still there)
 */
export async function switchConsoleBaud(
  session: LuaSession,
  baud: number,
  reason = "faster transfers",
): Promise<void> {
  checkConsoleBaud(baud);
  const transport = session.repl.transport;
  const old = transport.baudRate;
  if (old === baud) return;
  await session.repl.sendLine(`uart.setup(0,${baud},8,0,1,1)`);
  await transport.setBaudRate(baud);
  if (await promptAt(session)) {
    session.repl.onEvent({ type: "console-baud", baud, reason });
    return;
  }
  await transport.setBaudRate(old);
  const back = await promptAt(session);
  throw deviceError(
    "lua/console-baud",
    `The board on ${session.url} did not answer at ${baud} baud${
      back ? ` (it still answers at ${old})` : ""
    }`,
    "Use a lower --console-baud: some USB bridges and cables cannot carry the faster rates.",
  );
}

/**
 * Runs `fn` with the console at `baud`, and moves it back to the rate it had afterwards, even
 * when `fn` fails (then `fn`'s error wins over a failure to switch back).
 *
 * @param session the Lua session
 * @param baud the rate for `fn`, or `undefined` to stay
 * @param fn the work
 * @returns what `fn` returns
 *
 * @example
 * ```ts
 * import { openLuaSession, uploadFile, withConsoleBaud } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * const data = new Uint8Array(2048).map((_, i) => i & 0xff);
 * const r = await withConsoleBaud(session, 460800, () => uploadFile(session, { name: "b.bin", data }));
 * assert.equal(r.size, 2048);
 * assert.equal(port.baudRate, 115200);
 * session.close();
 * await port.close();
 * ```
 */
export async function withConsoleBaud<T>(
  session: LuaSession,
  baud: number | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const old = session.repl.transport.baudRate;
  if (baud === undefined || baud === old) return await fn();
  await switchConsoleBaud(session, baud);
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await switchConsoleBaud(session, old, "back to the console's rate").catch(() => {});
    throw error;
  }
  await switchConsoleBaud(session, old, "back to the console's rate");
  return result;
}
