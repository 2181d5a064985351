/**
 * What a passing smoke test still has to say: a Lua error the board printed on its way to the
 * prompt (lua_errors.ts). NodeMCU runs `init.lua` in a protected call and reaches its prompt
 * after printing the error (every version: `lua: …` before 2020's front end, the bare message
 * and traceback on 3.x), so the firmware works and the test passes; the error is a warning,
 * `smoke/init-lua-failed`, naming it. An error that restarts the board (a `PANIC` in a
 * callback, or a callback's traceback and NodeMCU 3.x's restart) is a failure instead
 * (diagnose.ts, `smoke/init-lua-error`). Pure.
 *
 * @module
 */

import { seeTroubleshooting } from "../errors.ts";
import type { BootLog } from "./boot_log.ts";
import type { Diagnosis } from "./diagnose.ts";

/**
 * The warnings for a boot that reached a working prompt.
 *
 * @param log the parsed capture
 * @param context the port, named in messages
 * @returns one warning per Lua error printed (none for a clean boot)
 *
 * @example
 * ```ts
 * import { bootWarnings } from "./boot_warnings.ts";
 * import { parseBootLog } from "./boot_log.ts";
 * import assert from "node:assert/strict";
 * const log = parseBootLog("lua: init.lua:1: '=' expected near 'x'\r\n> ");
 * const [w] = bootWarnings(log, { url: "/dev/ttyUSB0" });
 * assert.equal(w?.code, "smoke/init-lua-failed");
 * assert.match(w?.message ?? "", /init\.lua failed: init\.lua:1: '=' expected near 'x'/);
 * ```
 */
export function bootWarnings(log: BootLog, context: { url: string }): Diagnosis[] {
  const firstPrompt = log.prompts.find((p) => p > (log.banners.at(-1)?.at ?? -1));
  return log.luaErrors.map((e) => {
    const what = firstPrompt === undefined || e.at < firstPrompt
      ? "init.lua failed"
      : "a Lua callback (set up by init.lua) failed";
    return {
      code: "smoke/init-lua-failed",
      message: `NodeMCU on ${context.url} reached its Lua prompt, but ${what}: ${e.message}`,
      hint:
        `Fix init.lua (the message names the file and line); the prompt works, so the file can be replaced or removed (file.remove("init.lua")). ${
          seeTroubleshooting("smoke/init-lua-failed")
        }`,
      evidence: e.message,
    };
  });
}
