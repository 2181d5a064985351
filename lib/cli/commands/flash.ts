/**
 * `nodeflash flash` (esptool's `write_flash`): write a combined image at 0x0, or files at their
 * addresses, or a release asset from GitHub; skip what is already there; verify; reset.
 *
 * @module
 */

import {
  checkFlashJob,
  flash,
  type FlashFile,
  type FlashOptions,
  type InitDataChoice,
  parseAfter,
  userError,
} from "../../../mod.ts";
import { parseFlashFreq, parseFlashMode, parseFlashSizeSetting } from "../../image/mod.ts";
import type { SmokeTestOptions } from "../../smoke/mod.ts";
import { recoveryOptions, sessionOptions, withTransport } from "../board.ts";
import { type BoardOutcome, resolvePorts, runOnBoards } from "../multi_port.ts";
import type { Command, CommandContext } from "../command.ts";
import { regionJson, renderFlashEvents } from "../render.ts";
import { parseNumberArg, readUserFile } from "../values.ts";
import { fetchFirmwareFromRelease, RELEASE_OPTIONS } from "./release_source.ts";
import {
  checkSmokeOptions,
  openSmokeLog,
  runSmokeAfterFlash,
  SMOKE_OPTIONS,
} from "./smoke_options.ts";
import { runThenJob, THEN_OPTIONS, type ThenJob, thenJob } from "./flash_then.ts";

const str = (ctx: CommandContext, name: string) => {
  const v = ctx.options[name];
  return typeof v === "string" ? v : undefined;
};

/** Parses `--init-data`: none, default, v05, or a file (`INTERNAL://DEFAULT` = default). */
async function initDataChoice(text: string | undefined): Promise<InitDataChoice> {
  if (text === undefined) return { kind: "none" };
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === "none") return { kind: "none" };
  if (lower === "default" || lower === "internal://default" || lower === "v08") {
    return { kind: "builtin", which: "default" };
  }
  if (lower === "v05") return { kind: "builtin", which: "v05" };
  if (/^[a-z]+:\/\//i.test(t) || !/[./\\]/.test(t)) {
    throw userError(
      "input/init-data",
      `Unknown --init-data value '${text}'`,
      "Use none, default (SDK v08 data), v05 (SDK 1.x), or the path of a 128-byte init data file.",
    );
  }
  const data = await readUserFile(t);
  if (data.length > 0x1000) {
    throw userError(
      "input/init-data",
      `${t} is ${data.length} bytes; init data is 128 bytes (one 4 KiB sector at most)`,
      "Give esp_init_data_default.bin, or --init-data default.",
    );
  }
  return { kind: "file", name: t, data };
}

/** Reads the ADDR FILE pairs (or the single combined image). */
async function filesFrom(positionals: string[]): Promise<FlashFile[]> {
  if (positionals.length === 1) {
    return [{ address: 0, name: positionals[0]!, data: await readUserFile(positionals[0]!) }];
  }
  if (positionals.length === 0 || positionals.length % 2 !== 0) {
    throw userError(
      "input/usage",
      positionals.length === 0
        ? "No firmware given"
        : `Expected ADDRESS FILE pairs, got ${positionals.length} arguments`,
      "Give one combined image (written at 0x0), or pairs like 0x00000 0x00000.bin 0x10000 0x10000.bin.",
    );
  }
  const pairs: Array<{ address: number; name: string }> = [];
  for (let i = 0; i < positionals.length; i += 2) {
    pairs.push({ address: parseNumberArg(positionals[i]!, "address"), name: positionals[i + 1]! });
  }
  return await Promise.all(pairs.map(async (p) => ({ ...p, data: await readUserFile(p.name) })));
}

