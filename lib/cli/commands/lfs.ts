/**
 * `nodeflash lfs IMAGE`: put a Lua Flash Store image (built by `luac.cross -f`) on the board,
 * reload it, wait through the restart(s) and confirm the firmware loaded it.
 *
 * @module
 */

import { basename } from "node:path";
import { userError } from "../../../mod.ts";
import { loadLfs, readLocalFile } from "../../lua/mod.ts";
import type { Command } from "../command.ts";
import {
  CONSOLE_BAUD_OPTION,
  LUA_OPTIONS,
  luaCommandOptions,
  withLuaSession,
} from "./lua_board.ts";

/** The `lfs` command. */
export const lfsCommand: Command = {
  name: "lfs",
  aliases: [],
  summary: "load a Lua Flash Store image (luac.cross -f) and confirm it is loaded",
  usage: "lfs IMAGE [--name NAME]",
  help: `Example: luac.cross -f -o lfs.img *.lua && nodeflash lfs -p /dev/ttyUSB0 lfs.img

The image is uploaded as a file (verified), then node.LFS.reload (node.flashreload on older
firmware) loads it; nodeflash waits through the restart(s) and lists the modules now in LFS.`,
  options: {
    name: {
      type: "string",
      valueName: "NAME",
      description: "the image's file name on the board (default: IMAGE's name)",
    },
    ...CONSOLE_BAUD_OPTION,
    ...LUA_OPTIONS,
  },
  async run(ctx) {
    const options = luaCommandOptions(ctx);
    if (ctx.positionals.length !== 1) {
      throw userError("input/usage", "lfs takes one IMAGE", "Example: nodeflash lfs lfs.img");
    }
    const path = ctx.positionals[0]!;
    const name = typeof ctx.options.name === "string" ? ctx.options.name : basename(path);
    const image = await readLocalFile(path, { name });
    if (image.data.length === 0) {
      throw userError(
        "lua/not-lfs-image",
        `${path} is empty`,
        "Build the image with luac.cross -f.",
      );
    }
    return await withLuaSession(ctx, options, async (session, port) => {
      const result = await loadLfs(session, image);
      ctx.out.info(
        `LFS loaded from ${name}: ${
          result.modules?.join(", ") ?? "(the firmware cannot list its modules)"
        }`,
      );
      ctx.out.result({
        ok: true,
        port,
        name,
        size: result.size,
        modules: result.modules,
        messages: result.messages,
      });
      return 0;
    });
  },
};
