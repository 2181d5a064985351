/**
 * `nodeflash smoke`: reset the board into its firmware and check that NodeMCU boots to a Lua
 * prompt that computes an answer; when it does not, say why. Exits 1 when the check fails.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
import { withTransport } from "../board.ts";
import type { Command } from "../command.ts";
import { checkSmokeOptions, openSmokeLog, runSmoke, SMOKE_OPTIONS } from "./smoke_options.ts";

const { smoke: _flashOnly, ...options } = SMOKE_OPTIONS;

/** The `smoke` command. */
export const smokeCommand: Command = {
  name: "smoke",
  aliases: ["smoke-test"],
  summary: "reset the board and check that NodeMCU reaches its Lua prompt",
  usage: "smoke [--lua CODE --expect REGEX] [--log FILE]",
  help: `Example: nodeflash smoke -p /dev/ttyUSB0 --lua 'print(node.chipid())' --expect '^\\d+$'`,
  options,
  async run(ctx) {
    if (ctx.positionals.length > 0) {
      throw userError(
        "input/usage",
        "smoke takes no arguments",
        "Run: nodeflash smoke --port PORT",
      );
    }
    const smokeOptions = checkSmokeOptions(ctx);
    const log = openSmokeLog(ctx); // before the port: a bad path touches no board
    try {
      return await withTransport(ctx, async (transport, port) => {
        const outcome = await runSmoke(ctx, transport, { options: smokeOptions, log });
        ctx.out.result({ port, ...outcome.json });
        return outcome.ok ? 0 : 1;
      });
    } finally {
      log?.close();
    }
  },
};
