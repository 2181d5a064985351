/**
 * Simulated NodeMCU boards for the Lua-side suites: firmware with a chosen Lua version, module
 * list and NodeMCU version flashed into a `sim://` board, and a Lua session on it whose events
 * are recorded. The board's own file system (`fs()`) is the independent check of what arrived.
 */

import { flashImage, type SimFs, type SimTransport } from "../../lib/sim/mod.ts";
import { openSimTransport } from "../../lib/sim/open_sim_transport.ts";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { type LuaEvent, type LuaSession, openLuaSession } from "../../lib/lua/mod.ts";
import type { BoardOptions } from "../../lib/sim/board_options.ts";

const MB = 1 << 20;

/** What firmware the simulated board runs. */
export interface FirmwareSpec {
  /** `5.1` (default) or `5.3`. */
  lua?: "5.1" | "5.3";
  /** Built-in modules (file, node, tmr, uart by default). */
  modules?: string[];
  /** NodeMCU version, `3.0.0.0` by default. */
  version?: string;
  /** The LFS line of the banner (`0x20000 bytes total capacity`...). */
  lfs?: string;
}

/** The modules of a default build (docs/lua-side.md#crypto-encoder-and-hashing). */
export const DEFAULT_MODULES = ["file", "gpio", "net", "node", "tmr", "uart", "wifi"];
/** A build with hashing. */
export const CRYPTO_MODULES = [...DEFAULT_MODULES, "crypto", "encoder"];

/**
 * A 4 MB flash holding NodeMCU firmware as specified.
 *
 * @param spec the firmware
 * @returns the flash contents
 */
export function nodemcuFlash(spec: FirmwareSpec = {}): Uint8Array {
  const fw = buildNodemcuFirmware({
    totalSize: 0x40000,
    flashSize: "4MB",
    flashMode: "dio",
    banner: {
      version: spec.version ?? "3.0.0.0",
      lua: spec.lua === "5.3" ? "5.3.6" : "5.1.4",
      modules: spec.modules ?? DEFAULT_MODULES,
      ...(spec.lfs ? { lfs: spec.lfs } : {}),
    },
  });
  return flashImage(4 * MB, [[0, fw.combined]]);
}

/** A simulated board with a Lua session. */
export interface LuaSim {
  port: SimTransport;
  session: LuaSession;
  events: LuaEvent[];
  /** The board's mounted file system. */
  fs(): SimFs;
  close(): Promise<void>;
}

/**
 * Boots a simulated board and opens a Lua session on it.
 *
 * @param spec the firmware
 * @param options sim:// URL query and board options
 * @returns the board and session
 */
export async function luaSim(
  spec: FirmwareSpec = {},
  options: { query?: string; board?: Partial<BoardOptions>; answerTimeoutMs?: number } = {},
): Promise<LuaSim> {
  const port = await openSimTransport(`sim://${options.query ?? ""}`, {
    board: { flashContents: nodemcuFlash(spec), ...options.board },
  });
  const events: LuaEvent[] = [];
  const session = await openLuaSession(port, {
    onEvent: (e) => events.push(e),
    ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
  });
  return {
    port,
    session,
    events,
    fs: () => {
      const fs = port.board.nodemcu?.fs;
      if (fs === undefined) throw new Error("the simulated board has no mounted file system");
      return fs;
    },
    close: async () => {
      session.close();
      await port.close();
    },
  };
}

/**
 * A 20 KB Lua file with lines over 300 characters and `]]`, `]==]`, quotes, backslashes and
 * `>` inside strings: what line-based uploaders get wrong.
 *
 * @returns the source
 */
export function awkwardLua(): Uint8Array {
  const lines: string[] = [
    "-- awkward.lua: long lines and long-bracket closers inside strings",
    "T = {}",
  ];
  let i = 0;
  while (lines.join("\n").length < 20_000) {
    const long = "x".repeat(310 + (i % 7));
    lines.push(`T[${2 * i + 1}] = "${long} ]] ]==] \\"quoted\\" \\\\ a > b"`);
    lines.push(`T[${2 * i + 2}] = [==[ ${i} ]] inside ]=] too ]==] .. "\\n"`);
    i++;
  }
  lines.push('print("awkward", #T)');
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

/**
 * Every byte value, several times, in an order where each follows each kind of neighbour.
 *
 * @returns 1 KiB
 */
export function allBytes(): Uint8Array {
  const out = new Uint8Array(1024);
  for (let i = 0; i < out.length; i++) out[i] = (i * 167 + (i >> 8)) & 0xff;
  return out;
}
