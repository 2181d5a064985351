/**
 * `nodeflash read ADDRESS SIZE FILE` (esptool's `read_flash`) and `nodeflash backup FILE` (the
 * whole flash). Reading needs the stub; every read is checked against the stub's MD5.
 *
 * @module
 */

import { hex32 } from "../../protocol/mod.ts";
import { leave, openSession, parseAfter, readFlash, userError } from "../../../mod.ts";
import { sessionOptions, withTransport } from "../board.ts";
import type { Command, CommandContext } from "../command.ts";
import { renderFlashEvents } from "../render.ts";
import {
  checkInsideLargestFlash,
  checkWritableFile,
  parseNumberArg,
  writeUserFile,
} from "../values.ts";

async function readToFile(
  ctx: CommandContext,
  region: { address: number; size: number | "all" },
  file: string,
): Promise<number> {
  // everything that can be checked is checked before the port is opened
  if (ctx.global.noStub) {
    throw userError(
      "input/needs-stub",
      "Reading flash needs the flasher stub: the ESP8266 ROM loader cannot read",
      "Drop --no-stub.",
    );
  }
  const after = parseAfter(ctx.global.after ?? "hard-reset");
  const options = sessionOptions(ctx);
  await checkWritableFile(file);
  const started = performance.now();
  const bytes = await withTransport(ctx, async (transport, port) => {
    const render = renderFlashEvents(ctx.out, { port });
    try {
      const ready = await openSession(transport, { ...options, onEvent: render.onEvent });
      if (ready.session.kind !== "stub") throw new Error("a stub session was expected");
      const flashBytes = ready.size.bytes;
      const size = region.size === "all" ? flashBytes - region.address : region.size;
      if (region.address + size > flashBytes) {
        throw userError(
          "input/past-end",
          `Reading ${size} bytes at ${hex32(region.address)} runs past the end of the flash (${
            hex32(flashBytes)
          })`,
          "Check the address and size.",
        );
      }
      const data = await readFlash(ready.session, { address: region.address, size }, {
        onEvent: render.onEvent,
      });
      await leave(ready.session, after, { onEvent: render.onEvent });
      return data;
    } finally {
      render.close();
    }
  });
  await writeUserFile(file, bytes);
  const seconds = (performance.now() - started) / 1000;
  ctx.out.info(
    `Read ${bytes.length} bytes at ${hex32(region.address)} into ${file} in ${
      seconds.toFixed(1)
    } s (MD5 checked)`,
  );
  ctx.out.result({
    ok: true,
    file,
    address: region.address,
    size: bytes.length,
    seconds: Number(seconds.toFixed(3)),
  });
  return 0;
}

/** The `read` command. */
export const readCommand: Command = {
  name: "read",
  aliases: ["read_flash", "read-flash"],
  summary: "read SIZE bytes of flash at ADDRESS into FILE (SIZE may be 'all')",
  usage: "read ADDRESS SIZE FILE",
  options: {},
  async run(ctx) {
    const p = ctx.positionals;
    if (p.length !== 3) {
      throw userError(
        "input/usage",
        p.length === 2
          ? "read needs a SIZE as well as an ADDRESS and a FILE"
          : "read takes ADDRESS SIZE FILE",
        "Example: nodeflash read 0x0 0x100000 first-mb.bin (or SIZE 'all').",
      );
    }
    const address = parseNumberArg(p[0]!, "address");
    const size = p[1]!.toLowerCase() === "all" ? "all" as const : parseNumberArg(p[1]!, "size");
    if (size === 0) {
      throw userError("input/usage", "The size to read is 0", "Give a size such as 0x1000.");
    }
    checkInsideLargestFlash({ address, size }, "Reading");
    return await readToFile(ctx, { address, size }, p[2]!);
  },
};

/** The `backup` command. */
export const backupCommand: Command = {
  name: "backup",
  aliases: [],
  summary: "read the whole flash into FILE (restore it later with 'restore')",
  usage: "backup FILE",
  options: {},
  async run(ctx) {
    if (ctx.positionals.length !== 1) {
      throw userError(
        "input/usage",
        "backup takes one FILE",
        "Example: nodeflash backup board-a.bin",
      );
    }
    return await readToFile(ctx, { address: 0, size: "all" }, ctx.positionals[0]!);
  },
};
