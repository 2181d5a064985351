/**
 * `nodeflash run NAME`: run a Lua file that is on the board (`dofile`), its output streamed to
 * stdout; a Lua error, a restart or the timeout exits 1.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
import { checkFileName, runFile } from "../../lua/mod.ts";
import type { Command } from "../command.ts";
import { LUA_OPTIONS, luaCommandOptions, withLuaSession } from "./lua_board.ts";
import { parseTimeout } from "./test.ts";

/** The `run` command. */
export const runCommand: Command = {
  name: "run",
  aliases: ["dofile"],
  summary: "run a Lua file on the board, its output streamed",
  usage: "run NAME [--timeout S]",
  help: "Example: nodeflash upload hello.lua && nodeflash run hello.lua",
  options: {
    timeout: {
      type: "string",
      valueName: "SECONDS",
      description: "how long it may run (default 300)",
    },
    ...LUA_OPTIONS,
  },
  async run(ctx) {
    const options = luaCommandOptions(ctx);
    if (ctx.positionals.length !== 1) {
      throw userError(
        "input/usage",
        "run takes one NAME (a file on the board)",
        "Example: nodeflash run hello.lua",
      );
    }
    const name = ctx.positionals[0]!;
    checkFileName(name);
    const timeoutMs = parseTimeout(ctx, 300);
    return await withLuaSession(ctx, { ...options, output: "stdout" }, async (session, port) => {
      const result = await runFile(session, name, { timeoutMs });
      ctx.out.result({ ok: true, port, name, seconds: Number(result.seconds.toFixed(3)) });
      return 0;
    });
  },
};
