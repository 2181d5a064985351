/**
 * What a simulated board is made of, as options with defaults: a NodeMCU devkit (module
 * `esp-12e`: ESP8266EX, 4 MB Winbond W25Q32 flash, 26 MHz crystal, the DTR/RTS reset circuit)
 * with a fixed MAC address unless told otherwise.
 *
 * Which SPI flash modes a module can boot from (docs/boot-log.md B and "Flash-mode guidance"):
 * ESP-12E/F and ESP-07 wire all six flash lines (NodeMCU's docs recommend dio for ESP-12 but
 * qio reads work: the modelled W25Q32 answers quad reads), so all four modes boot; the ESP-01
 * (512 KB) boots all four too (the NodeMCU docs recommend qio for it); the ESP-01S with its
 * 1 MB clone flash boots dio and dout only (its flash does not answer quad reads); ESP8285
 * modules (`esp8285`, `esp-m3`, or any board with chip `esp8285`) boot dout only, since the
 * chip's embedded flash has its WP/HOLD pins taken for GPIO9/10. Booting an image whose header
 * asks for another mode fails as in the field (`csum err` / `ets_main.c`).
 *
 * @module
 */

import { userError } from "../errors.ts";
import { type FlashMode, parseFlashSize } from "../chip/flash_size.ts";
import { jedecIdForSize } from "../chip/jedec.ts";
import type { SimClock } from "./clock.ts";
import type { BoardProgram, Device } from "./device.ts";
import type { ChipKind } from "./efuse.ts";
import { type FaultSpec, parseFaults } from "./faults.ts";
import { defaultMacAddress, parseMacAddress } from "./mac_address.ts";
import type { ResetWiring } from "./reset_circuit.ts";
import type { SimEventListener } from "./sim_event.ts";
import type { KnownStub } from "./stub_table.ts";
import { DEFAULT_TIMING, type SimPace, type TimingParams } from "./time_model.ts";

/** Modules the simulator knows (they set the default chip and flash size). */
export type ModuleName =
  | "esp-12e"
  | "esp-12f"
  | "esp-01"
  | "esp-01s"
  | "esp-07"
  | "esp-m3"
  | "esp8285";

/** Boot mode at a hardware reset (GPIO0 low = download). */
export type BootMode = "download" | "flash";

const ALL_MODES: readonly FlashMode[] = ["qio", "qout", "dio", "dout"];

const MODULES: Readonly<
  Record<ModuleName, { chip: ChipKind; flashSize: string; modes: readonly FlashMode[] }>
> = {
  "esp-12e": { chip: "esp8266", flashSize: "4MB", modes: ALL_MODES },
  "esp-12f": { chip: "esp8266", flashSize: "4MB", modes: ALL_MODES },
  "esp-01": { chip: "esp8266", flashSize: "512KB", modes: ALL_MODES },
  "esp-01s": { chip: "esp8266", flashSize: "1MB", modes: ["dio", "dout"] },
  "esp-07": { chip: "esp8266", flashSize: "1MB", modes: ALL_MODES },
  "esp-m3": { chip: "esp8285", flashSize: "1MB", modes: ["dout"] },
  "esp8285": { chip: "esp8285", flashSize: "1MB", modes: ["dout"] },
};

