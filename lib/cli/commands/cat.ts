/**
 * `nodeflash cat NAME [-o FILE]`: a file from the board, binary-safe (sent with `uart.write`)
 * and verified against the board's own digest; to stdout, or to FILE.
 *
 * @module
 */

import { dirname } from "node:path";
import { userError } from "../../../mod.ts";
import { checkFileName, downloadFile } from "../../lua/mod.ts";
import type { Command } from "../command.ts";
import { writeUserFile } from "../values.ts";
import {
  CONSOLE_BAUD_OPTION,
  LUA_OPTIONS,
  luaCommandOptions,
  withLuaSession,
} from "./lua_board.ts";

async function checkOutput(path: string): Promise<void> {
  try {
    if ((await Deno.stat(dirname(path))).isDirectory) return;
  } catch {
    // reported below
  }
  throw userError(
    "output/unwritable-file",
    `Cannot write ${path}: the folder ${dirname(path)} does not exist`,
    "Create it first, or give another path.",
  );
}

/** The `cat` command. */
export const catCommand: Command = {
  name: "cat",
  aliases: ["download"],
  summary: "read a file from the board (to stdout, or -o FILE), verified",
  usage: "cat NAME [-o FILE]",
  options: {
    output: {
      type: "string",
      short: "o",
      valueName: "FILE",
      description: "write it to FILE instead of stdout",
    },
    ...CONSOLE_BAUD_OPTION,
    ...LUA_OPTIONS,
  },
  async run(ctx) {
    const options = luaCommandOptions(ctx);
    if (ctx.positionals.length !== 1) {
      throw userError(
        "input/usage",
        "cat takes one NAME",
        "Example: nodeflash cat init.lua -o init.lua",
      );
    }
    const name = ctx.positionals[0]!;
    checkFileName(name);
    const file = typeof ctx.options.output === "string" ? ctx.options.output : undefined;
    if (file !== undefined) await checkOutput(file);
    return await withLuaSession(ctx, options, async (session, port) => {
      const got = await downloadFile(session, name);
      if (file !== undefined) await writeUserFile(file, got.data);
      else if (!ctx.out.json) ctx.out.raw(new TextDecoder("latin1").decode(got.data));
      ctx.out.result({
        ok: true,
        port,
        name,
        size: got.data.length,
        digest: got.digest,
        ...(file !== undefined ? { file } : {}),
      });
      return 0;
    });
  },
};
