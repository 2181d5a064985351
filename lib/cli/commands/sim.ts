/**
 * `nodeflash sim`: a simulated ESP8266 behind an endpoint other programs can open, until
 * interrupted (SIGINT/SIGTERM), then the backing file is saved.
 *
 * ```
 * nodeflash sim --rfc2217 HOST:PORT | --tcp HOST:PORT | --pty
 *               [--flash-size 4MB] [--chip esp8266|esp8285] [--module esp-12e] [--mac MAC]
 *               [--flash-file FILE] [--seed N] [--reset devkit|manual] [--boot download|flash]
 *               [--jedec-id ID] [--crystal 26|40] [--init-data auto|firmware|none]
 *               [--firmware-writes-init-data] [--realtime] [--latency-ms MS] [--faults SPEC]
 *               [--verbose] [--log FILE]
 * ```
 *
 * The board options are the `sim://` keys of the same names (lib/sim/sim_url.ts);
 * `--firmware-writes-init-data` is `--init-data firmware`.
 *
 * The first line on stdout is `listening rfc2217://HOST:PORT` (or `listening socket://HOST:PORT`,
 * `listening /dev/pts/N`); nothing else goes to stdout. `--verbose` reports states and commands
 * on stderr; `--log FILE` appends every byte exchanged, in hex, one line per chunk.
 *
 * The board's buttons (../sim_buttons.ts): SIGUSR1 and SIGUSR2 press them on any board; with
 * `--reset manual`, whose buttons are its only reset, so do the keys `b` and `r` on stdin.
 * Notes about presses go to stderr.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
// The simulator loads only when this command runs (it is most of the CLI's start-up time).
import type { BoardOptions, ChipKind, ModuleName, SimEvent, SimServerKind } from "../../sim/mod.ts";

type SimModule = typeof import("../../sim/mod.ts");
import type { Command, CommandContext } from "../command.ts";
import {
  buttonHelp,
  type ButtonSources,
  listenForButtons,
  processButtonSources,
} from "../sim_buttons.ts";

function endpoint(ctx: CommandContext): { kind: SimServerKind; host?: string; port?: number } {
  const rfc = ctx.options.rfc2217;
  const tcp = ctx.options.tcp;
  const pty = ctx.options.pty === true;
  const given = [rfc !== undefined, tcp !== undefined, pty].filter(Boolean).length;
  if (given !== 1) {
    throw userError(
      "cli/sim-endpoint",
      given === 0
        ? "nodeflash sim needs an endpoint"
        : "nodeflash sim serves one endpoint at a time",
      "Give exactly one of --rfc2217 HOST:PORT, --tcp HOST:PORT or --pty.",
    );
  }
  if (pty) return { kind: "pty" };
  const text = String(rfc ?? tcp);
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || m[1] === "" || port > 65535) {
    throw userError(
      "cli/sim-address",
      `'${text}' is not HOST:PORT`,
      "Write e.g. --rfc2217 127.0.0.1:4000 (port 0 picks a free one).",
    );
  }
  return { kind: rfc !== undefined ? "rfc2217" : "tcp", host: m[1]!, port };
}

function boardOptions(ctx: CommandContext, sim: SimModule): BoardOptions {
  const str = (k: string) =>
    typeof ctx.options[k] === "string" ? ctx.options[k] as string : undefined;
  const out: BoardOptions = {};
  const size = str("flash-size");
  if (size !== undefined) out.flashSize = size;
  const chip = str("chip")?.toLowerCase();
  if (chip !== undefined && chip !== "auto") {
    if (chip !== "esp8266" && chip !== "esp8285") {
      throw userError(
        "cli/sim-chip",
        `The simulator has no chip '${chip}'`,
        "Use esp8266 or esp8285.",
      );
    }
    out.chip = chip as ChipKind;
  }
  const module = str("module");
  if (module !== undefined) out.module = module as ModuleName;
  const mac = str("mac");
  if (mac !== undefined) out.mac = mac;
  const file = str("flash-file");
  if (file !== undefined) out.flashFile = file;
  const seed = str("seed");
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed)) {
      throw userError("cli/sim-seed", `--seed must be a whole number, not '${seed}'`);
    }
    out.seed = Number(seed);
  }
  return { ...out, ...partTwoOptions(ctx, sim) };
}

/** The `sim://` keys `nodeflash sim` takes as options of the same names, with a value. */
const URL_KEY_OPTIONS = [
  "reset",
  "boot",
  "latency-ms",
  "faults",
  "jedec-id",
  "crystal",
  "init-data",
  "autobaud-max",
  "bridge-max",
] as const;

