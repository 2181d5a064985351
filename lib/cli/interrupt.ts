/**
 * Interrupts are the user's: the first Ctrl-C (SIGINT) or SIGTERM aborts the running command's
 * signal, so it stops at once, says where it was, closes (and so unlocks) its port and exits
 * 130 (143 for SIGTERM); a second Ctrl-C ends the process immediately, whatever it was doing.
 *
 * @module
 */

import { exitCodeForSignal, type StopSignal } from "./exit_codes.ts";

/** The reason an interrupted command's signal carries. */
export class Interrupt extends Error {
  /** Which signal. */
  readonly signal: StopSignal;

  /** @param signal which signal */
  constructor(signal: StopSignal) {
    super(signal === "SIGINT" ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)");
    this.name = "Interrupt";
    this.signal = signal;
  }
}

/** Where signals come from and how the process ends (the real ones, or a test's). */
export interface InterruptSources {
  /** Starts listening to a signal. */
  listen(signal: StopSignal, handler: () => void): void;
  /** Stops listening. */
  unlisten(signal: StopSignal, handler: () => void): void;
  /** Ends the process now. */
  exit(code: number): void;
}

/** What {@link listenForInterrupts} set up. */
export interface Interrupts {
  /** Aborted at the first signal, with an {@link Interrupt} as its reason. */
  readonly signal: AbortSignal;
  /** Stops listening. */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM (SIGINT only on Windows).
 *
 * @param sources signals and exit
 * @param options which signals (both by default)
 * @returns the signal to hand to the command, and `dispose`
 *
 * @example
 * ```ts
 * import { listenForInterrupts } from "./interrupt.ts";
 * import assert from "node:assert/strict";
 * const handlers = new Map<string, () => void>();
 * const exits: number[] = [];
 * const interrupts = listenForInterrupts({
 *   listen: (s, h) => handlers.set(s, h), unlisten: (s) => handlers.delete(s),
 *   exit: (code) => exits.push(code),
 * });
 * handlers.get("SIGINT")!();
 * assert.equal(interrupts.signal.aborted, true);
 * assert.deepEqual(exits, []);
 * handlers.get("SIGINT")!(); // a second Ctrl-C
 * assert.deepEqual(exits, [130]);
 * interrupts.dispose();
 * ```
 */
export function listenForInterrupts(
  sources: InterruptSources,
  options: { signals?: readonly StopSignal[] } = {},
): Interrupts {
  const controller = new AbortController();
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  const handlers = signals.map((name) => {
    const handler = () => {
      if (controller.signal.aborted) sources.exit(exitCodeForSignal(name));
      else controller.abort(new Interrupt(name));
    };
    sources.listen(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, handler] of handlers) sources.unlisten(name, handler);
    },
  };
}
