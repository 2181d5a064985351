/**
 * argv → a typed command line (pure). Global options may come before or after the command;
 * esptool's spellings are accepted (see `normalize_argv.ts`). Every mistake is a one-line user
 * error with a hint, never a usage dump.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { userError } from "../../mod.ts";
import type { Command, GlobalOptions, OptionSpec, ParsedCommandLine } from "./command.ts";
import { normalizeArgv } from "./normalize_argv.ts";

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  port: {
    type: "string",
    short: "p",
    multiple: true,
    valueName: "PORT",
    description:
      "serial port, rfc2217://host:port, socket://host:port, sim://, or auto (env NODEFLASH_PORT); flash takes several",
  },
  baud: {
    type: "string",
    short: "b",
    valueName: "RATE",
    description:
      "baud rate: auto (default: the fastest of 921600, 460800, 115200 that works) or a rate",
  },
  before: {
    type: "string",
    valueName: "RESET",
    description: "default-reset | no-reset | a sequence like D0|R1|W0.1|D1|R0|W0.05|D0",
  },
  after: {
    type: "string",
    valueName: "RESET",
    description: "hard-reset (default) | soft-reset | no-reset",
  },
  "no-stub": { type: "boolean", description: "talk to the ROM loader only (slow, no verify)" },
  "connect-attempts": {
    type: "string",
    valueName: "N",
    description: "connection attempts (default 7; 0 = keep trying)",
  },
  retries: {
    type: "string",
    valueName: "N",
    description: "recoveries from faults in a row without progress (default 5; 0 = fail at once)",
  },
  "reconnect-wait": {
    type: "string",
    valueName: "S",
    description: "seconds to wait for a port that went away to come back (default 5; 0 = off)",
  },
  chip: { type: "string", short: "c", valueName: "CHIP", description: "esp8266 (the only one)" },
  json: { type: "boolean", description: "NDJSON events and a result object on stdout" },
  quiet: { type: "boolean", short: "q", description: "no progress or info text" },
  trace: { type: "boolean", short: "t", description: "print every frame in hex" },
  help: { type: "boolean", short: "h", description: "show help" },
};

/** What {@link parseCommandLine} found. */
export type CommandLine =
  | { kind: "run"; command: Command; line: ParsedCommandLine }
  | { kind: "help"; command: Command | undefined }
  | { kind: "version" };

/**
 * Finds a command by name or alias.
 *
 * @param commands the table
 * @param name what the user typed
 * @returns the command or undefined
 *
 * @example
 * ```ts
 * import { findCommand } from "./parse_args.ts";
 * const cmds = [{ name: "flash", aliases: ["write_flash"], summary: "", usage: "", options: {}, run: () => Promise.resolve(0) }];
 * if (findCommand(cmds, "write_flash")?.name !== "flash") throw new Error();
 * ```
 */
export function findCommand(commands: readonly Command[], name: string): Command | undefined {
  return commands.find((c) => c.name === name || c.aliases.includes(name));
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function suggest(commands: readonly Command[], name: string): string {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of commands) {
    for (const n of [c.name, ...c.aliases]) {
      const d = editDistance(name.toLowerCase(), n);
      if (d < bestScore) {
        bestScore = d;
        best = c.name;
      }
    }
  }
  return best !== undefined && bestScore <= 3 ? `Did you mean '${best}'? ` : "";
}

/** Index of the command word: the first token that is neither an option nor its value. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return -1;
    if (!a.startsWith("-") || a === "-") return i;
    if (a.includes("=")) continue;
    const long = a.startsWith("--") ? a.slice(2) : undefined;
    const spec = long !== undefined
      ? GLOBAL_OPTIONS[long]
      : Object.values(GLOBAL_OPTIONS).find((o) => o.short === a.slice(1));
    if (spec?.type === "string") i++;
  }
  return -1;
}

/** The error code of each numeric global option. */
const NUMBER_CODES = {
  baud: "input/baud",
  "connect-attempts": "input/connect-attempts",
  retries: "input/retries",
} as const;

function parseNumber(
  name: keyof typeof NUMBER_CODES,
  text: string,
  min: number,
  max: number,
): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw userError(
      NUMBER_CODES[name],
      `--${name} must be a whole number from ${min} to ${max}, not '${text}'`,
      name === "baud" ? "Use auto, or a rate such as 115200, 460800, 921600." : undefined,
    );
  }
  return n;
}

function parseSeconds(name: "reconnect-wait", text: string, max: number): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n > max) {
    throw userError(
      "input/reconnect-wait",
      `--${name} must be a number of seconds from 0 to ${max}, not '${text}'`,
    );
  }
  return n;
}

