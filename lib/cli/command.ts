/**
 * What a CLI command is: a name, its aliases (esptool's spellings), its options, and a `run`
 * function over a parsed context. Commands are data in one table (`commands.ts`); parsing is
 * pure (`parse_args.ts`); `main.ts` is the only place that turns errors into exit codes.
 *
 * @module
 */

import type { Output } from "./output.ts";

/** One option a command accepts. */
export interface OptionSpec {
  /** `string` takes a value, `boolean` is a flag. */
  type: "string" | "boolean";
  /** One-letter short form (`p` for `-p`). */
  short?: string;
  /** May be given more than once. */
  multiple?: boolean;
  /** Placeholder in help (`PORT`). */
  valueName?: string;
  /** One line of help. */
  description: string;
}

/** Options every command accepts, before or after the command name. */
export interface GlobalOptions {
  /** `--port` / `-p` / `NODEFLASH_PORT` (the last one given). */
  port: string | undefined;
  /** Every `--port` given, in order (`flash` works on several boards at once). */
  ports?: string[];
  /** `--baud` / `-b` (`undefined`: auto, the fastest rate that works). */
  baud: number | undefined;
  /** `--before`. */
  before: string | undefined;
  /** `--after`. */
  after: string | undefined;
  /** `--no-stub`. */
  noStub: boolean;
  /** `--connect-attempts`. */
  connectAttempts: number | undefined;
  /** `--retries`: recoveries in a row without progress (0 = fail at the first fault). */
  retries: number | undefined;
  /** `--reconnect-wait`: seconds to wait for a vanished port (0 = do not wait). */
  reconnectWait: number | undefined;
  /** `--json`: NDJSON events and a result object on stdout. */
  json: boolean;
  /** `--quiet`: no progress or info text. */
  quiet: boolean;
  /** `--trace`: every frame in hex on stderr. */
  trace: boolean;
}

/** The parsed command line handed to a command. */
export interface ParsedCommandLine {
  /** The command's canonical name. */
  command: string;
  /** The options, by long name (dashes kept). */
  options: Record<string, string | boolean | string[] | undefined>;
  /** Positional arguments after the command name. */
  positionals: string[];
  /** The global options. */
  global: GlobalOptions;
}

/** What a command gets when it runs. */
export interface CommandContext extends ParsedCommandLine {
  /** Where to write. */
  out: Output;
  /** Environment lookup. */
  env(name: string): string | undefined;
  /** Aborted on SIGINT / SIGTERM. */
  signal: AbortSignal;
}

/** A command of the CLI. */
export interface Command {
  /** Canonical name (`flash`). */
  name: string;
  /** Other accepted names (`write_flash`, `write-flash`). */
  aliases: string[];
  /** One line for the command list. */
  summary: string;
  /** Usage line(s) after `nodeflash `. */
  usage: string;
  /** Longer help text (examples, notes). */
  help?: string;
  /** Command-specific options. */
  options: Record<string, OptionSpec>;
  /** Runs the command; resolves with the exit code (0 unless a check failed). */
  run(ctx: CommandContext): Promise<number>;
}
