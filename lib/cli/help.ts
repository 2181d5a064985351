/**
 * Help text, generated from the command table and the option specs.
 *
 * @module
 */

import type { Command, OptionSpec } from "./command.ts";
import { EXIT_CODES_HELP } from "./exit_codes.ts";
import { GLOBAL_OPTIONS } from "./parse_args.ts";

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : "    ";
    const value = spec.type === "string" ? ` ${spec.valueName ?? "VALUE"}` : "";
    return [`  ${short}--${name}${value}`, spec.description] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length), 0) + 2;
  return rows.map(([l, d]) => l.padEnd(width) + d);
}

/**
 * The help for one command.
 *
 * @param command the command
 * @returns the text
 *
 * @example
 * ```ts
 * import { commandHelp } from "./help.ts";
 * const text = commandHelp({ name: "x", aliases: ["y"], summary: "does x", usage: "x FILE", options: {}, run: () => Promise.resolve(0) });
 * if (!text.includes("Usage: nodeflash x FILE")) throw new Error();
 * ```
 */
export function commandHelp(command: Command): string {
  const lines = [`Usage: nodeflash ${command.usage}`, "", command.summary];
  if (command.aliases.length > 0) lines.push(`Also: ${command.aliases.join(", ")}`);
  if (command.help) lines.push("", command.help.trimEnd());
  if (Object.keys(command.options).length > 0) {
    lines.push("", "Options:", ...optionLines(command.options));
  }
  lines.push("", "Global options:", ...optionLines(GLOBAL_OPTIONS));
  lines.push("", EXIT_CODES_HELP);
  return lines.join("\n") + "\n";
}

/**
 * The top-level help: every command with its summary.
 *
 * @param commands the table
 * @returns the text
 *
 * @example
 * ```ts
 * import { globalHelp } from "./help.ts";
 * if (!globalHelp([]).startsWith("nodeflash")) throw new Error();
 * ```
 */
export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8) + 2;
  return [
    "nodeflash: flash NodeMCU firmware onto ESP8266 boards",
    "",
    "Usage: nodeflash [global options] <command> [options] [arguments]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Global options (before or after the command):",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    "esptool's spellings work too: write_flash, -fm/-fs/-ff, --flash_mode, --before default_reset.",
    "Run 'nodeflash <command> --help' for a command's options.",
    "",
    EXIT_CODES_HELP,
    "",
  ].join("\n");
}
