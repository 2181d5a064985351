/**
 * The ROM window after a reset: the host listens at 74880 baud (the ESP8266 ROM's rate on 26 MHz
 * boards, docs/boot-log.md A.1) while the ROM prints its boot message, and goes back to the console
 * rate as soon as the firmware is about to talk at 115200. One rule ({@link romWindowEnd}) for the
 * smoke test's boot watch and the monitor's resets; {@link RomWindow} is the monitor's record of
 * one window (pure: the caller feeds bytes with timestamps and asks whether to leave).
 *
 * When to leave:
 * - after the ROM line, once the line has been quiet for `quietMs` (NodeMCU pauses between the
 *   ROM/SDK lines and its banner while it sets up), or at once when a chunk looks like noise
 *   (the firmware already talks at the console rate);
 * - without a ROM line, `windowMs` after the reset (a 40 MHz-crystal board prints its ROM
 *   message at 115200, or the board stays silent);
 * - in any case `maxMs` after the reset (a boot loop is never quiet).
 *
 * @module
 */

import { findRomBoots, type RomBoot } from "../chip/rom_boot.ts";
import { looksGarbled } from "./console_text.ts";

/** The ESP8266 ROM's rate on 26 MHz boards. */
export const ROM_BAUD = 74880;

/** How long to listen, in milliseconds. */
export interface RomWindowTiming {
  /** Without a ROM line, leave this long after the reset. */
  windowMs: number;
  /** After the ROM line, a pause this long means the firmware is about to switch rates. */
  quietMs: number;
  /** Leave this long after the reset whatever happens (none: the caller has its own limit). */
  maxMs?: number;
}

/** What a window has heard so far. */
export interface RomWindowHeard {
  /** When the window started (ms): the reset, or the first byte of a manual one. */
  startedAt: number;
  /** Whether the ROM's boot line is in. */
  header: boolean;
  /** Whether noise came after the boot line (the firmware already talks at the console rate). */
  noiseAfterHeader: boolean;
  /** When the last byte came (ms). */
  lastByteAt: number | undefined;
}

/**
 * When to leave the ROM rate: the rule of the module doc.
 *
 * @param heard what the window heard
 * @param timing how long to listen
 * @returns the time (ms) to go back to the console rate; in the past means now
 *
 * @example
 * ```ts
 * import { romWindowEnd } from "./rom_window.ts";
 * import assert from "node:assert/strict";
 * const timing = { windowMs: 500, quietMs: 50 };
 * const heard = { startedAt: 0, header: false, noiseAfterHeader: false, lastByteAt: undefined };
 * assert.equal(romWindowEnd(heard, timing), 500);
 * assert.equal(romWindowEnd({ ...heard, header: true, lastByteAt: 20 }, timing), 70);
 * assert.equal(romWindowEnd({ ...heard, header: true, noiseAfterHeader: true }, timing), 0);
 * ```
 */
export function romWindowEnd(heard: RomWindowHeard, timing: RomWindowTiming): number {
  const cap = heard.startedAt + (timing.maxMs ?? Infinity);
  if (!heard.header) return Math.min(cap, heard.startedAt + timing.windowMs);
  if (heard.noiseAfterHeader) return heard.startedAt;
  return Math.min(cap, (heard.lastByteAt ?? heard.startedAt) + timing.quietMs);
}

/** Defaults for real boards. */
export const DEFAULT_ROM_WINDOW: Readonly<Required<RomWindowTiming>> = {
  windowMs: 500,
  quietMs: 50,
  maxMs: 2000,
};

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

/**
 * What one reset's ROM window heard.
 *
 * @example
 * ```ts
 * import { RomWindow } from "./rom_window.ts";
 * import assert from "node:assert/strict";
 * const w = new RomWindow(0, { windowMs: 500, quietMs: 50, maxMs: 2000 });
 * w.feed(new TextEncoder().encode("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n"), 5);
 * assert.equal(w.header?.rstCause, 2);
 * assert.equal(w.done(30), false);
 * assert.equal(w.done(60), true);
 * ```
 */
export class RomWindow {
  readonly #startedAt: number;
  readonly #timing: RomWindowTiming;
  #text = "";
  #cleanEnd: number | undefined;
  #lastByteAt: number | undefined;
  #header: RomBoot | undefined;

  /**
   * Starts listening.
   *
   * @param startedAt when the reset line was released (ms)
   * @param timing how long to listen
   */
  constructor(startedAt: number, timing: RomWindowTiming = DEFAULT_ROM_WINDOW) {
    this.#startedAt = startedAt;
    this.#timing = timing;
  }

  /** The first ROM line heard, if any. */
  get header(): RomBoot | undefined {
    return this.#header;
  }

  /** Whether noise followed the ROM line (the firmware's console-rate output, misread). */
  get sawNoise(): boolean {
    return this.#cleanEnd !== undefined;
  }

  /**
   * Takes bytes read at the ROM rate.
   *
   * @param bytes one chunk
   * @param now its arrival time (ms)
   */
  feed(bytes: Uint8Array, now: number): void {
    if (bytes.length === 0) return;
    this.#lastByteAt = now;
    const start = this.#text.length;
    this.#text += latin1(bytes);
    if (this.#header === undefined) {
      this.#header = findRomBoots(this.#text)[0];
    } else if (this.#cleanEnd === undefined && looksGarbled(bytes)) {
      this.#cleanEnd = start;
    }
  }

  /**
   * Whether to go back to the console rate now.
   *
   * @param now the time (ms)
   * @returns true when the window is over
   */
  done(now: number): boolean {
    const heard = {
      startedAt: this.#startedAt,
      header: this.#header !== undefined,
      noiseAfterHeader: this.#cleanEnd !== undefined,
      lastByteAt: this.#lastByteAt,
    };
    return now >= romWindowEnd(heard, this.#timing);
  }

  /**
   * The text heard at the ROM rate (bytes as Latin-1): from the line of the ROM's header up to the
   * first noise after it; without a ROM line, everything heard.
   *
   * @returns the text
   */
  text(): string {
    const from = this.#header === undefined ? 0 : this.#text.lastIndexOf("\n", this.#header.at) + 1;
    return this.#text.slice(from, this.#cleanEnd ?? this.#text.length);
  }
}
