/**
 * `sim://` port URLs: which simulated board to create. The same keys are `nodeflash sim`'s
 * board options (`--reset manual`, `--faults ...`), read by {@link simOption}.
 *
 * ```
 * sim://[?key=value&...]
 * ```
 *
 * | key | value | default |
 * |---|---|---|
 * | `flash-size` | `256KB` … `16MB` (any spelling `parseFlashSize` accepts) | from the module (4MB) |
 * | `chip` | `esp8266` or `esp8285` | from the module (esp8266) |
 * | `module` | `esp-12e`, `esp-12f`, `esp-01`, `esp-01s`, `esp-07`, `esp-m3`, `esp8285` | `esp-12e` |
 * | `mac` | `5c:cf:7f:12:34:56` | `5c:cf:7f:00:00:01` (from the seed) |
 * | `flash-file` | path of a backing file (created when missing) | none: the flash lives in memory |
 * | `seed` | whole number for everything generated (faults included) | 0 |
 * | `jedec-id` | 24-bit JEDEC id, e.g. `0x1640ef` | Winbond id for the size |
 * | `boot` | `download` or `flash`: boot mode at every power-up | the straps: `flash` |
 * | `reset` | `devkit` (DTR/RTS circuit) or `manual` (buttons only) | `devkit` |
 * | `realtime` | (no value), `1`/`true` or `0`/`false`: modelled time takes real time | off |
 * | `latency-ms` | USB latency per direction, ms | 0 |
 * | `faults` | a fault spec (faults.ts), e.g. `drop=0.01,delay=20` | none |
 * | `crystal` | `26` or `40` (MHz; the ROM talks at 74880 or 115200) | 26 |
 * | `init-data` | `auto`, `firmware` (it writes init data) or `none` | `auto` |
 * | `autobaud-max` | the fastest rate the ROM's autobaud syncs at, e.g. `115200` | 921600 |
 * | `bridge-max` | the USB bridge's fastest rate; asked for more, it runs at it | no limit |
 *
 * A bare `sim://` is a NodeMCU devkit: ESP8266EX, 4 MB flash, MAC 5c:cf:7f:00:00:01, powering up
 * into the firmware in its flash.
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { BoardOptions, BootMode, ModuleName } from "./board_options.ts";
import type { ChipKind } from "./efuse.ts";
import { parseFaults } from "./faults.ts";

/** The keys a `sim://` URL accepts. */
export const SIM_URL_KEYS: readonly string[] = [
  "flash-size",
  "chip",
  "module",
  "mac",
  "flash-file",
  "seed",
  "jedec-id",
  "boot",
  "gpio15",
  "reset",
  "realtime",
  "latency-ms",
  "faults",
  "crystal",
  "init-data",
  "autobaud-max",
  "bridge-max",
];

/**
 * Reads a `sim://` URL into board options.
 *
 * @param url `sim://?flash-size=1MB&mac=...`
 * @returns the board options
 * @throws a user error `sim/url` for another scheme, an unknown key or a bad value
 *
 * @example
 * ```ts
 * import { parseSimUrl } from "./sim_url.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseSimUrl("sim://?flash-size=1MB&seed=7"), { flashSize: "1MB", seed: 7 });
 * assert.deepEqual(parseSimUrl("sim://?reset=manual&realtime"), { reset: "manual", pace: "realtime" });
 * assert.deepEqual(parseSimUrl("sim://"), {});
 * ```
 */
