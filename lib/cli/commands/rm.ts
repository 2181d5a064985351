/**
 * `nodeflash rm NAME...`: remove files from the board.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
import { checkFileName, removeFiles } from "../../lua/mod.ts";
import type { Command } from "../command.ts";
import { LUA_OPTIONS, luaCommandOptions, withLuaSession } from "./lua_board.ts";

/** The `rm` command. */
export const rmCommand: Command = {
  name: "rm",
  aliases: ["remove"],
  summary: "remove files from the board",
  usage: "rm NAME...",
  options: { ...LUA_OPTIONS },
  async run(ctx) {
    const options = luaCommandOptions(ctx);
    if (ctx.positionals.length === 0) {
      throw userError("input/usage", "rm needs at least one NAME", "Example: nodeflash rm old.lua");
    }
    for (const name of ctx.positionals) checkFileName(name);
    return await withLuaSession(ctx, options, async (session, port) => {
      const removed = await removeFiles(session, ctx.positionals);
      for (const name of removed) ctx.out.info(`Removed ${name}`);
      ctx.out.result({ ok: true, port, removed });
      return 0;
    });
  },
};
