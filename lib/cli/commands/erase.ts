/**
 * `nodeflash erase` (esptool's `erase_flash`) and `nodeflash erase-region ADDRESS SIZE`
 * (`erase_region`). Both need the flasher stub. Erasing the whole chip removes NodeMCU's
 * filesystem (the Lua files) too; the command says so first.
 *
 * @module
 */

import {
  type AfterReset,
  checkEraseRegion,
  eraseChip,
  eraseRegion,
  leave,
  openSession,
  type OpenSessionOptions,
  parseAfter,
  type Session,
  type StubSession,
  userError,
} from "../../../mod.ts";
import type { FlashSizeRow } from "../../image/mod.ts";
import { hex32 } from "../../protocol/mod.ts";
import { sessionOptions, withTransport } from "../board.ts";
import type { Command, CommandContext } from "../command.ts";
import { renderFlashEvents } from "../render.ts";
import { checkInsideLargestFlash, parseNumberArg } from "../values.ts";

function requireStub(ctx: CommandContext, what: string): void {
  if (ctx.global.noStub) {
    throw userError(
      "input/needs-stub",
      `${what} needs the flasher stub: the ESP8266 ROM loader cannot erase on its own`,
      "Drop --no-stub.",
    );
  }
}

/** What an erase needs from the command line, all checked before the port is opened. */
interface EraseSetup {
  session: OpenSessionOptions;
  after: AfterReset;
}

/** Checks the global options an erase uses: the stub, `--before`, `--after`. */
function eraseSetup(ctx: CommandContext, what: string): EraseSetup {
  requireStub(ctx, what);
  return { after: parseAfter(ctx.global.after ?? "hard-reset"), session: sessionOptions(ctx) };
}

/** Connects, runs `work` on the stub session, resets as asked. */
async function withStub(
  ctx: CommandContext,
  setup: EraseSetup,
  work: (
    session: StubSession,
    flashSize: FlashSizeRow,
    emit: ReturnType<typeof renderFlashEvents>["onEvent"],
  ) => Promise<void>,
): Promise<void> {
  const { after } = setup;
  await withTransport(ctx, async (transport, port) => {
    const render = renderFlashEvents(ctx.out, { port });
    try {
      const ready = await openSession(transport, { ...setup.session, onEvent: render.onEvent });
      const session: Session = ready.session;
      if (session.kind !== "stub") throw new Error("a stub session was expected");
      await work(session, ready.size, render.onEvent);
      await leave(session, after, { onEvent: render.onEvent });
    } finally {
      render.close();
    }
  });
}

/** The `erase` command. */
export const eraseCommand: Command = {
  name: "erase",
  aliases: ["erase_flash", "erase-flash"],
  summary: "erase the whole flash (firmware, settings and the Lua files)",
  usage: "erase",
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 0) {
      throw userError(
        "input/usage",
        "erase takes no arguments",
        "To erase part of the flash use: nodeflash erase-region ADDRESS SIZE",
      );
    }
    const setup = eraseSetup(ctx, "Erasing");
    ctx.out.warn(
      "Erasing the whole flash: the firmware, its settings and NodeMCU's filesystem (your Lua files) will be gone.",
      "erase/lua-files-lost",
    );
    const started = performance.now();
    await withStub(ctx, setup, async (session, flashSize, emit) => {
      await eraseChip(session, { onEvent: emit, flashSize });
    });
    const seconds = (performance.now() - started) / 1000;
    ctx.out.info(`Erased the flash in ${seconds.toFixed(1)} s`);
    ctx.out.result({ ok: true, erased: "all", seconds: Number(seconds.toFixed(3)) });
    return 0;
  },
};

/** The `erase-region` command. */
export const eraseRegionCommand: Command = {
  name: "erase-region",
  aliases: ["erase_region"],
  summary: "erase SIZE bytes at ADDRESS (both multiples of 0x1000)",
  usage: "erase-region ADDRESS SIZE",
  help: `The old NodeMCU guide's blank.bin step clears the SDK's system parameters, the last three
sectors of the flash (size - 0x3000, 0x3000 bytes; the guide's blank.bin lands inside them):
  nodeflash erase-region 0x3fd000 0x3000     (4 MB flash)
  nodeflash erase-region 0xfd000 0x3000      (1 MB flash)
  nodeflash erase-region 0x7d000 0x3000      (512 KB flash)`,
  options: {},
  async run(ctx) {
    if (ctx.positionals.length !== 2) {
      throw userError(
        "input/usage",
        "erase-region takes ADDRESS and SIZE",
        "Example: nodeflash erase-region 0x3fd000 0x3000",
      );
    }
    const address = parseNumberArg(ctx.positionals[0]!, "address");
    const size = parseNumberArg(ctx.positionals[1]!, "size");
    checkEraseRegion(address, size);
    checkInsideLargestFlash({ address, size }, "Erasing");
    const setup = eraseSetup(ctx, "Erasing");
    await withStub(ctx, setup, async (session, flashSize, emit) => {
      const flashBytes = flashSize.bytes;
      if (address + size > flashBytes) {
        throw userError(
          "input/past-end",
          `${hex32(address)}+${hex32(size)} runs past the end of the flash (${hex32(flashBytes)})`,
          "Check the address and size.",
        );
      }
      await eraseRegion(session, { address, size }, { onEvent: emit });
    });
    ctx.out.info(`Erased ${hex32(address)}-${hex32(address + size)}`);
    ctx.out.result({ ok: true, erased: { address, size } });
    return 0;
  },
};
