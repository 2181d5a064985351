/**
 * The flash parameters an ESP8266 image header carries, as tables: flash size (high nibble of
 * header byte 3), flash frequency (low nibble of byte 3) and SPI mode (byte 2); the parsers for
 * every spelling users type. The JEDEC-id → size rule is in jedec.ts.
 *
 * Facts: docs/protocol.md §11.1 (codes, megabit names).
 *
 * @module
 */

import { type NodeflashError, userError } from "../errors.ts";

/** Canonical flash size names, as esptool spells them. */
export type FlashSizeName =
  | "256KB"
  | "512KB"
  | "1MB"
  | "2MB"
  | "4MB"
  | "2MB-c1"
  | "4MB-c1"
  | "8MB"
  | "16MB";

/** One ESP8266 flash size. */
export interface FlashSizeRow {
  /** Canonical name. */
  readonly name: FlashSizeName;
  /** Size in bytes. */
  readonly bytes: number;
  /** Code in the high nibble of image header byte 3 (0x0..0x9, not shifted). */
  readonly headerCode: number;
}

const KB = 1024;
const MB = 1024 * 1024;

/**
 * Every flash size the ESP8266 image header can express, smallest first; the `-c1` rows are the
 * SDK's "1024+1024" OTA maps of the same chip size.
 *
 * @example
 * ```ts
 * import { FLASH_SIZES } from "./flash_size.ts";
 * import assert from "node:assert/strict";
 * assert.equal(FLASH_SIZES.find((r) => r.name === "4MB")?.headerCode, 0x4);
 * ```
 */
export const FLASH_SIZES: readonly FlashSizeRow[] = Object.freeze(
  [
    { name: "256KB", bytes: 256 * KB, headerCode: 0x1 },
    { name: "512KB", bytes: 512 * KB, headerCode: 0x0 },
    { name: "1MB", bytes: 1 * MB, headerCode: 0x2 },
    { name: "2MB", bytes: 2 * MB, headerCode: 0x3 },
    { name: "4MB", bytes: 4 * MB, headerCode: 0x4 },
    { name: "2MB-c1", bytes: 2 * MB, headerCode: 0x5 },
    { name: "4MB-c1", bytes: 4 * MB, headerCode: 0x6 },
    { name: "8MB", bytes: 8 * MB, headerCode: 0x8 },
    { name: "16MB", bytes: 16 * MB, headerCode: 0x9 },
  ] as const satisfies readonly FlashSizeRow[],
);

/** An SPI flash mode. */
export type FlashMode = "qio" | "qout" | "dio" | "dout";
/** SPI flash modes and their header byte 2 values. */
export const FLASH_MODES: Readonly<Record<FlashMode, number>> = Object.freeze({
  qio: 0,
  qout: 1,
  dio: 2,
  dout: 3,
});

/** A flash frequency. */
export type FlashFreq = "40m" | "26m" | "20m" | "80m";
/** Flash frequencies and their codes (low nibble of header byte 3). */
export const FLASH_FREQS: Readonly<Record<FlashFreq, number>> = Object.freeze({
  "40m": 0x0,
  "26m": 0x1,
  "20m": 0x2,
  "80m": 0xf,
});

/** Options of the parsers: which extra words the caller accepts besides a value. */
export interface ParseSettingOptions<A extends string> {
  /** Extra words allowed, e.g. `["keep"]`; none by default. */
  allow?: readonly A[];
}

/** Options for {@link parseFlashSize}. */
export interface ParseFlashSizeOptions {
  /**
   * Called with one line saying what a megabit name means (`32m is the NodeMCU guide's megabit
   * name: 32 Mbit = 4MB`), so the caller can show it.
   */
  onNote?: (note: string) => void;
}

/** Megabit sizes (the NodeMCU guide's `-fs 32m`) and the byte size each one is. */
const MEGABITS: Readonly<Record<number, FlashSizeName>> = {
  2: "256KB",
  4: "512KB",
  8: "1MB",
  16: "2MB",
  32: "4MB",
};

/** The row of a canonical name, if it is one. */
function sizeByName(name: string): FlashSizeRow | undefined {
  return FLASH_SIZES.find((r) => r.name === name);
}

/**
 * The row of a flash size name: its bytes and header code travel with it, so callers pass the
 * row instead of a name and a byte count side by side.
 *
 * @param name a canonical name
 * @returns the row
 *
 * @example
 * ```ts
 * import { flashSizeRow } from "./flash_size.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(flashSizeRow("1MB"), { name: "1MB", bytes: 1 << 20, headerCode: 0x2 });
 * ```
 */
export function flashSizeRow(name: FlashSizeName): FlashSizeRow {
  return sizeByName(name)!;
}

/** The canonical names, for hints. */
function validSizeNames(): string {
  return FLASH_SIZES.map((r) => r.name).join(", ");
}

