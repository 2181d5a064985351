/**
 * Spotting a reset the monitor did not cause (the RST button, `node.restart()`, a watchdog, a
 * crash): the ROM and the SDK print about a kilobyte at 74880 baud, which a host at 115200 reads
 * as a burst of noise before the firmware's clean text (docs/boot-log.md A.1). A NodeMCU console
 * prints only text, so a run of non-text bytes is the sign. Pure: the caller feeds bytes with
 * timestamps.
 *
 * A burst starts when `minNoise` of the last `span` bytes are not text, and ends when the line
 * has been quiet for `quietMs` or `cleanRun` text bytes follow in a row; each burst is reported
 * once, where it ends, so the note lands between the noise and the firmware's banner.
 *
 * Why the ROM line is not decoded from the noise: a receiver at 115200 samples only about the
 * first seven bit times of each 74880 frame (docs/boot-log.md A.1), so the last data bits of every
 * character are never seen; matching the noise against rendered candidates would only check our
 * own UART model, and real UARTs add framing-error bytes and clock drift on top. The monitor's
 * own reset (Ctrl-T R) listens at 74880 instead and shows the line exactly.
 *
 * @module
 */

import { noiseCount } from "../smoke/mod.ts";

/** Thresholds of the detector. */
export interface ResetNoiseOptions {
  /** How many recent bytes are looked at. */
  span: number;
  /** Non-text bytes among them that make a burst. */
  minNoise: number;
  /** Text bytes in a row that end a burst. */
  cleanRun: number;
  /** Quiet milliseconds that end a burst. */
  quietMs: number;
}

/** Defaults: 74880-baud boot output read at 115200 is about two thirds noise; text has none. */
export const DEFAULT_RESET_NOISE: Readonly<ResetNoiseOptions> = {
  span: 64,
  minNoise: 16,
  cleanRun: 32,
  quietMs: 100,
};

/**
 * The detector.
 *
 * @example
 * ```ts
 * import { ResetNoise } from "./reset_noise.ts";
 * import assert from "node:assert/strict";
 * const d = new ResetNoise();
 * assert.equal(d.feed(new TextEncoder().encode("> print(1)\r\n1\r\n> "), 0), undefined);
 * assert.equal(d.feed(new Uint8Array(40).fill(0xfe), 10), undefined);
 * assert.equal(d.inBurst, true);
 * assert.equal(d.idle(50), false);
 * assert.equal(d.idle(110), true); // quiet for 100 ms: the burst is over, report it
 * ```
 */
export class ResetNoise {
  readonly #options: ResetNoiseOptions;
  #recent: boolean[] = [];
  #recentNoise = 0;
  #inBurst = false;
  #clean = 0;
  #lastNoiseAt = 0;
  readonly #one = new Uint8Array(1);

  /**
   * Creates a detector.
   *
   * @param options thresholds (defaults: {@link DEFAULT_RESET_NOISE})
   */
  constructor(options: Partial<ResetNoiseOptions> = {}) {
    this.#options = { ...DEFAULT_RESET_NOISE, ...options };
  }

  /** Whether a burst is going on. */
  get inBurst(): boolean {
    return this.#inBurst;
  }

  /** Forgets everything (after the monitor's own reset). */
  clear(): void {
    this.#recent = [];
    this.#recentNoise = 0;
    this.#inBurst = false;
    this.#clean = 0;
  }

  /**
   * Takes bytes read at the console rate.
   *
   * @param bytes one chunk
   * @param now its arrival time (ms)
   * @returns where in `bytes` a burst ended (the note goes before that offset), or undefined
   */
  feed(bytes: Uint8Array, now: number): number | undefined {
    let ended = this.idle(now) ? 0 : undefined;
    bytes.forEach((byte, i) => {
      this.#one[0] = byte;
      const noise = noiseCount(this.#one) === 1;
      this.#remember(noise);
      if (!this.#inBurst) {
        if (this.#recentNoise >= this.#options.minNoise) {
          this.#inBurst = true;
          this.#clean = 0;
          this.#lastNoiseAt = now;
        }
        return;
      }
      if (noise) {
        this.#clean = 0;
        this.#lastNoiseAt = now;
        return;
      }
      this.#clean++;
      if (this.#clean >= this.#options.cleanRun) {
        ended ??= Math.max(0, i + 1 - this.#clean);
        this.clear();
      }
    });
    return ended;
  }

  /**
   * Ends a burst when the line has been quiet long enough.
   *
   * @param now the time (ms)
   * @returns true once for a burst that has just ended this way
   */
  idle(now: number): boolean {
    if (!this.#inBurst || now - this.#lastNoiseAt < this.#options.quietMs) return false;
    this.clear();
    return true;
  }

  /** When {@link ResetNoise.idle} may next report, or undefined when no burst is going on. */
  get quietDeadline(): number | undefined {
    return this.#inBurst ? this.#lastNoiseAt + this.#options.quietMs : undefined;
  }

  #remember(noise: boolean): void {
    this.#recent.push(noise);
    if (noise) this.#recentNoise++;
    if (this.#recent.length > this.#options.span && this.#recent.shift()) this.#recentNoise--;
  }
}
