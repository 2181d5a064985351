/**
 * `nodeflash upload FILE... [--to NAME]`: put files on the board, binary-safe, each written
 * under a temporary name, verified on the board and renamed into place.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
import { type LocalFile, readLocalFile, uploadFile } from "../../lua/mod.ts";
import type { Command } from "../command.ts";
import {
  CONSOLE_BAUD_OPTION,
  LUA_OPTIONS,
  luaCommandOptions,
  withLuaSession,
} from "./lua_board.ts";

/** The `upload` command. */
export const uploadCommand: Command = {
  name: "upload",
  aliases: [],
  summary: "put files on the board (verified on the board, renamed into place)",
  usage: "upload FILE... [--to NAME]",
  help: `Examples:
  nodeflash upload -p /dev/ttyUSB0 init.lua app.lua
  nodeflash upload -p /dev/ttyUSB0 build/config.json --to config.json --console-baud 460800

Each file is written under a temporary name, then the board computes its size and digest
(SHA-1 with the crypto and encoder modules, else Adler-32 in Lua) and, only when they match,
renames it into place: a pulled cable never leaves half a file under the real name. Names on
the board have at most 31 bytes.`,
  options: {
    to: { type: "string", valueName: "NAME", description: "the name on the board (one file only)" },
    ...CONSOLE_BAUD_OPTION,
    ...LUA_OPTIONS,
  },
  async run(ctx) {
    const options = luaCommandOptions(ctx);
    if (ctx.positionals.length === 0) {
      throw userError(
        "input/usage",
        "upload needs at least one FILE",
        "Example: nodeflash upload init.lua",
      );
    }
    const to = typeof ctx.options.to === "string" ? ctx.options.to : undefined;
    if (to !== undefined && ctx.positionals.length > 1) {
      throw userError(
        "input/usage",
        "--to renames one file; several were given",
        "Upload them one by one, or drop --to.",
      );
    }
    const files: LocalFile[] = [];
    for (const path of ctx.positionals) {
      files.push(await readLocalFile(path, to === undefined ? {} : { name: to }));
    }
    const dup = files.find((f, i) => files.findIndex((g) => g.name === f.name) !== i);
    if (dup !== undefined) {
      throw userError(
        "input/usage",
        `Two files would both be ${dup.name} on the board`,
        "Give each file a different name.",
      );
    }
    return await withLuaSession(ctx, options, async (session, port) => {
      const done = [];
      for (const f of files) done.push(await uploadFile(session, f, { source: f.path }));
      ctx.out.result({
        ok: true,
        port,
        files: done.map((r) => ({
          name: r.name,
          size: r.size,
          digest: r.digest,
          digestKind: r.digestKind,
          seconds: Number(r.seconds.toFixed(3)),
          bytesPerSecond: Math.round(r.bytesPerSecond),
        })),
      });
      return 0;
    });
  },
};
