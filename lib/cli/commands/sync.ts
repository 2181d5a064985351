/**
 * `nodeflash sync DIR [--delete]`: make the board's files match a folder, uploading only the
 * files whose content differs (the board computes the digests); `--delete` removes the others.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
import { readLocalDir, syncFiles } from "../../lua/mod.ts";
import type { Command } from "../command.ts";
import {
  CONSOLE_BAUD_OPTION,
  LUA_OPTIONS,
  luaCommandOptions,
  withLuaSession,
} from "./lua_board.ts";

/** The `sync` command. */
export const syncCommand: Command = {
  name: "sync",
  aliases: [],
  summary: "upload a folder's changed files to the board (--delete removes the others)",
  usage: "sync DIR [--delete]",
  help: `Example: nodeflash sync -p /dev/ttyUSB0 src --delete

Files in sub-folders get names with '/' (NodeMCU's file system is flat); hidden files are
skipped. A file is uploaded only when the board has none of that name, or its size or digest
differs.`,
  options: {
    delete: { type: "boolean", description: "remove the board's files that are not in DIR" },
    ...CONSOLE_BAUD_OPTION,
    ...LUA_OPTIONS,
  },
  async run(ctx) {
    const options = luaCommandOptions(ctx);
    if (ctx.positionals.length !== 1) {
      throw userError("input/usage", "sync takes one folder", "Example: nodeflash sync src");
    }
    const files = await readLocalDir(ctx.positionals[0]!);
    return await withLuaSession(ctx, options, async (session, port) => {
      const result = await syncFiles(session, files, { delete: ctx.options.delete === true });
      ctx.out.info(
        `Synced ${
          ctx.positionals[0]
        }: ${result.uploaded.length} uploaded, ${result.unchanged.length} unchanged${
          ctx.options.delete === true ? `, ${result.deleted.length} removed` : ""
        }`,
      );
      ctx.out.result({
        ok: true,
        port,
        uploaded: result.uploaded.map((r) => ({ name: r.name, size: r.size, digest: r.digest })),
        unchanged: result.unchanged,
        deleted: result.deleted,
      });
      return 0;
    });
  },
};
