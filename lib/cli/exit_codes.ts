/**
 * The CLI's exit codes, so CI can tell a failed board from bad input, a bug from both, and an
 * interrupt from all three. `--help` and the README list them from here.
 *
 * @module
 */

/** Every exit code the CLI uses. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The board, the cable, the port or the network failed (or a smoke test did). */
  device: 1,
  /** Bad usage or input. */
  usage: 2,
  /** A bug in nodeflash itself (EX_SOFTWARE). */
  bug: 70,
  /** Interrupted: Ctrl-C (SIGINT), 128 + 2. */
  interrupted: 130,
  /** Terminated: SIGTERM, 128 + 15. */
  terminated: 143,
} as const;

/** The signals that stop a command. */
export type StopSignal = "SIGINT" | "SIGTERM";

/**
 * The exit code for a command stopped by a signal.
 *
 * @param signal the signal
 * @returns 130 for SIGINT, 143 for SIGTERM
 *
 * @example
 * ```ts
 * import { exitCodeForSignal } from "./exit_codes.ts";
 * if (exitCodeForSignal("SIGTERM") !== 143) throw new Error();
 * ```
 */
export function exitCodeForSignal(signal: StopSignal): number {
  return signal === "SIGTERM" ? EXIT.terminated : EXIT.interrupted;
}

/** The exit codes in words, for `--help`. */
export const EXIT_CODES_HELP =
  "Exit codes: 0 done; 1 the board, cable, port or network failed (or a smoke test); 2 bad usage\n" +
  "or input; 70 a bug in nodeflash (please report it); 130 interrupted (Ctrl-C); 143 terminated\n" +
  "(SIGTERM).";
