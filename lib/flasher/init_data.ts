/**
 * ESP8266 RF init data (`esp_init_data_default.bin`, 128 bytes), built in so users need not
 * hunt for the file: the equivalent of the NodeMCU Flasher's `INTERNAL://DEFAULT`.
 *
 * The bytes are Espressif's data tables from ESP8266_NONOS_SDK `bin/`:
 *
 *   Copyright (c) 2015 ESPRESSIF SYSTEMS (SHANGHAI) PTE LTD
 *   Licensed under the ESPRESSIF MIT License: free use on ESP8266 only; this notice must be kept
 *   wherever these bytes are shipped.
 *
 * - `default`: `esp_init_data_default_v08.bin` (SDK 2.2.0 and later), sha256
 *   b2218087cf938ce665b26ac049f7d146677c70fe2909205a4d0e6a58aef0e4b3;
 * - `v05`: `esp_init_data_default_v05.bin` (SDK up to 2.1, NodeMCU 1.x), sha256
 *   0da80624efa6159bbf30141b6e978a17bed80d8f5505c4bbfb75d49f496ecb83.
 *
 * They go at flash size − 0x4000 (0x7c000 on 512 KB, 0x3fc000 on 4 MB), where the SDK looks.
 *
 * @module
 */

import { fromHex } from "../bytes/hex.ts";

const V08 =
  "0508040205050502050004050504050504fefdfff0f0f0e0e0e0e10afffff800f8f84e4a46403c38000001010203040501000000000002000000000000000000e10a0000000000000000019343000000000000000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000";
const V05 =
  "0500040205050502050004050504050504fefdfff0f0f0e0e0e0e10afffff800f8f8524e4a444038000001010203040501000000000002000000000000000000e10a0000000000000000019343000000000000000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000";

/** Which built-in init data. */
export type BuiltInInitData = "default" | "v05";

/**
 * The built-in init data bytes.
 *
 * @param which `default` (v08) or `v05`
 * @returns 128 bytes (a fresh copy)
 *
 * @example
 * ```ts
 * import { builtInInitData } from "./init_data.ts";
 * const d = builtInInitData("default");
 * if (d.length !== 128 || d[0] !== 0x05 || d[1] !== 0x08) throw new Error();
 * ```
 */
export function builtInInitData(which: BuiltInInitData): Uint8Array {
  return fromHex(which === "v05" ? V05 : V08);
}
