/**
 * The reset circuit of a simulated board, wired to its chip: DTR/RTS (or the buttons) drive EN
 * and GPIO0 (reset_circuit.ts); EN low holds the chip, and once EN has stayed high for the RC
 * delay the chip starts in the mode GPIO0 selected (`rst cause:2`).
 *
 * @module
 */

import type { BoardWiring } from "./board_device.ts";
import type { ResolvedBoardOptions } from "./board_options.ts";
import { ResetCircuit } from "./reset_circuit.ts";
import type { TimeModel } from "./time_model.ts";

/** What {@link boardCircuit} wires the circuit to. */
export interface CircuitParts {
  /** The board's time model (the RC delay counts in the modelled timeline). */
  timing: TimeModel;
  /** GPIO0 stuck high (the `stuck-gpio0` fault). */
  gpio0StuckHigh: boolean;
  /** The chip's inside, asked for when the circuit acts. */
  wiring(): BoardWiring;
}

/**
 * Builds a board's reset circuit.
 *
 * @param o the board's resolved options (wiring, RC delay)
 * @param parts the time model, the fault and the chip
 * @returns the circuit
 *
 * @example Through the board: the RESET button restarts the chip in the mode GPIO0 selects
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ reset: "manual" });
 * await board.enterDownloadMode(); // FLASH held through a RESET press
 * assert.equal(board.state, "download");
 * assert.equal(board.lastReset.cause, 2);
 * await board.close();
 * ```
 */
export function boardCircuit(o: ResolvedBoardOptions, parts: CircuitParts): ResetCircuit {
  return new ResetCircuit({
    wiring: o.reset,
    rcDelayMs: o.rcDelayMs,
    gpio0StuckHigh: parts.gpio0StuckHigh,
    now: () => performance.now(),
    schedule: (ms, fn) => parts.wiring().timer(ms, fn),
    onHold: () => parts.wiring().hold("EN low"),
    onRelease: (s) => {
      // The RC delay passed in real time; the modelled timeline counts it too (the chip cannot
      // answer before it starts), and with pace instant it is the board's clock.
      parts.timing.elapsed(o.rcDelayMs * 1000);
      parts.wiring().start({ cause: 2, kind: "external", mode: s.gpio0Low ? "download" : "flash" });
    },
  });
}