/** Everything checkable before connecting, from the command line. */
export async function flashOptionsFrom(ctx: CommandContext): Promise<Omit<FlashOptions, "files">> {
  const compress = str(ctx, "compress") ?? "auto";
  if (compress !== "auto" && compress !== "on" && compress !== "off") {
    throw userError(
      "input/compress",
      `Unknown --compress value '${compress}'`,
      "Use auto, on or off (esptool's -z / -u).",
    );
  }
  const erase = str(ctx, "erase") ?? "none";
  if (erase !== "none" && erase !== "all") {
    throw userError("input/erase", `Unknown --erase value '${erase}'`, "Use none or all.");
  }
  const options: Omit<FlashOptions, "files"> = {
    ...sessionOptions(ctx),
    flashMode: parseFlashMode(str(ctx, "flash-mode") ?? "keep", { allow: ["keep"] }),
    flashFreq: parseFlashFreq(str(ctx, "flash-freq") ?? "keep", { allow: ["keep"] }),
    flashSize: parseFlashSizeSetting(str(ctx, "flash-size") ?? "detect", {
      allow: ["keep", "detect"],
      onNote: (note) => ctx.out.note(note, "input/megabit-size"),
    }),
    initData: await initDataChoice(str(ctx, "init-data")),
    erase,
    compress,
    diff: ctx.options["no-diff"] === true ? "off" : "auto",
    oversize: ctx.options.force === true ? "allow" : "refuse",
  };
  if (ctx.global.after !== undefined) options.after = parseAfter(ctx.global.after);
  return options;
}

/** The `flash` command. */
export const flashCommand: Command = {
  name: "flash",
  aliases: ["write_flash", "write-flash"],
  summary: "write firmware (one combined image at 0x0, or ADDRESS FILE pairs), verify, reset",
  usage: "flash [options] FILE | ADDRESS FILE [ADDRESS FILE ...]",
  help: `Examples:
  nodeflash flash --port /dev/ttyUSB0 nodemcu.bin
  nodeflash --port /dev/ttyUSB0 write_flash -fm dio -fs 32m 0x00000 nodemcu.bin
  nodeflash flash -p /dev/ttyUSB0 0x00000 0x00000.bin 0x10000 0x10000.bin --init-data default
  nodeflash flash -p sim:// --release nodemcu/firmware@latest --asset '*-float.bin' --smoke
  nodeflash flash -p /dev/ttyUSB0 -p /dev/ttyUSB1 nodemcu.bin     # two boards at once
  nodeflash flash --port auto nodemcu.bin                         # every ESP-like port

Addresses must be multiples of 0x1000. The image at 0x0 gets the flash size that was detected
written into its header (--flash-size detect), because NodeMCU images carry a 1 MB header that
breaks the filesystem on bigger chips. Sectors that already hold the right bytes are skipped. With several ports each board gets its own
job at the same time; lines carry the board's port, and one board's failure does not stop the
others (the exit code is 1 when any failed).
The old guide's "blank.bin" step clears the SDK's system parameters, the last three sectors
(size - 0x3000): nodeflash erase-region 0x3fd000 0x3000 on 4 MB (see erase-region --help).`,
  options: {
    "flash-mode": {
      type: "string",
      valueName: "MODE",
      description: "keep (default), qio, qout, dio, dout (esptool -fm)",
    },
    "flash-size": {
      type: "string",
      valueName: "SIZE",
      description: "detect (default), keep, 512KB, 1MB, 2MB, 4MB, 8MB, 16MB, 4m, 32m... (-fs)",
    },
    "flash-freq": {
      type: "string",
      valueName: "FREQ",
      description: "keep (default), 40m, 26m, 20m, 80m (-ff)",
    },
    "init-data": {
      type: "string",
      valueName: "DATA",
      description: "none (default), default, v05, or a file: RF init data at flash size - 0x4000",
    },
    erase: {
      type: "string",
      valueName: "WHAT",
      description: "none (default) or all: erase the chip first (Lua files are lost; esptool -e)",
    },
    compress: {
      type: "string",
      valueName: "MODE",
      description: "auto (default), on, off (esptool -z / -u)",
    },
    "no-diff": {
      type: "boolean",
      description: "write everything, even sectors that already match",
    },
    force: {
      type: "boolean",
      description: "write a --flash-size larger than the chip reports into the header",
    },
    ...RELEASE_OPTIONS,
    ...SMOKE_OPTIONS,
    ...THEN_OPTIONS,
  },
  async run(ctx) {
    const options = await flashOptionsFrom(ctx);
    const smokeOptions = checkSmokeOptions(ctx, true);
    const fromRelease = await fetchFirmwareFromRelease(ctx);
    const then = await thenJob(ctx);
    const files = fromRelease
      ? [fromRelease, ...(ctx.positionals.length > 0 ? await filesFrom(ctx.positionals) : [])]
      : await filesFrom(ctx.positionals);
    checkFlashJob({ ...options, files }); // before the port is opened
    if (options.erase === "all") {
      ctx.out.warn(
        "--erase all: the whole flash will be erased; NodeMCU's filesystem (your Lua files) will be gone.",
        "erase/lua-files-lost",
      );
    }
    const ports = await resolvePorts(ctx);
    if (ports.length > 1 && typeof ctx.options.log === "string") {
      throw userError(
        "cli/log-one-board",
        `--log keeps one board's console, but ${ports.length} boards were given`,
        "Give one --port with --log, or leave --log out.",
      );
    }
    // --log opens before the port: a bad path is a usage error, not a failure after flashing
    const log = ctx.options.smoke === true ? openSmokeLog(ctx) : undefined;
    try {
      const board = (c: CommandContext) =>
        flashAndSmoke(c, { options, files, smokeOptions, log, then });
      if (ports.length > 1) return await runOnBoards(ctx, ports, board);
      const outcome = await board({ ...ctx, global: { ...ctx.global, port: ports[0]! } });
      ctx.out.result(outcome.result);
      return outcome.code;
    } finally {
      log?.close();
    }
  },
};

