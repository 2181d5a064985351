/**
 * The Action's inputs: the names `action.yml` declares, the environment variables the composite
 * step passes them through (`NODEFLASH_INPUT_<NAME>`, since composite actions get no `INPUT_*`),
 * and a pure parser from those strings to a typed configuration. Every error names its input.
 *
 * Each group of inputs has its own parsers: where the firmware comes from
 * (`release_inputs.ts`), the boards and how to write them (`board_inputs.ts`), the smoke test
 * (`smoke_inputs.ts`). A new group adds its file, its names to {@link INPUT_NAMES}, its fields to
 * {@link ActionConfig} and one line to {@link parseInputs}.
 *
 * @module
 */

import type { FlashMode, FlashSizeName } from "../lib/image/mod.ts";
import type { BaudSetting } from "../mod.ts";
import {
  parseBaudInput,
  parseEraseInput,
  parseFlashModeInput,
  parseFlashSizeInput,
  parsePortsInput,
  type PortsChoice,
} from "./board_inputs.ts";
import {
  type FileSource,
  type InitDataSource,
  parseFirmwareInput,
  parseInitDataInput,
  parseReleaseInput,
  parseRepositoryInput,
  type ReleaseChoice,
} from "./release_inputs.ts";
import { type LuaInputs, parseLuaInputs } from "./lua_inputs.ts";
import {
  parseBooleanInput,
  parseProbeInputs,
  parseSmokeTimeoutInput,
  type ProbeInput,
} from "./smoke_inputs.ts";

/** Every input of `action.yml`, in the order it declares them. */
export const INPUT_NAMES = [
  "repository",
  "release",
  "firmware",
  "init-data",
  "ports",
  "baud",
  "flash-mode",
  "flash-size",
  "erase",
  "smoke",
  "smoke-timeout",
  "lua",
  "expect",
  "lua-files",
  "lua-tests",
  "token",
] as const;

/** One input's name. */
export type InputName = typeof INPUT_NAMES[number];

/** The Action's configuration, parsed from its inputs. */
export interface ActionConfig extends LuaInputs {
  /** `owner/repo`; `undefined` when the input is empty (the release event then names it). */
  repository: string | undefined;
  /** Which release. */
  release: ReleaseChoice;
  /** The firmware, written at 0x0. */
  firmware: FileSource;
  /** Init data at flash size - 0x4000. */
  initData: InitDataSource;
  /** Which boards. */
  ports: PortsChoice;
  /** Working baud rate once the stub runs: `auto` (the fastest that works) or a rate. */
  baud: BaudSetting;
  /** Flash mode written into the image header. */
  flashMode: FlashMode | "keep";
  /** Flash size written into the image header. */
  flashSize: FlashSizeName | "detect" | "keep";
  /** `all` erases each chip before writing. */
  erase: "none" | "all";
  /** Whether to run the smoke test after flashing. */
  smoke: "on" | "off";
  /** Boot-to-prompt limit of the smoke test, milliseconds. */
  smokeTimeoutMs: number;
  /** An extra probe: one line of Lua and what its output must match. */
  probe: ProbeInput | undefined;
  /** GitHub token; empty for anonymous requests. */
  token: string;
}

/**
 * The environment variable that carries an input (`init-data` -> `NODEFLASH_INPUT_INIT_DATA`).
 *
 * @param name the input's name in `action.yml`
 * @returns the variable's name
 *
 * @example
 * ```ts
 * import { inputEnvName } from "./inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(inputEnvName("smoke-timeout"), "NODEFLASH_INPUT_SMOKE_TIMEOUT");
 * ```
 */
export function inputEnvName(name: string): string {
  return `NODEFLASH_INPUT_${name.toUpperCase().replaceAll("-", "_")}`;
}

/**
 * Picks the inputs out of an environment (`Deno.env.toObject()`); absent ones are `""`.
 *
 * @param env the environment
 * @returns each input's raw value, by input name
 *
 * @example
 * ```ts
 * import { inputsFromEnv } from "./inputs.ts";
 * import assert from "node:assert/strict";
 * const raw = inputsFromEnv({ NODEFLASH_INPUT_FIRMWARE: "*-float.bin" });
 * assert.equal(raw["firmware"], "*-float.bin");
 * assert.equal(raw["ports"], "");
 * ```
 */
export function inputsFromEnv(env: Record<string, string | undefined>): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const name of INPUT_NAMES) raw[name] = env[inputEnvName(name)] ?? "";
  return raw;
}

/**
 * Parses the Action's inputs. Empty strings take the defaults; the release input's empty default
 * means "the release that triggered the workflow" (resolved later from the event). Pure: no
 * environment, no files.
 *
 * @param raw each input's value, by input name (see {@link inputsFromEnv})
 * @param options where notes go (what a megabit flash size means)
 * @returns the configuration
 * @throws a user error `input/<name>` naming the input, its value and what to write instead
 *
 * @example
 * ```ts
 * import { parseInputs } from "./inputs.ts";
 * import assert from "node:assert/strict";
 * const config = parseInputs({ firmware: "*-float.bin", ports: "/dev/ttyUSB0", release: "latest" });
 * assert.deepEqual(config.firmware, { kind: "asset", glob: "*-float.bin" });
 * assert.deepEqual(config.ports, { kind: "list", ports: ["/dev/ttyUSB0"] });
 * assert.throws(() => parseInputs({ firmware: "" }), /input 'firmware'/);
 * ```
 */
export function parseInputs(
  raw: Record<string, string>,
  options: { onNote?: (note: string) => void } = {},
): ActionConfig {
  const get = (name: InputName) => (raw[name] ?? "").trim();
  const smoke = parseBooleanInput("smoke", get("smoke"), { fallback: "on" });
  return {
    repository: parseRepositoryInput(get("repository")),
    release: parseReleaseInput(get("release")),
    firmware: parseFirmwareInput(get("firmware")),
    initData: parseInitDataInput(get("init-data")),
    ports: parsePortsInput(raw["ports"] ?? ""),
    baud: parseBaudInput(get("baud")),
    flashMode: parseFlashModeInput(get("flash-mode")),
    flashSize: parseFlashSizeInput(get("flash-size"), options),
    erase: parseEraseInput(get("erase")),
    smoke,
    smokeTimeoutMs: parseSmokeTimeoutInput(get("smoke-timeout")),
    probe: parseProbeInputs({ lua: get("lua"), expect: get("expect"), smoke }),
    ...parseLuaInputs({ files: raw["lua-files"] ?? "", tests: raw["lua-tests"] ?? "" }),
    token: get("token"),
  };
}
