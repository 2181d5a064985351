/**
 * The reset and boot-mode wiring in front of the chip (docs/protocol.md §4.3–4.4):
 *
 * - `devkit`: the NodeMCU devkit's two-transistor circuit. With pyserial's polarity (asserted =
 *   true = pin pulled low), EN = NOT(RTS and not DTR) and GPIO0 = NOT(DTR and not RTS); both
 *   asserted does nothing. Its RESET and FLASH buttons pull EN and GPIO0 low as well.
 * - `manual`: a board without the circuit (an ESP-01 on an adapter): the host's lines reach
 *   nothing; only the buttons (or wires) do.
 *
 * EN has an RC delay: the chip leaves reset only when EN has stayed high for `rcDelayMs` after
 * its last rising edge; a new fall before that keeps it in reset. The boot mode is decided at
 * that moment from GPIO0 over the window: download mode when GPIO0 was held low at any time
 * while EN was charging, else boot from flash (a modelling choice, see README.md: it lets both
 * a local reset, where GPIO0 goes low with EN's rise and is released 50 ms later, and pyserial's
 * RFC 2217 client, which waits about 50 ms for each line change to be acknowledged so GPIO0
 * goes low 50 ms after EN rises, land in download mode, as both do on real devkits).
 *
 * Time comes from `now()` (milliseconds) when an input arrives; the release is scheduled with a
 * timer and decided from the recorded times, so a late timer does not change the outcome.
 *
 * @module
 */

import type { Signals } from "../transport/types.ts";

/** How the board's reset and GPIO0 are wired. */
export type ResetWiring = "devkit" | "manual";

/** Options for {@link ResetCircuit}. */
export interface ResetCircuitOptions {
  /** The wiring. */
  wiring: ResetWiring;
  /** How long EN must stay high before the chip starts, in ms. */
  rcDelayMs: number;
  /** GPIO0 stuck high (a broken transistor or strap): the chip never sees it low. */
  gpio0StuckHigh?: boolean;
  /** Time in milliseconds (monotonic). */
  now(): number;
  /**
   * Runs `fn` after `ms` milliseconds.
   *
   * @returns a function that cancels it
   */
  schedule(ms: number, fn: () => void): () => void;
  /** EN fell: the chip is held in reset from now on. */
  onHold(): void;
  /** The chip leaves reset; `gpio0Low` is the sampled strap (true = download mode). */
  onRelease(strap: { gpio0Low: boolean }): void;
}

/**
 * The circuit.
 *
 * @example
 * ```ts
 * import { ResetCircuit } from "./reset_circuit.ts";
 * import assert from "node:assert/strict";
 * let t = 0;
 * const timers: Array<[number, () => void]> = [];
 * const seen: string[] = [];
 * const circuit = new ResetCircuit({
 *   wiring: "devkit", rcDelayMs: 100, now: () => t,
 *   schedule: (ms, fn) => (timers.push([t + ms, fn]), () => {}),
 *   onHold: () => seen.push("hold"),
 *   onRelease: (s) => seen.push(s.gpio0Low ? "download" : "flash"),
 * });
 * circuit.setLines({ dtr: false, rts: true }); // EN low
 * t = 100;
 * circuit.setLines({ dtr: false, rts: false }); // EN rises, GPIO0 high
 * t = 200;
 * timers.at(-1)![1]();
 * assert.deepEqual(seen, ["hold", "flash"]);
 * ```
 */
export class ResetCircuit {
  readonly #o: ResetCircuitOptions;
  #lines: Signals = { dtr: false, rts: false };
  #flashButton = false;
  #resetButton = false;
  #held = false;
  #riseAt: number | undefined;
  #sawGpio0Low = false;
  #cancel: (() => void) | undefined;
  #waiters: Array<() => void> = [];

  /** @param options wiring, RC delay, time source and callbacks */
  constructor(options: ResetCircuitOptions) {
    this.#o = options;
  }

  /** The wiring. */
  get wiring(): ResetWiring {
    return this.#o.wiring;
  }

  /** Whether EN is low now. */
  get enLow(): boolean {
    const fromLines = this.#o.wiring === "devkit" && this.#lines.rts && !this.#lines.dtr;
    return fromLines || this.#resetButton;
  }

  /** Whether GPIO0 is low now. */
  get gpio0Low(): boolean {
    if (this.#o.gpio0StuckHigh) return false;
    const fromLines = this.#o.wiring === "devkit" && this.#lines.dtr && !this.#lines.rts;
    return fromLines || this.#flashButton;
  }

  /** Whether the chip is held in reset (EN low, or high for less than the RC delay). */
  get held(): boolean {
    return this.#held;
  }

  /**
   * The host's DTR/RTS changed.
   *
   * @param signals the new line states
   */
  setLines(signals: Signals): void {
    this.#lines = { dtr: signals.dtr, rts: signals.rts };
    this.#update();
  }

  /**
   * The FLASH button (GPIO0 to ground).
   *
   * @param state `down` or `up`
   */
  flashButton(state: "down" | "up"): void {
    this.#flashButton = state === "down";
    this.#update();
  }

  /**
   * The RESET button (EN to ground).
   *
   * @param state `down` or `up`
   */
  resetButton(state: "down" | "up"): void {
    this.#resetButton = state === "down";
    this.#update();
  }

  /**
   * Power comes up (a new board, a USB cable plugged back in): the host's lines are released, as
   * on a port nobody opened yet, and the chip starts at once with GPIO0 as the buttons leave it.
   *
   * @returns whether GPIO0 was low (download mode)
   */
  powerUp(): boolean {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#lines = { dtr: false, rts: false };
    this.#riseAt = undefined;
    this.#held = false;
    this.#wake();
    return this.gpio0Low;
  }

  /** Resolves when the chip is not waiting for EN's RC delay (at once when it is not). */
  released(): Promise<void> {
    this.#catchUp(this.#o.now());
    if (this.#riseAt === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Cancels a pending release (the board is closing). */
  dispose(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#riseAt = undefined;
    this.#wake();
  }

  #update(): void {
    const t = this.#o.now();
    this.#catchUp(t);
    if (this.enLow) {
      this.#cancel?.();
      this.#cancel = undefined;
      this.#riseAt = undefined;
      if (!this.#held) {
        this.#held = true;
        this.#o.onHold();
      }
      this.#wake();
      return;
    }
    if (this.#held && this.#riseAt === undefined) {
      this.#riseAt = t;
      this.#sawGpio0Low = this.gpio0Low;
      this.#arm(this.#o.rcDelayMs);
      return;
    }
    if (this.#riseAt !== undefined && this.gpio0Low) this.#sawGpio0Low = true;
  }

  #arm(ms: number): void {
    this.#cancel?.();
    this.#cancel = this.#o.schedule(Math.max(0, ms), () => {
      this.#cancel = undefined;
      const t = this.#o.now();
      const due = this.#riseAt === undefined ? t : this.#riseAt + this.#o.rcDelayMs;
      if (t < due) this.#arm(due - t);
      else this.#catchUp(t);
    });
  }

  /** Releases the chip if EN has been high long enough by `t`. */
  #catchUp(t: number): void {
    if (this.#riseAt === undefined || t < this.#riseAt + this.#o.rcDelayMs) return;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#riseAt = undefined;
    this.#held = false;
    this.#o.onRelease({ gpio0Low: this.#sawGpio0Low });
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
