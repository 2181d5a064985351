/**
 * One pass over a boot capture: the ROM's lines, the first-boot file-system format, NodeMCU
 * banners, the `init.lua` message, Lua errors, prompts and failure signatures (docs/boot-log.md
 * A and B).
 * Pure: the smoke test re-parses the growing capture after every chunk.
 *
 * @module
 */

import { type BannerMatch, findBanners } from "./banner.ts";
import { consoleLines, noiseCount } from "./console_text.ts";
import { findLuaErrors, type LuaErrorReport } from "./lua_errors.ts";
import { parseRomLog, type RomLog } from "./rom_log.ts";
import { findSignatures, type SignatureMatch } from "./signatures.ts";

/** The file-system format NodeMCU runs on the first boot after a flash. */
export interface FormatProgress {
  /** Offset of `Formatting file system. Please wait...` (or of the first dot if that was lost). */
  at: number;
  /** Dots printed so far (one per 64 KB erased). */
  dots: number;
  /** Whether something other than a dot followed the dots (the format finished or failed). */
  ended: boolean;
}

/** Everything recognised in a boot capture. */
export interface BootLog {
  /** Length of the text parsed. */
  length: number;
  /** Bytes that are not text (line noise, output read at the wrong baud). */
  noise: number;
  /** The ROM's lines. */
  rom: RomLog;
  /** The last file-system format seen. */
  formatting: FormatProgress | undefined;
  /** Complete NodeMCU banners, in order. */
  banners: BannerMatch[];
  /** Offset of `cannot open init.lua` (either spelling), if printed: normal on a fresh flash. */
  initLuaMissing: number | undefined;
  /** Offsets of Lua prompts (`> ` or `>> ` at the start of a line). */
  prompts: number[];
  /** Failure signatures. */
  signatures: SignatureMatch[];
  /** Lua errors printed (by `init.lua`, or a callback it set up), in order. */
  luaErrors: LuaErrorReport[];
  /** Size and noise of the text after the ROM's last line (all of it when there is none). */
  afterRom: { length: number; noise: number };
}

const FORMATTING = /Formatting file system\. Please wait\.\.\./g;
const INIT_LUA = /(?:lua: )?cannot open init\.lua/;

function formatProgress(text: string): FormatProgress | undefined {
  const starts = [...text.matchAll(FORMATTING)];
  const last = starts[starts.length - 1];
  if (last !== undefined) {
    let i = last.index + last[0].length;
    while (text[i] === "\r" || text[i] === "\n") i++;
    let dots = 0;
    while (text[i] === ".") {
      dots++;
      i++;
    }
    return { at: last.index, dots, ended: i < text.length && dots > 0 };
  }
  // The message itself may have been lost to a baud switch: a line of dots alone says the same.
  const lines = consoleLines(text);
  for (let k = lines.length - 1; k >= 0; k--) {
    const line = lines[k]!;
    if (/^\.{3,}$/.test(line.text)) {
      return { at: line.at, dots: line.text.length, ended: k < lines.length - 1 };
    }
  }
  return undefined;
}

/**
 * Parses a boot capture.
 *
 * @param text console text (see `consoleText`)
 * @returns what it shows
 *
 * @example
 * ```ts
 * import { parseBootLog } from "./boot_log.ts";
 * import assert from "node:assert/strict";
 * const log = parseBootLog(
 *   "Formatting file system. Please wait...\r\n....\r\n" +
 *     "NodeMCU 2.1.0 build unspecified powered by Lua 5.1.4 on SDK 2.1.0(116b762)\r\n" +
 *     "lua: cannot open init.lua\r\n> ",
 * );
 * assert.deepEqual(log.formatting, { at: 0, dots: 4, ended: true });
 * assert.equal(log.banners[0]?.fields.version, "2.1.0");
 * assert.equal(log.prompts.length, 1);
 * ```
 */
export function parseBootLog(text: string): BootLog {
  const prompts: number[] = [];
  let initLuaMissing: number | undefined;
  for (const line of consoleLines(text)) {
    if (/^>>? /.test(line.text)) prompts.push(line.at);
    if (initLuaMissing === undefined && INIT_LUA.test(line.text)) initLuaMissing = line.at;
  }
  const rom = parseRomLog(text);
  return {
    length: text.length,
    noise: noiseCount(text),
    rom,
    formatting: formatProgress(text),
    banners: findBanners(text),
    initLuaMissing,
    prompts,
    signatures: findSignatures(text),
    luaErrors: findLuaErrors(text),
    afterRom: { length: text.length - rom.end, noise: noiseCount(text.slice(rom.end)) },
  };
}

/**
 * Whether console text ends with a Lua prompt waiting for input (`> ` or `>> ` at the start of a
 * line, nothing after it).
 *
 * @param text console text
 * @returns true when the board is waiting at a prompt
 *
 * @example
 * ```ts
 * import { endsWithPrompt } from "./boot_log.ts";
 * if (!endsWithPrompt("cannot open init.lua: \r\n> ") || endsWithPrompt("a > ")) throw new Error();
 * ```
 */
export function endsWithPrompt(text: string): boolean {
  return /(?:^|\n)>>? $/.test(text);
}
