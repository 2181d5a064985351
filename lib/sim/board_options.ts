/**
 * What a simulated board is made of, as options with defaults: a NodeMCU devkit (module
 * `esp-12e`: ESP8266EX, 4 MB Winbond W25Q32 flash, 26 MHz crystal) with a fixed MAC address
 * unless told otherwise.
 *
 * @module
 */

import { userError } from "../errors.ts";
import { jedecIdForSize, parseFlashSize } from "../chip/flash_size.ts";
import type { SimClock } from "./clock.ts";
import type { BoardProgram, Device } from "./device.ts";
import type { ChipKind } from "./efuse.ts";
import { defaultMacAddress, parseMacAddress } from "./mac_address.ts";
import type { SimEventListener } from "./sim_event.ts";
import type { KnownStub } from "./stub_table.ts";

/** Modules the simulator knows (they set the default chip and flash size). */
export type ModuleName = "esp-12e" | "esp-12f" | "esp-01" | "esp-01s" | "esp-07" | "esp-m3";

/** Boot mode at a hardware reset (GPIO0 low = download). */
export type BootMode = "download" | "flash";

const MODULES: Readonly<Record<ModuleName, { chip: ChipKind; flashSize: string }>> = {
  "esp-12e": { chip: "esp8266", flashSize: "4MB" },
  "esp-12f": { chip: "esp8266", flashSize: "4MB" },
  "esp-01": { chip: "esp8266", flashSize: "512KB" },
  "esp-01s": { chip: "esp8266", flashSize: "1MB" },
  "esp-07": { chip: "esp8266", flashSize: "1MB" },
  "esp-m3": { chip: "esp8285", flashSize: "1MB" },
};

/** Options for a simulated board. */
export interface BoardOptions {
  /** Module; sets the defaults for `chip` and `flashSize`. `esp-12e` by default. */
  module?: ModuleName;
  /** Flash size as users type it (`4MB`, `1M`, `32m`...). From the module by default. */
  flashSize?: string;
  /** `esp8266` (ESP8266EX) or `esp8285`. From the module by default. */
  chip?: ChipKind;
  /** MAC address; derived from `seed` by default (5c:cf:7f:00:00:01 for seed 0). */
  mac?: string | Uint8Array;
  /** Seed for everything generated (MAC, eFuse check byte, flash unique id). 0 by default. */
  seed?: number;
  /** JEDEC id of the flash chip (manufacturer in the low byte); a Winbond id for the size by default. */
  jedecId?: number;
  /** Initial flash status registers (SR1 in the low byte); 0 by default. */
  flashStatus?: number;
  /** Initial flash contents (erased by default). */
  flashContents?: Uint8Array;
  /** A backing file that keeps the flash between runs (see flash_file.ts). */
  flashFile?: string;
  /** Crystal frequency, 26 MHz by default. */
  crystalMhz?: 26 | 40;
  /**
   * Boot mode at power-on: `download` by default (part 1 of the simulator has no reset circuit,
   * so the board starts as if GPIO0 were held low).
   */
  bootMode?: BootMode;
  /** Device time; instant by default. */
  clock?: SimClock;
  /** How many command records the log keeps; 10000 by default. */
  logLimit?: number;
  /** Known flasher stubs; stub_table.ts's table by default. */
  stubs?: readonly KnownStub[];
  /** What runs when the board boots from flash; silent by default (a later part adds NodeMCU). */
  app?: (device: Device) => BoardProgram;
  /** Receives the board's events. */
  onEvent?: SimEventListener;
}

/** The options after defaults and validation. */
export interface ResolvedBoardOptions {
  /** The module. */
  module: ModuleName;
  /** The chip. */
  chip: ChipKind;
  /** Canonical flash size name. */
  flashSizeName: string;
  /** Flash size in bytes. */
  flashBytes: number;
  /** MAC address. */
  mac: Uint8Array;
  /** Seed. */
  seed: number;
  /** JEDEC id. */
  jedecId: number;
  /** Initial flash status. */
  flashStatus: number;
  /** Crystal. */
  crystalMhz: 26 | 40;
  /** Power-on boot mode. */
  bootMode: BootMode;
}

/**
 * Applies defaults and checks the options.
 *
 * @param options what the caller gave
 * @returns the resolved options
 * @throws user errors `sim/module`, `sim/chip`, `input/flash-size`, `sim/mac`, `sim/seed`
 *
 * @example
 * ```ts
 * import { resolveBoardOptions } from "./board_options.ts";
 * import assert from "node:assert/strict";
 * const o = resolveBoardOptions({});
 * assert.equal(o.flashBytes, 4 * 1024 * 1024);
 * assert.equal(o.jedecId, 0x1640ef);
 * assert.equal(resolveBoardOptions({ module: "esp-m3" }).chip, "esp8285");
 * ```
 */
export function resolveBoardOptions(options: BoardOptions = {}): ResolvedBoardOptions {
  const module = options.module ?? "esp-12e";
  const preset = MODULES[module];
  if (preset === undefined) {
    throw userError(
      "sim/module",
      `Unknown module '${module}' for the simulated board`,
      `Use one of: ${Object.keys(MODULES).join(", ")}.`,
    );
  }
  const chip = options.chip ?? preset.chip;
  if (chip !== "esp8266" && chip !== "esp8285") {
    throw userError(
      "sim/chip",
      `Unknown chip '${chip}' for the simulated board`,
      "Use esp8266 or esp8285.",
    );
  }
  const size = parseFlashSize(
    options.flashSize ?? (chip === "esp8285" && options.chip ? "1MB" : preset.flashSize),
  );
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw userError(
      "sim/seed",
      `The seed must be a whole number ≥ 0, not ${seed}`,
      "Pass e.g. seed=1.",
    );
  }
  const mac = options.mac === undefined
    ? defaultMacAddress(seed)
    : typeof options.mac === "string"
    ? parseMacAddress(options.mac)
    : options.mac;
  if (mac.length !== 6) {
    throw userError("sim/mac", "A MAC address has 6 bytes", "Pass e.g. 5c:cf:7f:12:34:56.");
  }
  return {
    module,
    chip,
    flashSizeName: size.name,
    flashBytes: size.bytes,
    mac,
    seed,
    jedecId: options.jedecId ?? jedecIdForSize(size.name),
    flashStatus: options.flashStatus ?? 0,
    crystalMhz: options.crystalMhz ?? 26,
    bootMode: options.bootMode ?? "download",
  };
}
