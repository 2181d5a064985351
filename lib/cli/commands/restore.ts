/**
 * `nodeflash restore FILE`: write a backup made with `backup` back at 0x0, exactly as it was
 * (no header patching, no init data), skipping sectors that already match.
 *
 * @module
 */

import { flash, parseAfter, userError } from "../../../mod.ts";
import { sessionOptions, withTransport } from "../board.ts";
import type { Command } from "../command.ts";
import { regionJson, renderFlashEvents } from "../render.ts";
import { readUserFile } from "../values.ts";

/** The `restore` command. */
export const restoreCommand: Command = {
  name: "restore",
  aliases: [],
  summary: "write a whole-flash backup back, unchanged",
  usage: "restore FILE",
  options: {
    "no-diff": {
      type: "boolean",
      description: "write everything, even sectors that already match",
    },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) {
      throw userError(
        "input/usage",
        "restore takes one FILE",
        "Example: nodeflash restore board-a.bin",
      );
    }
    const name = ctx.positionals[0]!;
    const data = await readUserFile(name);
    return await withTransport(ctx, async (transport, port) => {
      const render = renderFlashEvents(ctx.out, { port });
      try {
        const result = await flash(transport, {
          ...sessionOptions(ctx),
          files: [{ address: 0, name, data }],
          flashSize: "keep",
          diff: ctx.options["no-diff"] === true ? "off" : "auto",
          after: parseAfter(ctx.global.after ?? "hard-reset"),
          onEvent: render.onEvent,
        });
        ctx.out.result({
          ok: true,
          regions: result.regions.map(regionJson),
        });
        return 0;
      } finally {
        render.close();
      }
    });
  },
};
