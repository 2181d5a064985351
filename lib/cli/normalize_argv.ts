/**
 * Rewrites esptool's spellings into nodeflash's before parsing: `node:util` parseArgs only knows
 * one-letter short flags, and users paste esptool command lines (`-fm dio -fs 32m`,
 * `--flash_mode`, `write_flash`, `--before default_reset`).
 *
 * @module
 */

/** esptool's multi-letter short flags and their long forms. */
const MULTI_LETTER_SHORT: Record<string, string> = {
  "-fm": "--flash-mode",
  "-fs": "--flash-size",
  "-ff": "--flash-freq",
};

/** esptool's flags that become nodeflash option values. */
const FLAG_ALIASES: Record<string, string> = {
  "-z": "--compress=on",
  "-u": "--compress=off",
  "--no-compress": "--compress=off",
  "-e": "--erase=all",
  "--erase-all": "--erase=all",
};

/** Values `--compress` takes; esptool's bare `--compress` means `on`. */
const COMPRESS_VALUES = new Set(["auto", "on", "off"]);

/** Values written with underscores in esptool v4 that nodeflash spells with dashes. */
const VALUE_OPTIONS = new Set(["--before", "--after"]);

/**
 * Normalises a command line.
 *
 * - `-fm X`, `-fs X`, `-ff X` become `--flash-mode X`, `--flash-size X`, `--flash-freq X`;
 * - long options with underscores become dashes (`--flash_mode` → `--flash-mode`,
 *   `--no_stub` → `--no-stub`), also in `--opt=value` form;
 * - `--before`/`--after` values with underscores become dashes (`default_reset` →
 *   `default-reset`);
 * - esptool's `-z`/`--compress` and `-u`/`--no-compress` become `--compress=on|off`,
 *   `-e`/`--erase-all` becomes `--erase=all`;
 * - everything after `--` is left alone.
 *
 * @param argv the raw arguments
 * @returns the rewritten arguments
 *
 * @example
 * ```ts
 * import { normalizeArgv } from "./normalize_argv.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   normalizeArgv(["--port", "P", "write_flash", "-fm", "dio", "--flash_size=4MB", "--after", "no_reset"]),
 *   ["--port", "P", "write_flash", "--flash-mode", "dio", "--flash-size=4MB", "--after", "no-reset"],
 * );
 * ```
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  let valueFor: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (passthrough) {
      out.push(arg);
      continue;
    }
    if (valueFor !== undefined) {
      out.push(VALUE_OPTIONS.has(valueFor) ? arg.replaceAll("_", "-") : arg);
      valueFor = undefined;
      continue;
    }
    if (arg === "--") {
      passthrough = true;
      out.push(arg);
      continue;
    }
    const alias = FLAG_ALIASES[arg.replaceAll("_", "-")];
    if (alias !== undefined) {
      out.push(alias);
      continue;
    }
    if (arg === "--compress" && !COMPRESS_VALUES.has(argv[i + 1] ?? "")) {
      out.push("--compress=on");
      continue;
    }
    const multi = MULTI_LETTER_SHORT[arg];
    if (multi !== undefined) {
      out.push(multi);
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = (eq < 0 ? arg : arg.slice(0, eq)).replaceAll("_", "-");
      if (eq < 0) {
        out.push(name);
        if (VALUE_OPTIONS.has(name)) valueFor = name;
      } else {
        const value = arg.slice(eq + 1);
        out.push(`${name}=${VALUE_OPTIONS.has(name) ? value.replaceAll("_", "-") : value}`);
      }
      continue;
    }
    out.push(arg);
  }
  return out;
}