function globalsFrom(
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  env: (name: string) => string | undefined,
): GlobalOptions {
  const str = (k: string) => typeof values[k] === "string" ? values[k] as string : undefined;
  const chip = str("chip");
  if (chip !== undefined && !/^(esp8266|esp8285|auto)$/i.test(chip)) {
    throw userError(
      "cli/unsupported-chip",
      `nodeflash flashes the ESP8266 (and ESP8285); '--chip ${chip}' is not supported`,
      "For ESP32-family chips use esptool or espflash.",
    );
  }
  const baud = str("baud");
  const attempts = str("connect-attempts");
  const retries = str("retries");
  const reconnectWait = str("reconnect-wait");
  const ports = Array.isArray(values.port) ? values.port.map(String) : [];
  return {
    port: ports.at(-1) ?? env("NODEFLASH_PORT"),
    ...(ports.length > 0 ? { ports } : {}),
    baud: baud === undefined || baud.trim().toLowerCase() === "auto"
      ? undefined
      : parseNumber("baud", baud, 300, 5_000_000),
    before: str("before"),
    after: str("after"),
    noStub: values["no-stub"] === true,
    connectAttempts: attempts === undefined
      ? undefined
      : parseNumber("connect-attempts", attempts, 0, 1000),
    retries: retries === undefined ? undefined : parseNumber("retries", retries, 0, 100),
    reconnectWait: reconnectWait === undefined
      ? undefined
      : parseSeconds("reconnect-wait", reconnectWait, 3600),
    json: values.json === true,
    quiet: values.quiet === true,
    trace: values.trace === true,
  };
}

interface NodeParseError {
  code?: string;
  message: string;
}

function parseError(e: unknown, command: Command): Error {
  const err = e as NodeParseError;
  const help = `Run 'nodeflash ${command.name} --help' for its options.`;
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const m = /Unknown option '([^']+)'/.exec(err.message);
    return userError(
      "cli/unknown-option",
      `Unknown option '${m?.[1] ?? "?"}' for '${command.name}'`,
      help,
    );
  }
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const m = /Option '([^']+)'/.exec(err.message);
    const which = m?.[1]?.replace(/^-\w, /, "") ?? "an option";
    return userError(
      "cli/option-value",
      /argument missing/.test(err.message)
        ? `Option '${which}' needs a value`
        : `Option '${which}' does not take a value`,
      help,
    );
  }
  return userError("cli/usage", err.message.split("\n")[0] ?? "Bad command line", help);
}

/**
 * Parses a command line against the command table.
 *
 * @param argv the raw arguments (esptool spellings accepted)
 * @param options the command table and an environment lookup
 * @returns what to do: run a command, show help or the version
 * @throws NodeflashError (kind `user`) for unknown commands/options and bad values
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./parse_args.ts";
 * import assert from "node:assert/strict";
 * const flash = { name: "flash", aliases: ["write_flash"], summary: "", usage: "", run: () => Promise.resolve(0),
 *   options: { "flash-mode": { type: "string" as const, description: "" } } };
 * const r = parseCommandLine(["--port", "P", "write_flash", "-fm", "dio", "fw.bin"], { commands: [flash], env: () => undefined });
 * assert.equal(r.kind, "run");
 * if (r.kind === "run") assert.deepEqual([r.line.global.port, r.line.options["flash-mode"], r.line.positionals], ["P", "dio", ["fw.bin"]]);
 * ```
 */
export function parseCommandLine(
  argv: readonly string[],
  options: { commands: readonly Command[]; env: (name: string) => string | undefined },
): CommandLine {
  const args = normalizeArgv(argv);
  const at = commandIndex(args);
  if (at < 0) {
    if (args.includes("--version") || args.includes("-V")) return { kind: "version" };
    return { kind: "help", command: undefined };
  }
  const name = args[at]!;
  const command = name === "help"
    ? undefined
    : findCommand(options.commands, name) ?? findCommand(options.commands, name.toLowerCase());
  if (name === "help") {
    const topic = args[at + 1];
    return { kind: "help", command: topic ? findCommand(options.commands, topic) : undefined };
  }
  if (command === undefined) {
    throw userError(
      "cli/unknown-command",
      `Unknown command '${name}'`,
      `${suggest(options.commands, name)}Run 'nodeflash --help' for the list of commands.`,
    );
  }
  const rest = [...args.slice(0, at), ...args.slice(at + 1)];
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw parseError(e, command);
  }
  if (parsed.values.help === true) return { kind: "help", command };
  const values = parsed.values as Record<string, string | boolean | (string | boolean)[]>;
  const own: ParsedCommandLine["options"] = {};
  for (const key of Object.keys(command.options)) {
    const v = values[key];
    own[key] = Array.isArray(v) ? v.map(String) : v;
  }
  return {
    kind: "run",
    command,
    line: {
      command: command.name,
      options: own,
      positionals: parsed.positionals,
      global: globalsFrom(values, options.env),
    },
  };
}
