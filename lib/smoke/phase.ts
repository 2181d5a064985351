/**
 * How far a boot got, as an ordered list of phases.
 *
 * @module
 */

import type { BootLog } from "./boot_log.ts";

/**
 * How far the board got: nothing readable, the ROM line, the file-system format, the NodeMCU
 * banner, a Lua prompt, or a prompt that answered the probes.
 */
export type SmokePhase = "silent" | "rom" | "formatting" | "banner" | "prompt" | "probed";

/** The phases in order. */
export const SMOKE_PHASES: readonly SmokePhase[] = [
  "silent",
  "rom",
  "formatting",
  "banner",
  "prompt",
  "probed",
];

/**
 * The furthest of two phases.
 *
 * @param a a phase
 * @param b another phase
 * @returns whichever comes later
 *
 * @example
 * ```ts
 * import { laterPhase } from "./phase.ts";
 * if (laterPhase("banner", "rom") !== "banner") throw new Error();
 * ```
 */
export function laterPhase(a: SmokePhase, b: SmokePhase): SmokePhase {
  return SMOKE_PHASES.indexOf(a) >= SMOKE_PHASES.indexOf(b) ? a : b;
}

/**
 * The furthest phase a boot log shows (never `"probed"`: only a probe proves that).
 *
 * @param log a parsed boot log
 * @returns the phase
 *
 * @example
 * ```ts
 * import { bootPhase } from "./phase.ts";
 * import { parseBootLog } from "./boot_log.ts";
 * if (bootPhase(parseBootLog("lua: cannot open init.lua\r\n> ")) !== "prompt") throw new Error();
 * ```
 */
export function bootPhase(log: BootLog): SmokePhase {
  return shownPhases(log).at(-1) ?? "silent";
}

/**
 * Every phase a boot log shows evidence of, in order (a board with its banner disabled shows no
 * `"banner"`; one that kept its file system shows no `"formatting"`).
 *
 * @param log a parsed boot log
 * @returns the phases, possibly none
 *
 * @example
 * ```ts
 * import { shownPhases } from "./phase.ts";
 * import { parseBootLog } from "./boot_log.ts";
 * import assert from "node:assert/strict";
 * const log = parseBootLog("NodeMCU 2.1.0 build unspecified powered by Lua 5.1.4\r\n> ");
 * assert.deepEqual(shownPhases(log), ["banner", "prompt"]);
 * ```
 */
export function shownPhases(log: BootLog): SmokePhase[] {
  const shown: SmokePhase[] = [];
  if (log.rom.boots.length > 0 || log.rom.loads.length > 0) shown.push("rom");
  if (log.formatting !== undefined) shown.push("formatting");
  if (log.banners.length > 0) shown.push("banner");
  if (log.prompts.length > 0) shown.push("prompt");
  return shown;
}
