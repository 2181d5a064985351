/**
 * Which rates a job tries, fastest first (pure). Two rates matter on an ESP8266:
 *
 * - the **sync rate**: the ROM loader has no CHANGE_BAUDRATE, but it measures the host's rate on
 *   SYNC ("autobaud"), so everything before the stub runs (the 12 KB stub upload included), and
 *   the whole job with `--no-stub`, goes at the rate SYNC was sent at. Reports from the field
 *   (docs/performance.md#rom-autobaud): 230400 always works, 460800 mostly, 921600 sometimes.
 *   nodeflash syncs at 460800 first ({@link FAST_SYNC_BAUD}) and falls back to 115200, which
 *   every ROM takes;
 * - the **working rate**: the stub's, after CHANGE_BAUDRATE. `auto` (the default) tries 921600,
 *   then 460800, then 115200 ({@link AUTO_BAUDS}): the fastest the USB bridge and the board
 *   take, checked by a command at the new rate before anything else is sent.
 *
 * What worked on a port is remembered for the run ({@link LinkMemory}), so the next job on the
 * same port does not try again what failed.
 *
 * @module
 */

import type { LinkMemory } from "./link_memory.ts";

/** A working rate, or the fastest that works. */
export type BaudSetting = number | "auto";

/** The rate every ESP8266 ROM syncs at, and the stub's start rate. */
export const ROM_BAUD = 115200;

/** The rate nodeflash tries the ROM's autobaud at first. */
export const FAST_SYNC_BAUD = 460800;

/** The working rates `auto` tries, fastest first. */
export const AUTO_BAUDS: readonly number[] = [921600, 460800, 115200];

/** Options for the rate choices. */
export interface BaudChoiceOptions {
  /** `stub` (default) or `rom` (`--no-stub`: the sync rate is the working rate). */
  loader?: "stub" | "rom";
  /** What worked and failed on this port earlier in the run. */
  memory?: LinkMemory;
  /** The port, as the memory knows it. */
  port?: string;
}

/**
 * The rates to send SYNC at after a reset, fastest first; the last one is the fallback.
 *
 * @param baud the working rate asked for
 * @param options loader, memory
 * @returns the rates
 *
 * @example
 * ```ts
 * import { syncRates } from "./baud_choice.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(syncRates("auto"), [460800, 115200]);
 * assert.deepEqual(syncRates(115200), [115200]);
 * assert.deepEqual(syncRates(921600, { loader: "rom" }), [921600, 115200]); // --no-stub -b 921600
 * ```
 */
export function syncRates(baud: BaudSetting, options: BaudChoiceOptions = {}): number[] {
  const memory = remembered(options);
  const top = memory?.syncBaud ??
    (baud === "auto"
      ? FAST_SYNC_BAUD
      : options.loader === "rom"
      ? baud
      : Math.min(baud, FAST_SYNC_BAUD));
  if (top <= ROM_BAUD) return [top];
  return (memory?.failedSync ?? []).includes(top) ? [ROM_BAUD] : [top, ROM_BAUD];
}

/**
 * The working rates to try once the stub runs, fastest first.
 *
 * @param baud the working rate asked for
 * @param options memory
 * @returns the rates (one for an explicit rate)
 *
 * @example
 * ```ts
 * import { workingRates } from "./baud_choice.ts";
 * import { LinkMemory } from "./link_memory.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(workingRates("auto"), [921600, 460800, 115200]);
 * assert.deepEqual(workingRates(230400), [230400]);
 * const memory = new LinkMemory();
 * memory.update("/dev/ttyUSB0", { failedWorking: [921600] });
 * assert.deepEqual(workingRates("auto", { memory, port: "/dev/ttyUSB0" }), [460800, 115200]);
 * ```
 */
export function workingRates(baud: BaudSetting, options: BaudChoiceOptions = {}): number[] {
  if (baud !== "auto") return [baud];
  const failed = remembered(options)?.failedWorking ?? [];
  const rates = AUTO_BAUDS.filter((b) => !failed.includes(b));
  return rates.length > 0 ? rates : [ROM_BAUD];
}

/**
 * Reads `--baud`: a rate, or `auto`.
 *
 * @param text the option value (`undefined`: not given, `auto`)
 * @returns the setting
 * @throws TypeError for text that is neither (the CLI checks the range itself)
 *
 * @example
 * ```ts
 * import { parseBaudSetting } from "./baud_choice.ts";
 * if (parseBaudSetting("auto") !== "auto" || parseBaudSetting("921600") !== 921600) throw new Error();
 * ```
 */
export function parseBaudSetting(text: string | undefined): BaudSetting {
  if (text === undefined || text.trim().toLowerCase() === "auto") return "auto";
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new TypeError(`'${text}' is not a baud rate`);
  return n;
}

function remembered(options: BaudChoiceOptions) {
  return options.port === undefined ? undefined : options.memory?.get(options.port);
}
