/**
 * `sim://` port URLs: which simulated board to create.
 *
 * ```
 * sim://[?key=value&...]
 * ```
 *
 * | key | value | default |
 * |---|---|---|
 * | `flash-size` | `256KB` … `16MB` (any spelling `parseFlashSize` accepts) | from the module (4MB) |
 * | `chip` | `esp8266` or `esp8285` | from the module (esp8266) |
 * | `module` | `esp-12e`, `esp-12f`, `esp-01`, `esp-01s`, `esp-07`, `esp-m3` | `esp-12e` |
 * | `mac` | `5c:cf:7f:12:34:56` | `5c:cf:7f:00:00:01` (from the seed) |
 * | `flash-file` | path of a backing file (created when missing) | none: the flash lives in memory |
 * | `seed` | whole number for everything generated | 0 |
 * | `jedec-id` | 24-bit JEDEC id, e.g. `0x1640ef` | Winbond id for the size |
 * | `boot` | `download` or `flash`: boot mode at power-on | `download` |
 *
 * A bare `sim://` is a NodeMCU devkit: ESP8266EX, 4 MB flash, MAC 5c:cf:7f:00:00:01.
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { BoardOptions, BootMode, ModuleName } from "./board_options.ts";
import type { ChipKind } from "./efuse.ts";

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
  const out: BoardOptions = {};
  for (const [key, value] of new URLSearchParams(m[2] ?? "")) {
    applyKey(out, key, value, url);
  }
  return out;
}

function applyKey(out: BoardOptions, key: string, value: string, url: string): void {
  const bad = (what: string) => userError("sim/url", `Bad ${key} '${value}' in ${url}`, what);
  switch (key) {
    case "flash-size":
      out.flashSize = value;
      return;
    case "chip":
      if (value !== "esp8266" && value !== "esp8285") {
        throw bad("Use chip=esp8266 or chip=esp8285.");
      }
      out.chip = value as ChipKind;
      return;
    case "module":
      out.module = value as ModuleName;
      return;
    case "mac":
      out.mac = value;
      return;
    case "flash-file":
      if (value === "") throw bad("Give a file path.");
      out.flashFile = value;
      return;
    case "seed":
      if (!/^\d+$/.test(value)) throw bad("Use a whole number, e.g. seed=1.");
      out.seed = Number(value);
      return;
    case "jedec-id": {
      const id = Number(value);
      if (!Number.isInteger(id) || id <= 0 || id > 0xffffff) {
        throw bad("Use a 24-bit id, e.g. jedec-id=0x1640ef.");
      }
      out.jedecId = id;
      return;
    }
    case "boot":
      if (value !== "download" && value !== "flash") throw bad("Use boot=download or boot=flash.");
      out.bootMode = value as BootMode;
      return;
    default:
      throw userError(
        "sim/url",
        `Unknown key '${key}' in ${url}`,
        `The keys are: ${SIM_URL_KEYS.join(", ")}.`,
      );
  }
}