function unknownSize(text: string): NodeflashError {
  return userError(
    "input/flash-size",
    `Unknown flash size '${text}'`,
    `Use one of: ${validSizeNames()} (or the NodeMCU guide's megabit names 4m, 8m, 16m, 32m, 16m-c1, 32m-c1).`,
  );
}

/** The megabit reading of a number and suffix, if there is one (`32`, `-c1` -> 4MB-c1). */
function megabitReading(n: number, c1: string): FlashSizeRow | undefined {
  const name = MEGABITS[n];
  return name === undefined ? undefined : sizeByName(`${name}${c1}`);
}

/**
 * Parses a flash size as users type it:
 *
 * - the canonical names and byte spellings, in any case: `512KB`, `512K`, `512KiB`, `1MB`, `1M`,
 *   `4mb`, `4MiB`, `2MB-c1`;
 * - the megabit names as the NodeMCU guide writes them, lower-case `m` (or `Mbit`): `4m` =
 *   512KB, `8m` = 1MB, `16m` = 2MB, `32m` = 4MB, `16m-c1`, `32m-c1`, `2m` = 256KB; each one is
 *   reported through `onNote` with what it means;
 * - a spelling that reads both ways (`4M`, `32M`, `8Mb`: megabytes to some, megabits to others)
 *   is refused with both readings, so `4M` never silently means 512KB. `1M` has no megabit
 *   reading and is 1MB.
 *
 * @param text what the user typed
 * @param options a callback for the note on megabit names
 * @returns the size row
 * @throws a user error `input/flash-size` listing the valid names, or both readings
 *
 * @example
 * ```ts
 * import { parseFlashSize } from "./flash_size.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseFlashSize("4mb").name, "4MB");
 * assert.equal(parseFlashSize("32m").name, "4MB");
 * assert.throws(() => parseFlashSize("4M"), /'4M' is ambiguous/);
 * assert.throws(() => parseFlashSize("3MB"), /Unknown flash size '3MB'/);
 * ```
 */
export function parseFlashSize(text: string, options: ParseFlashSizeOptions = {}): FlashSizeRow {
  const trimmed = text.trim();
  const canonical = /\dMb(-c1)?$/.test(trimmed)
    ? undefined // `8Mb` is megabits to many: not the canonical 8MB
    : FLASH_SIZES.find((r) => r.name.toLowerCase() === trimmed.toLowerCase());
  if (canonical) return canonical;
  const m = /^(\d+)\s*(k|kb|kib|m|mb|mib|mbit)(-c1)?$/i.exec(trimmed);
  if (!m) throw unknownSize(text);
  const n = Number(m[1]);
  const unit = m[2]!;
  const c1 = m[3] === undefined ? "" : "-c1";
  const found = (row: FlashSizeRow | undefined): FlashSizeRow => {
    if (row === undefined) throw unknownSize(text);
    return row;
  };
  if (/^k/i.test(unit)) return found(sizeByName(`${n}KB${c1}`));
  // Megabytes: MB, mb, MiB (not Mb, which is megabits to many); megabits: Mbit.
  if (/^(mb|mib)$/i.test(unit) && unit !== "Mb") return found(sizeByName(`${n}MB${c1}`));
  const bits = megabitReading(n, c1);
  if (/^mbit$/i.test(unit)) return found(noted(bits));
  const bytes = sizeByName(`${n}MB${c1}`);
  if (unit === "m") return found(bits ? noted(bits) : bytes); // `1m` has no megabit reading
  if (bits) {
    // `4M`, `32M`, `8Mb`: megabytes to some, megabits to the guide's readers.
    const asBytes = bytes?.name ?? `no ESP8266 size (there is no ${n}MB flash)`;
    throw userError(
      "input/flash-size",
      `The flash size '${trimmed}' is ambiguous: ${n} megabytes is ${asBytes}, ${n} megabits is ${bits.name}`,
      `Write ${
        bytes ? `${bytes.name} for megabytes, or ` : ""
      }${bits.name} or ${n}m (the NodeMCU guide's megabit name).`,
    );
  }
  return found(bytes);

  function noted(row: FlashSizeRow | undefined): FlashSizeRow | undefined {
    if (row) {
      options.onNote?.(`${trimmed} is the NodeMCU guide's megabit name: ${n} Mbit = ${row.name}`);
    }
    return row;
  }
}

/**
 * Parses a flash size setting where the caller also accepts words such as `keep` or `detect`.
 *
 * @param text what the user typed
 * @param options the extra words allowed
 * @returns a canonical size name or one of the allowed words
 * @throws a user error `input/flash-size` listing the valid values
 *
 * @example
 * ```ts
 * import { parseFlashSizeSetting } from "./flash_size.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseFlashSizeSetting("detect", { allow: ["keep", "detect"] }), "detect");
 * assert.equal(parseFlashSizeSetting("1M"), "1MB");
 * ```
 */
