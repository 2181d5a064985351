/**
 * What the simulated NodeMCU firmware learns about itself from the flash, as the real one does
 * from its build and the SDK from the image header:
 *
 * - the flash size in the header at 0x0 (the SDK trusts it, not the chip: a 512 KB header on a
 *   4 MB chip puts init data at 0x7C000), and from it the init-data sector (size − 0x4000) and
 *   the end of the file system (size − 0x5000, where the RF calibration sector starts);
 * - where the firmware ends: the v1 image at 0x0 and the IROM part at 0x10000 (0x40000 for
 *   pre-2.0 SDKs) up to the first erased sector, or one that starts the file system or an LFS
 *   image (at most 1 MB, the IROM window); the LFS partition the banner's `LFS:` line sizes
 *   follows it (8 KiB aligned), and the file system starts at the next 64 KiB boundary after
 *   both, as NodeMCU's SPIFFS does;
 * - the banner the image carries (lib/image's `findNodemcuBanner`: the text exactly as the
 *   firmware prints it), with a generic one for images that carry none;
 * - its Lua: the banner's `powered by Lua 5.x` picks the interpreter (5.3 for `5.3.x`, else
 *   5.1; images without a banner print the generic banner, `Lua 5.1.4`, and so run 5.1), and
 *   its `build type:` line the number type (`float` when absent). Integer builds are not
 *   modelled: they run on the float interpreter (see lib/sim/README.md);
 * - its era, from the banner's version (else the SDK version's major number; images without a
 *   banner count as 3.x): 3.x's start-up lines and modules; and its Lua front end, from when it
 *   was built (nodemcu_front_end.ts: the console, `init.lua`'s messages, errors in callbacks);
 * - whether it writes default init data into a blank init-data sector itself: NodeMCU ≥ 2.0
 *   does (docs/boot-log.md C), older firmware does not, and the SDK then prints
 *   `rf_cal[0] !=0x05,is 0xFF` and reboots, again and again. The board option
 *   `firmwareWritesInitData` overrides the rule.
 *
 * @module
 */

import { FLASH_SIZES } from "../chip/flash_size.ts";
import { findNodemcuBanner, type NodemcuBanner } from "../image/find_nodemcu_banner.ts";
import { parseImage } from "../image/parse_image.ts";
import { type LuaFrontEnd, luaFrontEnd } from "./nodemcu_front_end.ts";

/** Sector size. */
const SECTOR = 0x1000;
/** The file system's first bytes, written when it is formatted (see sim_fs.ts). */
export const FS_MAGIC = "NFSIM-FS";

/** What the firmware knows about itself. */
export interface NodemcuImage {
  /** Flash size the image header says, in bytes (the chip's size when the code is unknown). */
  headerFlashBytes: number;
  /** The banner the image carries, if any. */
  banner: NodemcuBanner | undefined;
  /** What the firmware prints as its banner (the image's, or a generic one), `\n` line ends. */
  bannerText: string;
  /** Firmware version (`3.0.0.0`), if known. */
  version: string | undefined;
  /** The Lua the firmware runs, from the banner (5.1 when it says none). */
  luaVersion: "5.1" | "5.3";
  /** The banner's `build type:` (`float` when absent); `integer` runs on the float VM. */
  numberType: "float" | "integer" | "double";
  /** NodeMCU 3.x or older (start-up lines, modules). */
  era: "3.x" | "2.x";
  /** Its Lua front end: how lines run, what `init.lua` and errors print (nodemcu_front_end.ts). */
  frontEnd: LuaFrontEnd;
  /** Whether it writes default init data into a blank sector. */
  writesInitData: boolean;
  /** Where the SDK looks for init data. */
  initDataAddress: number;
  /**
   * Where its IROM part starts (0x10000, or 0x40000 for pre-2.0 SDKs); `undefined` when both
   * are erased: the code at 0x0 then jumps into erased flash (see nodemcu_program.ts).
   */
  iromAddress: number | undefined;
  /** End of the firmware's bytes (sector aligned). */
  firmwareEnd: number;
  /**
   * The LFS partition (3.x partition table: `LUA_FLASH_STORE` bytes, the banner's `LFS:` size,
   * rounded up to 8 KiB, right after the firmware rounded up to 8 KiB); size 0 when the build
   * has none. See nodemcu_lfs.ts.
   */
  lfs: { start: number; size: number };
  /** First byte of the file system area. */
  fsStart: number;
  /** End of the file system area (exclusive); `fsEnd <= fsStart` means no room. */
  fsEnd: number;
}

