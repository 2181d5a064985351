/**
 * `nodeflash sim`: a simulated ESP8266 behind an endpoint other programs can open, until
 * interrupted (SIGINT/SIGTERM), then the backing file is saved.
 *
 * ```
 * nodeflash sim --rfc2217 HOST:PORT | --tcp HOST:PORT | --pty [--link PATH]
 *               [--flash-size 4MB] [--chip esp8266|esp8285] [--module esp-12e] [--mac MAC]
 *               [--flash-file FILE] [--seed N] [--reset devkit|manual] [--boot download|flash]
 *               [--gpio15 low|high]
 *               [--jedec-id ID] [--crystal 26|40] [--init-data auto|firmware|none]
 *               [--firmware-writes-init-data] [--realtime] [--latency-ms MS]
 *               [--autobaud-max BAUD] [--bridge-max BAUD] [--faults SPEC]
 *               [--verbose] [--log FILE]
 * ```
 *
 * The board options are the `sim://` keys of the same names (../sim_options.ts). The command
 * table holds this spec; its body (`sim_run.ts`, which loads the simulator) is imported when the
 * command runs, so other commands never load the simulator.
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

import type { Command } from "../command.ts";
import { buttonHelp, type ButtonSources, processButtonSources } from "../sim_buttons.ts";

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
  return {
    ...SIM_COMMAND_SPEC,
    run: async (ctx) => (await import("./sim_run.ts")).runSim(ctx, io),
  };
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
    link: {
      type: "string",
      valueName: "PATH",
      description: "with --pty: a symlink to the pty, its name across an unplug fault",
    },
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
    gpio15: {
      type: "string",
      valueName: "LEVEL",
      description:
        "high: GPIO15 pulled up (a wiring fault: SDIO mode, waiting for host); low (default)",
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
        "inject faults: corrupt=P,drop=P,delay=MS,disconnect=N,unplug=N,replug=MS,brownout=N," +
        "brownout-every=N,noise=N,stuck-gpio0",
    },
    verbose: { type: "boolean", short: "v", description: "report states and commands on stderr" },
    log: { type: "string", valueName: "FILE", description: "append every byte exchanged to FILE" },
  },
};

/** The `sim` command. */
export const simCommand: Command = createSimCommand();