/** The RC delay on EN of the modelled devkit, ms (see reset_circuit.ts). */
export const DEFAULT_RC_DELAY_MS = 100;

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
  /** Crystal frequency, 26 MHz by default (the ROM talks at 74880; at 115200 on 40 MHz). */
  crystalMhz?: 26 | 40;
  /**
   * Boot mode at every power-up (creation, power cycle, brownout). By default the straps decide:
   * GPIO0 is pulled high, so a devkit (or a manual board with nothing held) boots its firmware;
   * `download` is a board whose GPIO0 is held low at power-up (the pty and raw TCP endpoints,
   * which have no modem lines, start so); resets through EN still follow the straps.
   */
  bootMode?: BootMode;
  /**
   * GPIO15 pulled high at reset (a wiring fault: a missing pull-down): the ROM starts in SDIO
   * mode, prints `boot mode:(7,x)` (`(5,x)` with GPIO0 low) and `waiting for host`, and never
   * answers on the UART (docs/boot-log.md A.2).
   */
  gpio15High?: boolean;
  /**
   * `devkit` (default): DTR/RTS drive EN and GPIO0 through the NodeMCU two-transistor circuit;
   * `manual`: a board without it (ESP-01): the lines do nothing, the buttons do.
   */
  reset?: ResetWiring;
  /** EN's RC delay, ms (100 by default; see reset_circuit.ts). */
  rcDelayMs?: number;
  /** `instant` (default): modelled time passes on the clock without waiting; `realtime`: it takes real time. */
  pace?: SimPace;
  /** Time-model parameters (flash timings, USB latency, boot time), over time_model.ts's defaults. */
  timing?: Partial<TimingParams>;
  /** Faults to inject: a spec (`corrupt=0.001,drop=0.01`, see faults.ts) or parsed. */
  faults?: string | FaultSpec;
  /**
   * The fastest rate the ROM's autobaud recognises a SYNC at (921600 by default, the field's
   * ceiling; 115200 is a board whose ROM syncs at 115200 only). Faster SYNCs get no answer.
   */
  romAutobaudMaxBaud?: number;
  /**
   * The fastest rate the board's USB-serial bridge can run (no limit by default). Asked for a
   * faster one it runs at its fastest while the host believes otherwise (as a CH340 on Linux
   * misses 921600), so whatever switches to the exact rate (a stub after CHANGE_BAUDRATE) no
   * longer understands the host; the ROM's autobaud measures what really arrives.
   */
  bridgeMaxBaud?: number;
  /**
   * Whether the firmware writes default init data when the SDK's sector is blank (NodeMCU ≥ 2.0
   * does). By default decided from the version in the image's banner: yes from 2.0 on and when
   * the image carries no banner, no before 2.0 (see nodemcu_image.ts).
   */
  firmwareWritesInitData?: boolean;
  /** A clock replacing the time model's (its `sleep` is what device work waits on). */
  clock?: SimClock;
  /** How many command records the log keeps; 10000 by default. */
  logLimit?: number;
  /** Known flasher stubs; stub_table.ts's table by default. */
  stubs?: readonly KnownStub[];
  /**
   * What runs when the board boots a valid image from flash, after the ROM's messages, with
   * UART0 at 115200; NodeMCU's console and Lua REPL by default.
   */
  app?: (device: Device) => BoardProgram;
  /**
   * What runs instead of the whole firmware when the board boots a valid image from flash: right
   * after the ROM's messages, with UART0 still at the ROM's rate. Replays field transcripts
   * (`ReplayFirmware`, replay_firmware.ts); takes precedence over `app`.
   */
  firmware?: (device: Device) => BoardProgram;
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
  /** Power-on boot mode, when forced (else the straps decide). */
  bootMode: BootMode | undefined;
  /** GPIO15 pulled high: SDIO mode at every reset. */
  gpio15High: boolean;
  /** Flash modes the module boots from. */
  flashModes: readonly FlashMode[];
  /** Reset wiring. */
  reset: ResetWiring;
  /** EN's RC delay, ms. */
  rcDelayMs: number;
  /** How modelled time passes. */
  pace: SimPace;
  /** Time-model parameters. */
  timing: TimingParams;
  /** Faults to inject. */
  faults: FaultSpec;
  /** The ROM's autobaud limit. */
  romAutobaudMaxBaud: number;
  /** The bridge's fastest rate (Infinity: no limit). */
  bridgeMaxBaud: number;
  /** Forced init-data behaviour of the firmware, if given. */
  firmwareWritesInitData: boolean | undefined;
}

/**
 * Applies defaults and checks the options.
 *
 * @param options what the caller gave
 * @returns the resolved options
 * @throws user errors `sim/module`, `sim/chip`, `input/flash-size`, `sim/mac`, `sim/seed`,
 *   `sim/reset`, `sim/timing`, `sim/faults`
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
    bootMode: options.bootMode,
    gpio15High: options.gpio15High ?? false,
    flashModes: chip === "esp8285" ? ["dout"] : preset.modes,
    reset: checkReset(options.reset),
    rcDelayMs: checkTime("rcDelayMs", options.rcDelayMs ?? DEFAULT_RC_DELAY_MS),
    pace: options.pace === "realtime" ? "realtime" : "instant",
    timing: resolveTiming(options.timing),
    faults: typeof options.faults === "string" ? parseFaults(options.faults) : options.faults ?? {},
    firmwareWritesInitData: options.firmwareWritesInitData,
    romAutobaudMaxBaud: checkBaud("romAutobaudMaxBaud", options.romAutobaudMaxBaud ?? 921600),
    bridgeMaxBaud: checkBaud("bridgeMaxBaud", options.bridgeMaxBaud ?? Infinity),
  };
}

function checkBaud(name: string, value: number): number {
  if (value === Infinity || (Number.isInteger(value) && value >= 300)) return value;
  throw userError(
    "sim/baud",
    `The simulated board's ${name} must be a baud rate (a whole number ≥ 300), not ${value}`,
    "Give e.g. 115200 or 460800.",
  );
}

function checkReset(reset: ResetWiring | undefined): ResetWiring {
  if (reset === undefined || reset === "devkit" || reset === "manual") return reset ?? "devkit";
  throw userError(
    "sim/reset",
    `Unknown reset wiring '${reset}' for the simulated board`,
    "Use devkit (DTR/RTS reset circuit) or manual (buttons only).",
  );
}

function checkTime(name: string, value: number): number {
  if (Number.isFinite(value) && value >= 0) return value;
  throw userError(
    "sim/timing",
    `The simulated board's ${name} must be a number ≥ 0, not ${value}`,
    "Give a time in the unit the option names (ms or µs).",
  );
}

function resolveTiming(timing: Partial<TimingParams> = {}): TimingParams {
  const out = { ...DEFAULT_TIMING, ...timing };
  for (const [name, value] of Object.entries(out)) checkTime(name, value);
  return out;
}
