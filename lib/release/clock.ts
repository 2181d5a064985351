/**
 * The clock the release layer waits on: retries, rate limits and asset uploads all sleep
 * through it, so tests can run them without waiting for real.
 *
 * @module
 */

/** Time source and sleeper. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now()` and a timer that is cleared when the signal aborts.
 *
 * @returns a clock backed by the system time
 *
 * @example
 * ```ts
 * import { systemClock } from "./clock.ts";
 * const clock = systemClock();
 * const before = clock.now();
 * await clock.sleep(0);
 * if (clock.now() < before) throw new Error("time went backwards");
 * ```
 */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        }, Math.max(0, ms));
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
  };
}

/**
 * A clock that only moves when something sleeps on it or {@link ManualClock.advance} is called.
 * Sleeping resolves at once and records the duration.
 *
 * @example
 * ```ts
 * import { ManualClock } from "./clock.ts";
 * const clock = new ManualClock(1_000);
 * await clock.sleep(250);
 * if (clock.now() !== 1_250 || clock.sleeps[0] !== 250) throw new Error();
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #sleeps: number[] = [];

  /**
   * Creates a clock standing at `start`.
   *
   * @param start the initial time, ms since the epoch
   */
  constructor(start = 0) {
    this.#now = start;
  }

  /** Durations passed to {@link ManualClock.sleep}, in order. */
  get sleeps(): readonly number[] {
    return this.#sleeps;
  }

  /** The current (virtual) time. */
  now(): number {
    return this.#now;
  }

  /** Moves the time forward without recording a sleep. */
  advance(ms: number): void {
    this.#now += ms;
  }

  /** Records the sleep, moves the time forward and resolves at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#sleeps.push(ms);
    this.#now += Math.max(0, ms);
    return Promise.resolve();
  }
}