export function parseSimUrl(url: string): BoardOptions {
  const m = /^sim:(?:\/\/)?([^?#]*)(?:\?([^#]*))?$/i.exec(url.trim());
  if (!m || (m[1] !== "" && m[1] !== "/")) {
    throw userError(
      "sim/url",
      `'${url}' is not a sim:// URL`,
      "Write e.g. sim://?flash-size=4MB&chip=esp8266.",
    );
  }
  let out: BoardOptions = {};
  for (const [key, value] of new URLSearchParams(m[2] ?? "")) {
    out = { ...out, ...simOption(key, value, { code: "sim/url", where: url }) };
  }
  return out;
}

/**
 * Reads one board option given by key, as in a `sim://` URL (also `nodeflash sim`'s flags).
 *
 * @param key e.g. `flash-size`, `reset`, `faults`
 * @param value its value (`""` for a bare key)
 * @param options the error code to use and where the option came from, for messages
 * @returns the board option it sets
 * @throws a user error with `options.code` for an unknown key or a bad value
 *
 * @example
 * ```ts
 * import { simOption } from "./sim_url.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(simOption("latency-ms", "16", { code: "sim/url", where: "sim://" }), { timing: { latencyMs: 16 } });
 * ```
 */
export function simOption(
  key: string,
  value: string,
  options: { code: string; where: string },
): BoardOptions {
  const bad = (what: string) =>
    userError(options.code, `Bad ${key} '${value}' in ${options.where}`, what);
  switch (key) {
    case "flash-size":
      return { flashSize: value };
    case "chip":
      if (value !== "esp8266" && value !== "esp8285") {
        throw bad("Use chip=esp8266 or chip=esp8285.");
      }
      return { chip: value as ChipKind };
    case "module":
      return { module: value as ModuleName };
    case "mac":
      return { mac: value };
    case "flash-file":
      if (value === "") throw bad("Give a file path.");
      return { flashFile: value };
    case "seed":
      if (!/^\d+$/.test(value)) throw bad("Use a whole number, e.g. seed=1.");
      return { seed: Number(value) };
    case "jedec-id": {
      const id = Number(value);
      if (!Number.isInteger(id) || id <= 0 || id > 0xffffff) {
        throw bad("Use a 24-bit id, e.g. jedec-id=0x1640ef.");
      }
      return { jedecId: id };
    }
    case "boot":
      if (value !== "download" && value !== "flash") throw bad("Use boot=download or boot=flash.");
      return { bootMode: value as BootMode };
    case "gpio15":
      if (value !== "low" && value !== "high") throw bad("Use gpio15=low or gpio15=high.");
      return { gpio15High: value === "high" };
    default:
      return partTwoOption(key, value, { ...options, bad });
  }
}

/** The keys of the reset circuit, the time model, faults and firmware behaviour. */
function partTwoOption(
  key: string,
  value: string,
  options: { code: string; where: string; bad: (what: string) => Error },
): BoardOptions {
  const { bad } = options;
  switch (key) {
    case "reset":
      if (value !== "devkit" && value !== "manual") throw bad("Use reset=devkit or reset=manual.");
      return { reset: value };
    case "realtime":
      if (!["", "1", "true", "0", "false"].includes(value)) {
        throw bad("Use realtime, realtime=1 or realtime=0.");
      }
      return { pace: ["", "1", "true"].includes(value) ? "realtime" : "instant" };
    case "latency-ms": {
      const ms = Number(value);
      if (value === "" || !Number.isFinite(ms) || ms < 0 || ms > 1000) {
        throw bad("Give milliseconds between 0 and 1000, e.g. latency-ms=16.");
      }
      return { timing: { latencyMs: ms } };
    }
    case "faults":
      return { faults: parseFaults(value) };
    case "crystal":
      if (value !== "26" && value !== "40") throw bad("Use crystal=26 or crystal=40.");
      return { crystalMhz: value === "26" ? 26 : 40 };
    case "init-data":
      if (value === "auto") return {};
      if (value !== "firmware" && value !== "none") {
        throw bad("Use init-data=auto, init-data=firmware or init-data=none.");
      }
      return { firmwareWritesInitData: value === "firmware" };
    case "autobaud-max":
    case "bridge-max": {
      const baud = Number(value);
      if (!/^\d+$/.test(value) || baud < 300 || baud > 10_000_000) {
        throw bad(`Give a baud rate, e.g. ${key}=115200.`);
      }
      return key === "autobaud-max" ? { romAutobaudMaxBaud: baud } : { bridgeMaxBaud: baud };
    }
    default:
      throw userError(
        options.code,
        `Unknown key '${key}' in ${options.where}`,
        `The keys are: ${SIM_URL_KEYS.join(", ")}.`,
      );
  }
}
