/**
 * Reset sequences as data: `"D0|R1|W0.1|D1|R0|W0.05|D0"` (esptool's `custom_reset_sequence`
 * syntax), a parser that names the bad step, presets for the documented strategies, and a
 * runner whose sleeps are injectable so tests control the timing.
 *
 * Steps, separated by `|`:
 * - `D0`/`D1`: release/assert DTR (asserted = pin low; GPIO0 on a NodeMCU devkit),
 * - `R0`/`R1`: release/assert RTS (EN, i.e. reset, on a NodeMCU devkit),
 * - `U<dtr>,<rts>`: set both at once (`U0,1`),
 * - `W<seconds>`: wait (`W0.1` = 100 ms).
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { Signals } from "../transport/types.ts";

/** One step of a reset sequence. */
export type ResetStep =
  | { kind: "set"; dtr?: boolean; rts?: boolean }
  | { kind: "wait"; ms: number };

const HELP =
  "Steps are D0/D1 (DTR), R0/R1 (RTS), U<dtr>,<rts> (both at once) and W<seconds>, separated by '|', e.g. D0|R1|W0.1|D1|R0|W0.05|D0.";

/**
 * Parses a reset sequence; a bad step is a user error naming it.
 *
 * @param text the sequence
 * @returns the steps
 *
 * @example
 * ```ts
 * import { parseResetSequence } from "./reset_sequence.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseResetSequence("R1|W0.1|R0"), [
 *   { kind: "set", rts: true }, { kind: "wait", ms: 100 }, { kind: "set", rts: false },
 * ]);
 * assert.throws(() => parseResetSequence("D0|X1"), /step 2/);
 * ```
 */
export function parseResetSequence(text: string): ResetStep[] {
  const parts = text.split("|").map((p) => p.trim());
  if (parts.length === 0 || text.trim() === "") {
    throw userError("input/reset-sequence", "The reset sequence is empty", HELP);
  }
  return parts.map((part, i) => {
    const bad = () =>
      userError(
        "input/reset-sequence",
        `Bad step '${part}' (step ${i + 1}) in reset sequence "${text}"`,
        HELP,
      );
    const m = /^([DRUW])(.*)$/i.exec(part);
    if (!m) throw bad();
    const letter = m[1]!.toUpperCase();
    const arg = m[2]!;
    if (letter === "D" || letter === "R") {
      if (arg !== "0" && arg !== "1") throw bad();
      return letter === "D" ? { kind: "set", dtr: arg === "1" } : { kind: "set", rts: arg === "1" };
    }
    if (letter === "U") {
      const u = /^([01]),([01])$/.exec(arg);
      if (!u) throw bad();
      return { kind: "set", dtr: u[1] === "1", rts: u[2] === "1" };
    }
    if (!/^\d+(\.\d+)?$/.test(arg)) throw bad();
    const seconds = Number(arg);
    if (seconds > 60) throw bad();
    return { kind: "wait", ms: Math.round(seconds * 1000) };
  });
}

/**
 * esptool's ClassicReset: EN low, then GPIO0 low while EN rises, hold, release GPIO0.
 *
 * @param holdSeconds how long GPIO0 stays low after reset (0.05, or 0.55 for slow boards)
 * @returns the sequence text
 *
 * @example
 * ```ts
 * import { classicReset } from "./reset_sequence.ts";
 * if (classicReset(0.05) !== "D0|R1|W0.1|D1|R0|W0.05|D0") throw new Error();
 * ```
 */
export function classicReset(holdSeconds: number): string {
  return `D0|R1|W0.1|D1|R0|W${holdSeconds}|D0`;
}

/**
 * esptool's UnixTightReset: both lines set together, so EN never glitches high with GPIO0 high.
 *
 * @param holdSeconds how long GPIO0 stays low after reset
 * @returns the sequence text
 *
 * @example
 * ```ts
 * import { tightReset } from "./reset_sequence.ts";
 * if (!tightReset(0.05).startsWith("U0,0|U1,1|U0,1")) throw new Error();
 * ```
 */
export function tightReset(holdSeconds: number): string {
  return `U0,0|U1,1|U0,1|W0.1|U1,0|W${holdSeconds}|U0,0|D0`;
}

/** Hard reset into the firmware: GPIO0 released, EN pulsed low for 100 ms. */
export const HARD_RESET = "D0|R1|W0.1|R0";

/** What the runner needs: the two lines and a way to wait. */
export interface ResetTarget {
  /** Drives both lines. */
  setSignals(signals: Signals): Promise<void>;
}

/** Options for {@link runResetSequence}. */
export interface RunResetOptions {
  /** Starting line state, both released by default. */
  initial?: Signals;
  /** Waits `ms`; tests pass a fake. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs a reset sequence: each `set` step applies both lines together (the unchanged one keeps its
 * state), each `wait` step sleeps.
 *
 * @param target the transport (or anything with `setSignals`)
 * @param steps parsed steps, or the sequence text
 * @param options starting state and sleep
 * @returns the final line state
 *
 * @example
 * ```ts
 * import { runResetSequence } from "./reset_sequence.ts";
 * import assert from "node:assert/strict";
 * const seen: string[] = [];
 * await runResetSequence({ setSignals: (s) => { seen.push(`${+s.dtr}${+s.rts}`); return Promise.resolve(); } },
 *   "D0|R1|W0.1|D1|R0", { sleep: () => Promise.resolve() });
 * assert.deepEqual(seen, ["00", "01", "11", "10"]);
 * ```
 */
export async function runResetSequence(
  target: ResetTarget,
  steps: ResetStep[] | string,
  options: RunResetOptions = {},
): Promise<Signals> {
  const parsed = typeof steps === "string" ? parseResetSequence(steps) : steps;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let state: Signals = { ...(options.initial ?? { dtr: false, rts: false }) };
  for (const step of parsed) {
    if (step.kind === "wait") {
      await sleep(step.ms);
      continue;
    }
    state = { dtr: step.dtr ?? state.dtr, rts: step.rts ?? state.rts };
    await target.setSignals(state);
  }
  return state;
}