export function parseFlashSizeSetting<A extends "keep" | "detect" = never>(
  text: string,
  options: ParseSettingOptions<A> & ParseFlashSizeOptions = {},
): FlashSizeName | A {
  const word = (options.allow ?? []).find((w) => w === text.trim().toLowerCase());
  if (word !== undefined) return word;
  try {
    return parseFlashSize(text, options).name;
  } catch (e) {
    const extra = (options.allow ?? []).join(", ");
    if (extra === "" || !(e instanceof Error) || !e.message.startsWith("Unknown")) throw e;
    throw userError(
      "input/flash-size",
      `Unknown flash size '${text}'`,
      `Use one of: ${extra}, ${validSizeNames()}.`,
    );
  }
}

/**
 * Parses an SPI flash mode (`qio`, `qout`, `dio`, `dout`, any case), or `keep` where allowed.
 *
 * @param text what the user typed
 * @param options the extra words allowed
 * @returns the mode or the allowed word
 * @throws a user error `input/flash-mode` listing the valid values
 *
 * @example
 * ```ts
 * import { parseFlashMode } from "./flash_size.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseFlashMode("DIO"), "dio");
 * assert.equal(parseFlashMode("keep", { allow: ["keep"] }), "keep");
 * assert.throws(() => parseFlashMode("keep"), /Unknown flash mode 'keep'/);
 * ```
 */
export function parseFlashMode<A extends "keep" = never>(
  text: string,
  options: ParseSettingOptions<A> = {},
): FlashMode | A {
  const lower = text.trim().toLowerCase();
  const word = (options.allow ?? []).find((w) => w === lower);
  if (word !== undefined) return word;
  if (Object.hasOwn(FLASH_MODES, lower)) return lower as FlashMode;
  const valid = [...(options.allow ?? []), ...Object.keys(FLASH_MODES)].join(", ");
  throw userError(
    "input/flash-mode",
    `Unknown flash mode '${text}'`,
    `Use one of: ${valid} (dio suits most ESP-12 boards, dout the ESP8285).`,
  );
}

/**
 * Parses a flash frequency (`40m`, `26m`, `20m`, `80m`; `40`, `40MHz` also work), or `keep`
 * where allowed.
 *
 * @param text what the user typed
 * @param options the extra words allowed
 * @returns the frequency or the allowed word
 * @throws a user error `input/flash-freq` listing the valid values
 *
 * @example
 * ```ts
 * import { parseFlashFreq } from "./flash_size.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseFlashFreq("80MHz"), "80m");
 * assert.throws(() => parseFlashFreq("60m"), /Unknown flash frequency '60m'/);
 * ```
 */
export function parseFlashFreq<A extends "keep" = never>(
  text: string,
  options: ParseSettingOptions<A> = {},
): FlashFreq | A {
  const lower = text.trim().toLowerCase();
  const word = (options.allow ?? []).find((w) => w === lower);
  if (word !== undefined) return word;
  const m = /^(\d+)\s*(m|mhz)?$/.exec(lower);
  const key = m ? `${Number(m[1])}m` : lower;
  if (Object.hasOwn(FLASH_FREQS, key)) return key as FlashFreq;
  const valid = [...(options.allow ?? []), ...Object.keys(FLASH_FREQS)].join(", ");
  throw userError(
    "input/flash-freq",
    `Unknown flash frequency '${text}'`,
    `Use one of: ${valid}.`,
  );
}

/**
 * The size row for a header size code (high nibble of byte 3, not shifted).
 *
 * @param code 0x0..0xF
 * @returns the row, or `undefined` for codes no ESP8266 size uses (0x7, 0xA-0xF)
 *
 * @example
 * ```ts
 * import { flashSizeFromHeaderCode } from "./flash_size.ts";
 * if (flashSizeFromHeaderCode(0x0)?.name !== "512KB") throw new Error();
 * ```
 */
export function flashSizeFromHeaderCode(code: number): FlashSizeRow | undefined {
  return FLASH_SIZES.find((r) => r.headerCode === code);
}

/**
 * The mode for header byte 2.
 *
 * @param code the byte
 * @returns the mode, or `undefined` for values above 3
 *
 * @example
 * ```ts
 * import { flashModeFromCode } from "./flash_size.ts";
 * if (flashModeFromCode(2) !== "dio") throw new Error();
 * ```
 */
export function flashModeFromCode(code: number): FlashMode | undefined {
  return (Object.keys(FLASH_MODES) as FlashMode[]).find((m) => FLASH_MODES[m] === code);
}

/**
 * The frequency for a header frequency code (low nibble of byte 3).
 *
 * @param code 0x0..0xF
 * @returns the frequency, or `undefined` for codes the ESP8266 does not use
 *
 * @example
 * ```ts
 * import { flashFreqFromCode } from "./flash_size.ts";
 * if (flashFreqFromCode(0xf) !== "80m") throw new Error();
 * ```
 */
export function flashFreqFromCode(code: number): FlashFreq | undefined {
  return (Object.keys(FLASH_FREQS) as FlashFreq[]).find((f) => FLASH_FREQS[f] === code);
}
