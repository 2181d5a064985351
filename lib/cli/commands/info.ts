/**
 * `nodeflash info` (esptool's `chip_id`, `flash_id`, `read_mac`): which chip, its MAC, crystal,
 * flash id and size. Talks to the ROM loader only (no stub upload needed).
 *
 * @module
 */

import { leave, openSession, parseAfter } from "../../../mod.ts";
import { sessionOptions, withTransport } from "../board.ts";
import type { Command } from "../command.ts";
import { renderFlashEvents } from "../render.ts";

/** The `info` command. */
export const infoCommand: Command = {
  name: "info",
  aliases: ["chip_id", "chip-id", "flash_id", "flash-id", "read_mac", "read-mac"],
  summary: "identify the board: chip, MAC, crystal, flash id and size",
  usage: "info",
  options: {},
  async run(ctx) {
    // the options are checked before the port is opened
    const after = parseAfter(ctx.global.after ?? "hard-reset");
    const options = sessionOptions(ctx);
    return await withTransport(ctx, async (transport, port) => {
      const render = renderFlashEvents(ctx.out, { port });
      try {
        const ready = await openSession(transport, {
          ...options,
          loader: "rom",
          baud: transport.baudRate,
          onEvent: (e) => {
            if (e.type !== "chip" && e.type !== "flash") render.onEvent(e);
          },
        });
        await leave(ready.session, after, { onEvent: render.onEvent });
        const { chip } = ready.session;
        const id = ready.flash.jedecId.toString(16).padStart(6, "0");
        ctx.out.print([
          `Chip: ${chip.description} (${chip.features.join(", ")})`,
          `MAC: ${chip.mac}`,
          `Chip id: 0x${chip.chipId.toString(16).padStart(8, "0")}`,
          `Crystal: ${chip.crystalMhz} MHz`,
          `Flash id: 0x${id} (manufacturer 0x${
            ready.flash.manufacturer.toString(16).padStart(2, "0")
          }, device 0x${ready.flash.device.toString(16).padStart(4, "0")})`,
          `Flash size: ${ready.size.name} (${ready.sizeSource})`,
        ].join("\n"));
        ctx.out.result({
          ok: true,
          port,
          chip: chip.description,
          variant: chip.variant,
          features: chip.features,
          mac: chip.mac,
          chipId: chip.chipId,
          crystalMhz: chip.crystalMhz,
          flashId: ready.flash.jedecId,
          flashSize: ready.size.name,
          flashSizeBytes: ready.size.bytes,
        });
        return 0;
      } finally {
        render.close();
      }
    });
  },
};