/**
 * The flash chip, crystal, firmware, reset circuit, time model and fault options, read as the
 * `sim://` keys of the same names.
 */
function partTwoOptions(ctx: CommandContext, sim: SimModule): BoardOptions {
  let out: BoardOptions = {};
  for (const key of URL_KEY_OPTIONS) {
    const value = ctx.options[key];
    if (typeof value !== "string") continue;
    out = {
      ...out,
      ...sim.simOption(key, value, { code: "cli/sim-option", where: `--${key}` }),
    };
  }
  if (ctx.options.realtime === true) out.pace = "realtime";
  if (ctx.options["firmware-writes-init-data"] === true) {
    const said = ctx.options["init-data"];
    if (said !== undefined && said !== "firmware") {
      throw userError(
        "cli/sim-option",
        `--firmware-writes-init-data contradicts --init-data ${said}`,
        "Give one of them: --firmware-writes-init-data is --init-data firmware.",
      );
    }
    out.firmwareWritesInitData = true;
  }
  return out;
}

function describe(event: SimEvent): string | undefined {
  switch (event.type) {
    case "state":
      return `state ${event.state}: ${event.detail}`;
    case "command": {
      const r = event.record;
      const args = Object.entries(r.args).map(([k, v]) => `${k}=0x${v.toString(16)}`).join(" ");
      const reply = r.reply === "none"
        ? "no reply"
        : r.reply.status.map((b) => b.toString(16).padStart(2, "0")).join(" ");
      return `${r.loader} ${r.name} ${args} -> ${reply}${r.note ? ` (${r.note})` : ""}`;
    }
    case "host":
      return `${event.connected ? "connected" : "disconnected"}: ${event.endpoint}`;
    case "signals":
      return `lines dtr=${event.dtr} rts=${event.rts}`;
    case "baud":
      return `baud board=${Math.round(event.boardBaud)} host=${event.hostBaud ?? "unknown"}`;
    case "flash-saved":
      return `saved ${event.sectors} sectors to ${event.path}`;
    case "boot":
      return `boot: rst cause ${event.cause} (${event.kind}), ${event.mode} mode`;
    case "injected":
      return `fault ${event.fault}: ${event.detail}`;
    case "fault":
      return `internal fault: ${String(event.error)}`;
    default:
      return undefined;
  }
}