/** The generic banner for images without one. */
export const GENERIC_BANNER =
  "\nNodeMCU 3.0.0.0 build unspecified powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)";

/**
 * Inspects the firmware in flash.
 *
 * @param read reads flash (addresses wrap at the chip's size)
 * @param options the chip's size; the board's `firmwareWritesInitData`, if given
 * @returns what the firmware knows about itself
 *
 * @example
 * ```ts
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import { inspectNodemcuImage } from "./nodemcu_image.ts";
 * import assert from "node:assert/strict";
 * const flash = new Uint8Array(1 << 20).fill(0xff);
 * flash.set(buildNodemcuFirmware({ totalSize: 0x30000, flashSize: "1MB" }).combined);
 * const image = inspectNodemcuImage((a, n) => flash.slice(a, a + n), { flashBytes: flash.length });
 * assert.deepEqual([image.version, image.era, image.fsStart, image.initDataAddress], ["3.0.0.0", "3.x", 0x30000, 0xfc000]);
 * assert.deepEqual([image.luaVersion, image.numberType], ["5.1", "float"]);
 * ```
 */
export function inspectNodemcuImage(
  read: (address: number, length: number) => Uint8Array,
  options: { flashBytes: number; writesInitData?: boolean | undefined },
): NodemcuImage {
  const header = read(0, 8);
  const code = header[3]! >> 4;
  const headerFlashBytes = FLASH_SIZES.find((r) => r.headerCode === code)?.bytes ??
    options.flashBytes;
  const { end: firmwareEnd, irom: iromAddress } = findFirmwareEnd(
    read,
    Math.min(headerFlashBytes, options.flashBytes),
  );
  const banner = findNodemcuBanner(read(0, firmwareEnd));
  const version = banner?.version;
  const parsed = Number((version ?? banner?.sdk ?? "3").split(".")[0]);
  const major = Number.isInteger(parsed) ? parsed : 3;
  const luaVersion = banner?.lua?.startsWith("5.3") ? "5.3" : "5.1";
  const lfsBytes = Math.ceil((banner?.lfsBytes ?? 0) / 0x2000) * 0x2000;
  const lfs = { start: Math.ceil(firmwareEnd / 0x2000) * 0x2000, size: lfsBytes };
  const used = lfsBytes > 0 ? lfs.start + lfsBytes : firmwareEnd;
  const fsStart = Math.ceil(used / 0x10000) * 0x10000;
  return {
    headerFlashBytes,
    banner,
    bannerText: banner?.text ?? GENERIC_BANNER,
    version,
    luaVersion,
    numberType: banner?.buildType === "integer" || banner?.buildType === "double"
      ? banner.buildType
      : "float",
    era: major >= 3 ? "3.x" : "2.x",
    frontEnd: luaFrontEnd(banner, { major, lua: luaVersion }),
    writesInitData: options.writesInitData ?? major >= 2,
    initDataAddress: headerFlashBytes - 0x4000,
    iromAddress,
    firmwareEnd,
    lfs,
    fsStart,
    fsEnd: headerFlashBytes - 0x5000,
  };
}

/** End of the v1 image at 0x0 and of the IROM part, sector aligned. */
function findFirmwareEnd(
  read: (a: number, n: number) => Uint8Array,
  limit: number,
): { end: number; irom: number | undefined } {
  let end = SECTOR;
  try {
    end = parseImage(read(0, 0x10000)).end;
  } catch {
    // not parseable: the ROM would not have started it; keep the first sector
  }
  end = Math.ceil(end / SECTOR) * SECTOR;
  const irom = [0x10000, 0x40000].find((at) => at < limit && !isErased(read(at, SECTOR)));
  if (irom === undefined) return { end, irom };
  let at = irom;
  const max = Math.min(limit, 0x100000);
  while (at < max) {
    const sector = read(at, SECTOR);
    if (isErased(sector) || startsWithMagic(sector) || startsWithLfsSignature(sector)) break;
    at += SECTOR;
  }
  return { end: Math.max(end, at), irom };
}

function isErased(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0xff);
}

/** An LFS image's first word (both Lua versions' signatures share 0xFAFAAxxx). */
function startsWithLfsSignature(bytes: Uint8Array): boolean {
  return bytes[3] === 0xfa && bytes[2] === 0xfa && (bytes[1]! & 0xf0) === 0xa0;
}

function startsWithMagic(bytes: Uint8Array): boolean {
  for (let i = 0; i < FS_MAGIC.length; i++) if (bytes[i] !== FS_MAGIC.charCodeAt(i)) return false;
  return true;
}
