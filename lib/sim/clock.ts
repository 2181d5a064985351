/**
 * Device time for the simulated board. Everything the chip "waits for" (a WRITE_REG delay, an
 * erase, the stub's pause before it changes the baud rate) goes through a {@link SimClock}. A
 * board's clock comes from its time model (time_model.ts: modelled time, waited out in real
 * time with pace `realtime`); {@link InstantClock} is a stand-alone clock whose waits take no
 * host time, for a board given `clock` and for tests.
 *
 * @module
 */

/** The board's notion of time. */
export interface SimClock {
  /** Device time in microseconds since the board was created. */
  now(): number;
  /**
   * Lets `us` microseconds of device time pass. Resolves when they have passed (at once for an
   * instant clock).
   */
  sleep(us: number): Promise<void>;
}

/**
 * A clock whose waits take no host time: `sleep` advances the device time and resolves at once.
 *
 * @example
 * ```ts
 * import { InstantClock } from "./clock.ts";
 * import assert from "node:assert/strict";
 * const clock = new InstantClock();
 * await clock.sleep(10_000);
 * assert.equal(clock.now(), 10_000);
 * ```
 */
export class InstantClock implements SimClock {
  #now = 0;

  /**
   * The device time.
   *
   * @returns microseconds since the clock was created
   */
  now(): number {
    return this.#now;
  }

  /**
   * Advances device time.
   *
   * @param us microseconds (negative values count as 0)
   */
  sleep(us: number): Promise<void> {
    if (Number.isFinite(us) && us > 0) this.#now += us;
    return Promise.resolve();
  }
}