function frameLogger(path: string): { write(event: SimEvent): void; close(): void } {
  const file = Deno.openSync(path, { write: true, create: true, append: true });
  const encoder = new TextEncoder();
  const start = performance.now();
  return {
    write(event) {
      if (event.type !== "rx" && event.type !== "tx") return;
      const hex = Array.from(event.bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
      const line = `${(performance.now() - start).toFixed(3)} ${event.type} ${hex}\n`;
      const bytes = encoder.encode(line);
      for (let o = 0; o < bytes.length;) o += file.writeSync(bytes.subarray(o));
    },
    close: () => file.close(),
  };
}

/** What `nodeflash sim` takes from its process, so tests can give their own. */
export interface SimCommandIo {
  /**
   * Where button presses come from; `keys` says whether stdin may be read (a board wired
   * `manual`). The process's signals and stdin by default.
   */
  buttonSources(options: { keys: boolean }): ButtonSources;
}

/**
 * Makes the `sim` command over the given process streams.
 *
 * @param io where button presses come from
 * @returns the command
 *
 * @example
 * ```ts
 * import { createSimCommand } from "./sim.ts";
 * import assert from "node:assert/strict";
 * // a command whose buttons nothing presses (no signals, no stdin)
 * const command = createSimCommand({ buttonSources: () => ({}) });
 * assert.equal(command.name, "sim");
 * assert.ok("firmware-writes-init-data" in command.options);
 * ```
 */
export function createSimCommand(
  io: SimCommandIo = { buttonSources: processButtonSources },
): Command {
  return { ...SIM_COMMAND_SPEC, run: (ctx) => runSim(ctx, io) };
}

async function runSim(ctx: CommandContext, io: SimCommandIo): Promise<number> {
  const where = endpoint(ctx);
  const logPath = typeof ctx.options.log === "string" ? ctx.options.log : undefined;
  const sim = await import("../../sim/mod.ts");
  const server = await sim.startSimServer({ ...where, boardOptions: boardOptions(ctx, sim) });
  const log = logPath === undefined ? undefined : frameLogger(logPath);
  const verbose = ctx.options.verbose === true;
  const stop = server.board.on((event) => {
    log?.write(event);
    const line = verbose ? describe(event) : undefined;
    if (line !== undefined) ctx.out.stderr(`[sim] ${line}\n`);
  });
  let stopButtons = () => {};
  try {
    // The buttons listen before the line is out: whoever read it may press them at once.
    const sources = io.buttonSources({ keys: server.board.options.reset === "manual" });
    stopButtons = listenForButtons(server.board, sources, {
      onNote: (line) => ctx.out.info(`[sim] ${line}`),
    });
    ctx.out.raw(`listening ${server.url}\n`);
    if (sources.interactive) ctx.out.info(`[sim] ${buttonHelp()}`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    stopButtons();
    await server.close();
    stop();
    log?.close();
  }
  return 0;
}

const SIM_COMMAND_SPEC: Omit<Command, "run"> = {
  name: "sim",
  aliases: ["simulator"],
  summary: "run a simulated ESP8266 on an RFC 2217, TCP or pty endpoint",
  usage: "sim --rfc2217 HOST:PORT | --tcp HOST:PORT | --pty [board options]",
  help: "Serves until interrupted. The board is a NodeMCU devkit: DTR/RTS reset it through the\n" +
    "devkit's circuit (RFC 2217), it boots the firmware in its flash to a Lua prompt.\n" +
    "With --reset manual (no circuit, like an ESP-01) only its buttons reset it: type b or r\n" +
    "(stdin a terminal or a pipe), or send a signal:\n" +
    `  ${buttonHelp()}\n` +
    "Examples:\n" +
    "  nodeflash sim --rfc2217 127.0.0.1:4000 --flash-file board.bin\n" +
    "  esptool.py --port rfc2217://127.0.0.1:4000 flash_id\n" +
    "  nodeflash sim --tcp 127.0.0.1:4001 --realtime --faults drop=0.01,delay=20 --seed 3",
  options: {
    rfc2217: { type: "string", valueName: "HOST:PORT", description: "serve RFC 2217 (telnet)" },
    tcp: { type: "string", valueName: "HOST:PORT", description: "serve raw TCP" },
    pty: { type: "boolean", description: "serve on a new pseudo-terminal (Linux)" },
    "flash-size": { type: "string", valueName: "SIZE", description: "flash size (default 4MB)" },
    chip: { type: "string", short: "c", valueName: "CHIP", description: "esp8266 or esp8285" },
    module: {
      type: "string",
      valueName: "MODULE",
      description: "esp-12e (default), esp-01, esp-m3...",
    },
    mac: {
      type: "string",
      valueName: "MAC",
      description: "MAC address (default 5c:cf:7f:00:00:01)",
    },
    "flash-file": { type: "string", valueName: "FILE", description: "keep the flash in FILE" },
    seed: { type: "string", valueName: "N", description: "seed for generated values and faults" },
    reset: {
      type: "string",
      valueName: "WIRING",
      description: "devkit (DTR/RTS reset circuit, default) or manual (no circuit: ESP-01)",
    },
    boot: {
      type: "string",
      valueName: "MODE",
      description: "download: GPIO0 held low at power-up (default: the straps, flash boot)",
    },
    "jedec-id": {
      type: "string",
      valueName: "ID",
      description: "the flash chip's JEDEC id, e.g. 0x1640ef (default: Winbond for the size)",
    },
    crystal: {
      type: "string",
      valueName: "MHZ",
      description: "26 (default; the ROM talks at 74880) or 40 (at 115200)",
    },
    "init-data": {
      type: "string",
      valueName: "WHO",
      description: "auto (by firmware version), firmware (it writes it when blank) or none",
    },
    "firmware-writes-init-data": {
      type: "boolean",
      description: "the firmware writes init data when blank, whatever its version",
    },
    realtime: { type: "boolean", description: "modelled time (wire, flash, boot) takes real time" },
    "latency-ms": { type: "string", valueName: "MS", description: "USB latency per direction" },
    "autobaud-max": {
      type: "string",
      valueName: "BAUD",
      description: "fastest SYNC rate the ROM recognises (default 921600; 115200: slow ROM)",
    },
    "bridge-max": {
      type: "string",
      valueName: "BAUD",
      description: "fastest rate the USB bridge runs (default: no limit; it stays there above)",
    },
    faults: {
      type: "string",
      valueName: "SPEC",
      description:
        "inject faults: corrupt=P,drop=P,delay=MS,disconnect=N,brownout=N,noise=N,stuck-gpio0",
    },
    verbose: { type: "boolean", short: "v", description: "report states and commands on stderr" },
    log: { type: "string", valueName: "FILE", description: "append every byte exchanged to FILE" },
  },
};

/** The `sim` command. */
export const simCommand: Command = createSimCommand();
