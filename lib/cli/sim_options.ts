/**
 * What `nodeflash sim` serves, read from its options: the endpoint (`--rfc2217`, `--tcp`,
 * `--pty`) and the board (every `sim://` key as an option of the same name, lib/sim/sim_url.ts;
 * `--firmware-writes-init-data` is `--init-data firmware`). Pure.
 *
 * @module
 */

import { userError } from "../../mod.ts";
import {
  type BoardOptions,
  type ChipKind,
  type ModuleName,
  simOption,
  type SimServerKind,
} from "../sim/mod.ts";
import type { ParsedCommandLine } from "./command.ts";

/** A command's parsed options, by long name. */
type CommandOptions = ParsedCommandLine["options"];

/** Where `nodeflash sim` serves. */
export interface SimEndpoint {
  /** rfc2217, tcp or pty. */
  kind: SimServerKind;
  /** Host to listen on (rfc2217, tcp). */
  host?: string;
  /** Port to listen on (rfc2217, tcp; 0 picks a free one). */
  port?: number;
  /** pty: a symlink kept pointing at the pty (`--link`). */
  ptyLink?: string;
}

/**
 * The endpoint `nodeflash sim` serves: exactly one of `--rfc2217`, `--tcp`, `--pty`.
 *
 * @param options the command's options
 * @returns the endpoint
 * @throws a user error `cli/sim-endpoint` or `cli/sim-address`
 *
 * @example
 * ```ts
 * import { simEndpoint } from "./sim_options.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(simEndpoint({ tcp: "127.0.0.1:0" }), { kind: "tcp", host: "127.0.0.1", port: 0 });
 * assert.throws(() => simEndpoint({}), { code: "cli/sim-endpoint" });
 * ```
 */
export function simEndpoint(options: CommandOptions): SimEndpoint {
  const rfc = options.rfc2217;
  const tcp = options.tcp;
  const pty = options.pty === true;
  const given = [rfc !== undefined, tcp !== undefined, pty].filter(Boolean).length;
  if (given !== 1) {
    throw userError(
      "cli/sim-endpoint",
      given === 0
        ? "nodeflash sim needs an endpoint"
        : "nodeflash sim serves one endpoint at a time",
      "Give exactly one of --rfc2217 HOST:PORT, --tcp HOST:PORT or --pty.",
    );
  }
  const link = options.link;
  if (link !== undefined && !pty) {
    throw userError("cli/sim-endpoint", "--link goes with --pty", "Add --pty, or drop --link.");
  }
  if (pty) return typeof link === "string" ? { kind: "pty", ptyLink: link } : { kind: "pty" };
  const text = String(rfc ?? tcp);
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || m[1] === "" || port > 65535) {
    throw userError(
      "cli/sim-address",
      `'${text}' is not HOST:PORT`,
      "Write e.g. --rfc2217 127.0.0.1:4000 (port 0 picks a free one).",
    );
  }
  return { kind: rfc !== undefined ? "rfc2217" : "tcp", host: m[1]!, port };
}

/**
 * The simulated board `nodeflash sim` serves, from its options (the `sim://` keys of the same
 * names).
 *
 * @param options the command's options
 * @returns the board options
 * @throws a user error `cli/sim-chip`, `cli/sim-seed` or `cli/sim-option`
 *
 * @example
 * ```ts
 * import { simBoardOptions } from "./sim_options.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(simBoardOptions({ chip: "ESP8285", seed: "3", realtime: true }), {
 *   chip: "esp8285",
 *   seed: 3,
 *   pace: "realtime",
 * });
 * ```
 */
export function simBoardOptions(options: CommandOptions): BoardOptions {
  const str = (k: string) => typeof options[k] === "string" ? options[k] as string : undefined;
  const out: BoardOptions = {};
  const size = str("flash-size");
  if (size !== undefined) out.flashSize = size;
  const chip = str("chip")?.toLowerCase();
  if (chip !== undefined && chip !== "auto") {
    if (chip !== "esp8266" && chip !== "esp8285") {
      throw userError(
        "cli/sim-chip",
        `The simulator has no chip '${chip}'`,
        "Use esp8266 or esp8285.",
      );
    }
    out.chip = chip as ChipKind;
  }
  const module = str("module");
  if (module !== undefined) out.module = module as ModuleName;
  const mac = str("mac");
  if (mac !== undefined) out.mac = mac;
  const file = str("flash-file");
  if (file !== undefined) out.flashFile = file;
  const seed = str("seed");
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed)) {
      throw userError("cli/sim-seed", `--seed must be a whole number, not '${seed}'`);
    }
    out.seed = Number(seed);
  }
  return { ...out, ...partTwoOptions(options) };
}

/** The `sim://` keys `nodeflash sim` takes as options of the same names, with a value. */
const URL_KEY_OPTIONS = [
  "reset",
  "boot",
  "gpio15",
  "latency-ms",
  "faults",
  "jedec-id",
  "crystal",
  "init-data",
  "autobaud-max",
  "bridge-max",
] as const;

/**
 * The flash chip, crystal, firmware, reset circuit, time model and fault options, read as the
 * `sim://` keys of the same names.
 */
function partTwoOptions(options: CommandOptions): BoardOptions {
  let out: BoardOptions = {};
  for (const key of URL_KEY_OPTIONS) {
    const value = options[key];
    if (typeof value !== "string") continue;
    out = { ...out, ...simOption(key, value, { code: "cli/sim-option", where: `--${key}` }) };
  }
  if (options.realtime === true) out.pace = "realtime";
  if (options["firmware-writes-init-data"] === true) {
    const said = options["init-data"];
    if (said !== undefined && said !== "firmware") {
      throw userError(
        "cli/sim-option",
        `--firmware-writes-init-data contradicts --init-data ${said}`,
        "Give one of them: --firmware-writes-init-data is --init-data firmware.",
      );
    }
    out.firmwareWritesInitData = true;
  }
  return out;
}
