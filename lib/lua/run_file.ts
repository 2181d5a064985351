/**
 * Running a Lua file on the board (`dofile` inside `pcall`), its output streamed as it comes;
 * the end is a marker line carrying a random number that the typed line does not contain, so
 * neither the echo nor the program's own output can fake it. A Lua error is a failure with the
 * board's message; a restart or crash on the way is a failure with the console line that shows
 * it (the session then waits for the prompt again).
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";
import { callFailed, watchConsole } from "./console_watch.ts";
import { checkFileName } from "./file_name.ts";
import { luaQuote } from "./lua_literal.ts";
import type { LuaSession } from "./lua_session.ts";

/** What a run did. */
export interface RunResult {
  /** The file. */
  name: string;
  /** Everything it printed (CR LF turned into LF). */
  output: string;
  /** Seconds it ran. */
  seconds: number;
}

/** Options for {@link runFile}. */
export interface RunOptions {
  /** How long it may run (5 minutes by default). */
  timeoutMs?: number;
}

/**
 * A random tag for marker lines.
 *
 * @returns six digits
 */
export function markerTag(): string {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return String(100000 + (n! % 900000));
}

/**
 * Runs a file that is on the board.
 *
 * @param session the Lua session
 * @param name the file on the board
 * @param options how long it may run
 * @returns its output
 * @throws `lua/no-such-file` (user) when the board has no such file; `lua/run-error` with the
 *   Lua error; `lua/restarted` when the board restarted or
 *   crashed; `lua/timeout` when it did not finish in time
 *
 * @example
 * ```ts
 * import { openLuaSession, runFile, uploadFile } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * await uploadFile(session, { name: "hello.lua", data: new TextEncoder().encode('print("hi")\n') });
 * assert.equal((await runFile(session, "hello.lua")).output, "hi\n");
 * session.close();
 * await port.close();
 * ```
 */
export async function runFile(
  session: LuaSession,
  name: string,
  options: RunOptions = {},
): Promise<RunResult> {
  checkFileName(name);
  await session.helpers("run");
  const tag = markerTag();
  const marker = new RegExp(`(?:^|\\n)nf\\|${tag}\\|(ok|err|none)\\t([^\\n]*)\\n`);
  const t0 = performance.now();
  await session.repl.sendLine(`__nfx(${luaQuote(name)},${tag})`);
  const end = await watchConsole(session.repl, {
    timeoutMs: options.timeoutMs ?? 300_000,
    done: (text) => marker.test(text) || callFailed(text),
    onLines: (text) => session.repl.onEvent({ type: "output", text }),
    hide: `nf|${tag}|`,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (end.kind === "done") {
    const m = marker.exec(end.text);
    if (m === null) {
      const words = end.text.replace(/\n?> $/, "").trim();
      throw deviceError(
        "lua/run-error",
        `Running ${name} failed on ${session.url}: ${words}`,
        "Check that the firmware has dofile and pcall (any NodeMCU does).",
      );
    }
    // the prompt after the marker may have come in the same chunk
    const after = end.text.slice(m.index + m[0].length);
    if (!/(?:^|\n)> /.test(after)) await session.repl.readToPrompt();
    const output = end.text.slice(0, m.index + (m[0].startsWith("\n") ? 1 : 0));
    if (m[1] === "none") {
      throw userError(
        "lua/no-such-file",
        `${name} is not on the board ${session.url}`,
        "nodeflash files lists what is there; nodeflash upload puts a file on the board.",
        { details: { name } },
      );
    }
    if (m[1] === "err") {
      throw deviceError(
        "lua/run-error",
        `${name} failed on ${session.url}: ${m[2]}`,
        `Fix the Lua error in ${name}.`,
        {
          details: { name, error: m[2], output },
        },
      );
    }
    return { name, output, seconds };
  }
  if (end.kind === "restart") {
    session.repl.onEvent({ type: "restart", evidence: end.evidence });
    await session.awaitPrompt("none");
    throw deviceError(
      "lua/restarted",
      `The board on ${session.url} restarted while running ${name} (${end.evidence})`,
      "A Lua PANIC, node.restart() or a watchdog reset (a loop that never yields) restarts the board; look at the output above.",
      { details: { name, evidence: end.evidence, output: end.text.slice(-2000) } },
    );
  }
  await session.restart();
  throw deviceError(
    "lua/timeout",
    `${name} did not finish on ${session.url} within ${
      Math.round((options.timeoutMs ?? 300_000) / 1000)
    } s; the board was restarted`,
    "Give it more time with --timeout, or look for a loop that never ends.",
    { details: { name, output: end.text.slice(-2000) } },
  );
}
