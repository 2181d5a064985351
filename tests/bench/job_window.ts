/**
 * One flashing job on a simulated board, as the board saw it: from the first time EN went low
 * (the reset into the ROM loader; or the first byte from the host, for a job that does not
 * reset) to the hard reset into the new firmware (the last time EN went low after the board
 * answered a command; or its last reply, for a job that ends without a reset). For that stretch:
 * the real time it took, the floor the board's time model implies (wire time both ways, the
 * flash and CPU work that could not overlap, EN's RC delay) and the bytes on the wire.
 *
 * @module
 */

import type { SimBoard } from "../../lib/sim/mod.ts";
import type { JobTiming, TimeMark } from "../../lib/sim/time_model.ts";

/** What one job cost on the board's side. */
export interface JobFigures {
  /** Real time from the first reset to the last, ms. */
  jobMs: number;
  /** The modelled floor for the same stretch, ms. */
  floorMs: number;
  /** Bytes from the host plus bytes to the host. */
  wireBytes: number;
  /** The model's counters for the stretch. */
  timing: JobTiming;
}

interface Point {
  ms: number;
  timing: JobTiming;
}

/** Watches a board for one job. */
export class JobWindow {
  readonly #board: SimBoard;
  readonly #off: () => void;
  #mark: TimeMark | undefined;
  #startMs = 0;
  #answered = false;
  #enLow = false;
  #reset: Point | undefined;
  #reply: Point | undefined;

  /** @param board the board to watch (listening starts now) */
  constructor(board: SimBoard) {
    this.#board = board;
    this.#off = board.on((e) => {
      if (e.type === "signals") {
        // EN goes low on an edge only: a host that sets both lines at once sends DTR and RTS
        // as two changes, and the first of them repeats the state EN is already in (the end of
        // the 100 ms pulse is not a reset).
        const low = e.rts && !e.dtr;
        const edge = low && !this.#enLow;
        this.#enLow = low;
        if (!edge) return;
        if (this.#mark === undefined) this.#start();
        else if (this.#answered) this.#reset = this.#point();
      } else if (e.type === "rx" && this.#mark === undefined) {
        this.#start();
      } else if (e.type === "command" && this.#mark !== undefined) {
        this.#answered = true;
      } else if (e.type === "tx" && this.#answered) {
        this.#reply = this.#point();
      }
    });
  }

  #start(): void {
    this.#mark = this.#board.timing.mark();
    this.#startMs = performance.now();
  }

  #point(): Point {
    return { ms: performance.now(), timing: this.#board.timing.since(this.#mark!) };
  }

  /**
   * Stops watching and gives the figures.
   *
   * @returns the job's figures
   * @throws when the board saw no job
   */
  finish(): JobFigures {
    this.#off();
    const end = this.#reset ?? this.#reply;
    if (end === undefined) throw new Error("the board saw no job");
    return {
      jobMs: end.ms - this.#startMs,
      floorMs: end.timing.floorUs / 1000,
      wireBytes: end.timing.bytesToBoard + end.timing.bytesToHost,
      timing: end.timing,
    };
  }
}
