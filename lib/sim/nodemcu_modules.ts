/**
 * The Lua modules the simulated NodeMCU firmware offers, chosen by the image's module list (the
 * banner's `modules:` line, also `node.info("build_config").modules`; nodemcu_host.ts
 * `moduleList`): `node` (nodemcu_node.ts), `file` (nodemcu_file.ts), `tmr` (nodemcu_tmr.ts),
 * `uart` (nodemcu_uart.ts), `crypto` and `encoder` (nodemcu_crypto.ts), `bit` (nodemcu_bit.ts);
 * a module the image lacks is a `nil` global, as on the device. `loadfile`, `dofile`, `require`
 * and `package` (nodemcu_loader.ts) are always there. Other models (LFS: `node.LFS`) add theirs
 * through `extensions`, run after the modules.
 *
 * @module
 */

import { installBit } from "./nodemcu_bit.ts";
import { installCrypto, installEncoder } from "./nodemcu_crypto.ts";
import { installFile } from "./nodemcu_file.ts";
import { moduleList, type NodemcuHost, runPrelude } from "./nodemcu_host.ts";
import { installLoader } from "./nodemcu_loader.ts";
import { installNode } from "./nodemcu_node.ts";
import { installTmr } from "./nodemcu_tmr.ts";
import { installUart } from "./nodemcu_uart.ts";

export type { NodemcuHost } from "./nodemcu_host.ts";

/** Options for {@link installNodemcuModules}. */
export interface ModuleOptions {
  /** More installers (e.g. `node.LFS`), run after the built-in modules. */
  extensions?: ReadonlyArray<(host: NodemcuHost) => void>;
}

/**
 * Installs the image's modules into the host's VM.
 *
 * @param host the firmware's side
 * @param options extra installers
 * @returns a function that forgets every open file (at a restart), flushing nothing
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import { ConsoleTap, flashImage } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const image = buildNodemcuFirmware({ totalSize: 0x20000, flashSize: "1MB", banner: { version: "3.0.0.0", modules: ["file", "node", "uart"] } });
 * const board = new SimBoard({ flashSize: "1MB", flashContents: flashImage(1 << 20, image.combined) });
 * const tap = new ConsoleTap(board);
 * await tap.until("\r\n> ");
 * tap.clear();
 * tap.type("=type(file), type(tmr), node.info('build_config').modules\r\n");
 * assert.match(await tap.until("\r\n> "), /table\tnil\tfile,node,uart\r\n/);
 * await board.close();
 * ```
 */
export function installNodemcuModules(host: NodemcuHost, options: ModuleOptions = {}): () => void {
  const listed = new Set(moduleList(host.image));
  installLoader(host);
  let openFiles = () => 0;
  let closeFiles = () => {};
  if (listed.has("file")) {
    const files = installFile(host);
    closeFiles = files.close;
    openFiles = files.count;
  }
  if (listed.has("node")) installNode(host, openFiles);
  if (listed.has("tmr")) installTmr(host);
  if (listed.has("uart")) installUart(host);
  if (listed.has("crypto")) installCrypto(host);
  if (listed.has("encoder")) installEncoder(host);
  if (listed.has("bit")) installBit(host);
  for (const extend of options.extensions ?? []) extend(host);
  host.vm.setGlobal("__sim_read", undefined);
  // What is global now is the firmware's own (NodeMCU 5.3 names its C functions after it).
  runPrelude(host.vm, "local B = ... B.seal()");
  return closeFiles;
}