/** One board's job: flash, then the smoke test when asked; its exit code and result's fields. */
function flashAndSmoke(
  ctx: CommandContext,
  job: {
    options: Omit<FlashOptions, "files">;
    files: FlashFile[];
    smokeOptions: SmokeTestOptions;
    log: Deno.FsFile | undefined;
    then: ThenJob | undefined;
  },
): Promise<BoardOutcome> {
  const { options, files, smokeOptions, log, then } = job;
  return withTransport(ctx, async (transport, port) => {
    const render = renderFlashEvents(ctx.out, { port });
    // with --smoke the smoke test does the reset, and watches the boot from its first byte
    // (so does the Lua session of --then-upload/--then-test)
    const resetLater =
      (ctx.options.smoke === true || (then !== undefined && transport.info.modemLines)) &&
      (options.after ?? "hard-reset") === "hard-reset";
    let result;
    try {
      const after = resetLater ? "no-reset" : options.after;
      result = await flash(transport, {
        ...options,
        ...recoveryOptions(ctx, transport),
        ...(after ? { after } : {}),
        files,
        onEvent: render.onEvent,
      });
    } finally {
      render.close();
    }
    const smoke = await runSmokeAfterFlash(ctx, transport, { options: smokeOptions, log });
    const lua = then !== undefined && smoke?.ok !== false
      ? await runThenJob(ctx, transport, then, { reset: smoke === undefined && resetLater })
      : undefined;
    return {
      code: (smoke && !smoke.ok) || (lua && !lua.ok) ? 1 : 0,
      result: {
        ok: (smoke?.ok ?? true) && (lua?.ok ?? true),
        port,
        chip: {
          variant: result.chip.variant,
          description: result.chip.description,
          mac: result.chip.mac,
        },
        flash: {
          jedecId: result.flash.jedecId,
          size: result.flash.sizeBytes,
          sizeSource: result.flash.sizeSource,
        },
        loader: result.loader,
        baud: result.baud,
        seconds: Number(result.seconds.toFixed(3)),
        recoveries: result.recoveries,
        regions: result.regions.map(regionJson),
        ...(smoke ? { smoke: smoke.json } : {}),
        ...(lua ? { lua: lua.json } : {}),
      },
    };
  });
}
