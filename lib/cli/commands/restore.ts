/**
 * `nodeflash restore FILE`: write a backup made with `backup` back at 0x0, exactly as it was
 * (no header patching, no init data), skipping sectors that already match.
 *
 * @module
 */

import { checkFiles, flash, parseAfter, userError } from "../../../mod.ts";
import { recoveryOptions, sessionOptions, withTransport } from "../board.ts";
import type { Command } from "../command.ts";
import { regionJson, renderFlashEvents } from "../render.ts";
import { checkInsideLargestFlash, readUserFile } from "../values.ts";

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
    // everything is checked before the port is opened: the options, then the file
    const options = sessionOptions(ctx);
    const after = parseAfter(ctx.global.after ?? "hard-reset");
    const name = ctx.positionals[0]!;
    const files = [{ address: 0, name, data: await readUserFile(name) }];
    checkFiles(files);
    checkInsideLargestFlash({ address: 0, size: files[0]!.data.length }, "Restoring");
    return await withTransport(ctx, async (transport, port) => {
      const render = renderFlashEvents(ctx.out, { port });
      try {
        const result = await flash(transport, {
          ...options,
          ...recoveryOptions(ctx, transport),
          files,
          flashSize: "keep",
          diff: ctx.options["no-diff"] === true ? "off" : "auto",
          after,
          onEvent: render.onEvent,
        });
        ctx.out.result({
          ok: true,
          recoveries: result.recoveries,
          regions: result.regions.map(regionJson),
        });
        return 0;
      } finally {
        render.close();
      }
    });
  },
};
