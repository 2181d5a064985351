/**
 * `nodeflash monitor`: an interactive serial terminal for the NodeMCU Lua prompt. The loop is
 * `../monitor_session.ts`, the keys `../monitor_keys.ts`; this file turns the command line into
 * its options, opens the port and the log, and closes them.
 *
 * @module
 */

import { deviceError, openTransport, userError } from "../../../mod.ts";
import { resolvePort } from "../board.ts";
import { renderTransportEvents } from "../transport_notes.ts";
import { openLogFile } from "../log_file.ts";
import type { Command, ParsedCommandLine } from "../command.ts";
import { keyHelp } from "../monitor_keys.ts";
import { runMonitor } from "../monitor_session.ts";
import { stdioTerminal } from "../monitor_terminal.ts";

/** NodeMCU's console rate. */
export const CONSOLE_BAUD = 115200;

/** What `monitor` was asked to do. */
export interface MonitorConfig {
  /** The console's rate. */
  baud: number;
  /** `--log FILE`. */
  log: string | undefined;
  /** At the end of piped input: quit once the board is quiet, or stay. */
  eof: "quit" | "stay";
  /** How long the board must be quiet before quitting, in ms. */
  idleMs: number;
}

/**
 * Checks the command line of `monitor` (pure).
 *
 * @param line the parsed command line
 * @returns the configuration
 * @throws NodeflashError (user) for arguments, `--json`, a bad `--eof` or `--idle`
 *
 * @example
 * ```ts
 * import { monitorConfig } from "./monitor.ts";
 * import assert from "node:assert/strict";
 * const global = { port: "P", baud: undefined, before: undefined, after: undefined, noStub: false,
 *   connectAttempts: undefined, json: false, quiet: false, trace: false };
 * const config = monitorConfig({ command: "monitor", positionals: [], global, options: { idle: "0.5" } });
 * assert.deepEqual(config, { baud: 115200, log: undefined, eof: "quit", idleMs: 500 });
 * ```
 */
export function monitorConfig(line: ParsedCommandLine): MonitorConfig {
  if (line.global.json) {
    throw userError(
      "cli/json-unsupported",
      "monitor is an interactive terminal and has no JSON output",
      "Leave out --json; --log FILE keeps a raw capture of what the board printed.",
    );
  }
  if (line.positionals.length > 0) {
    throw userError("input/usage", "monitor takes no arguments", "Run: nodeflash monitor -p PORT");
  }
  const eof = line.options.eof ?? "quit";
  if (eof !== "quit" && eof !== "stay") {
    throw userError(
      "input/eof",
      `--eof must be 'quit' or 'stay', not '${eof}'`,
      "quit: leave when piped input ends and the board is quiet; stay: run until Ctrl-C.",
    );
  }
  const idle = line.options.idle ?? "1";
  const seconds = typeof idle === "string" && /^\d+(\.\d+)?$/.test(idle) ? Number(idle) : NaN;
  if (!(seconds > 0 && seconds <= 3600)) {
    throw userError(
      "input/idle",
      `--idle must be a number of seconds from 0.001 to 3600, not '${idle}'`,
      "For example --idle 2 waits until the board has been quiet for 2 seconds.",
    );
  }
  const log = line.options.log;
  return {
    baud: line.global.baud ?? CONSOLE_BAUD,
    log: typeof log === "string" ? log : undefined,
    eof,
    idleMs: Math.round(seconds * 1000),
  };
}

/** An open `--log` file. */
interface LogFile {
  write(bytes: Uint8Array): Promise<void>;
  close(): void;
}

function openLog(path: string): LogFile {
  const file = openLogFile(path);
  return {
    async write(bytes) {
      let offset = 0;
      while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
    },
    close: () => file.close(),
  };
}

const helpText = () =>
  `-b/--baud is the console's rate here (default ${CONSOLE_BAUD}, NodeMCU's).

Board output goes to stdout unchanged; the monitor's notes (between '---') and the ROM's
boot message go to stderr, so 'nodeflash monitor > out.txt' captures only the board.

Keys, when stdin is a terminal (it is put in raw mode and restored on exit):
${keyHelp().map((l) => `  ${l}`).join("\n")}

Ctrl-T R holds EN low through RTS with DTR released (the NodeMCU devkit's reset circuit),
listens at 74880 baud while the ROM prints 'ets Jan  8 2013,rst cause:2, boot mode:(3,6)' and
shows it decoded, then goes back to the console rate. A reset the monitor did not cause (the RST
button, node.restart(), a crash) shows as noise at 115200; the monitor notices the burst and says
so, without decoding it.

When stdin is not a terminal (a pipe or a file) its bytes go to the board as they come, with no
keys; when it ends, the monitor quits once the board has been quiet for --idle seconds, or with
--eof stay runs until Ctrl-C. --quiet leaves out the connect and disconnect lines. --json is
refused: a terminal has no result to report.

Examples:
  nodeflash monitor -p /dev/ttyUSB0
  echo 'print(node.heap())' | nodeflash monitor -p /dev/ttyUSB0 --idle 2 > heap.txt`;

/** The `monitor` command. */
export const monitorCommand: Command = {
  name: "monitor",
  aliases: ["term"],
  summary: "talk to the board's Lua prompt (Ctrl-] quits, Ctrl-T R resets)",
  usage: "monitor [-p PORT] [-b RATE] [--log FILE] [--eof quit|stay] [--idle SECONDS]",
  get help() {
    return helpText();
  },
  options: {
    log: {
      type: "string",
      valueName: "FILE",
      description: "also write everything the board printed to FILE (raw bytes)",
    },
    eof: {
      type: "string",
      valueName: "WHEN",
      description: "piped input: at its end 'quit' once the board is quiet (default) or 'stay'",
    },
    idle: {
      type: "string",
      valueName: "SECONDS",
      description: "with --eof quit: how long the board must be quiet (default 1)",
    },
  },
  async run(ctx) {
    const config = monitorConfig(ctx);
    const log = config.log === undefined ? undefined : openLog(config.log); // before the port
    try {
      const port = await resolvePort(ctx);
      const transport = await openTransport(port, {
        baudRate: config.baud,
        signal: ctx.signal,
        onEvent: renderTransportEvents(ctx.out),
      });
      try {
        const result = await runMonitor(transport, {
          terminal: stdioTerminal(),
          note: (text) => ctx.out.stderr(text + "\n"),
          ...(log === undefined ? {} : { log: log.write }),
          consoleBaud: config.baud,
          eof: config.eof,
          idleMs: config.idleMs,
          quiet: ctx.global.quiet,
          signal: ctx.signal,
        });
        if (result.end === "port-closed" && !ctx.signal.aborted) {
          throw deviceError(
            "port/closed",
            `${port} closed the connection while the monitor was running`,
            "Check the board and, for a network port, the server.",
          );
        }
        return 0;
      } finally {
        await transport.close();
      }
    } finally {
      log?.close();
    }
  },
};
