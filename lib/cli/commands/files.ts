/**
 * `nodeflash files`: the board's files with their sizes, and the file system's usage.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
import { listFiles } from "../../lua/mod.ts";
import type { Command } from "../command.ts";
import { LUA_OPTIONS, luaCommandOptions, withLuaSession } from "./lua_board.ts";

/** The `files` command. */
export const filesCommand: Command = {
  name: "files",
  aliases: ["ls"],
  summary: "list the files on the board with their sizes",
  usage: "files",
  options: { ...LUA_OPTIONS },
  async run(ctx) {
    const options = luaCommandOptions(ctx);
    if (ctx.positionals.length > 0) {
      throw userError(
        "input/usage",
        "files takes no arguments",
        "Run: nodeflash files --port PORT",
      );
    }
    return await withLuaSession(ctx, options, async (session, port) => {
      const listing = await listFiles(session);
      const width = Math.max(4, ...listing.files.map((f) => String(f.size).length));
      for (const f of listing.files) ctx.out.print(`${String(f.size).padStart(width)}  ${f.name}`);
      if (listing.fs) {
        ctx.out.print(
          `${listing.files.length} files; ${listing.fs.used} of ${listing.fs.total} bytes used, ${listing.fs.free} free`,
        );
      }
      ctx.out.result({
        ok: true,
        port,
        files: listing.files,
        ...(listing.fs ? { fs: listing.fs } : {}),
      });
      return 0;
    });
  },
};
