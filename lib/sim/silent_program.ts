/**
 * A program that ignores its input and says nothing: unknown code the host uploaded or a ROM that
 * gave up ("halted"), a chip held in reset ("reset"), firmware that is still starting ("app").
 *
 * @module
 */

import type { BoardProgram } from "./device.ts";

/**
 * A silent program.
 *
 * @example
 * ```ts
 * import { SilentProgram } from "./silent_program.ts";
 * import assert from "node:assert/strict";
 * const p = new SilentProgram("halted");
 * p.receive(new Uint8Array([0xc0]));
 * assert.equal(p.received, 1);
 * ```
 */
export class SilentProgram implements BoardProgram {
  /** The board state it stands for. */
  readonly state: "app" | "halted" | "reset";
  #received = 0;

  /** @param state `app`, `halted` or `reset` */
  constructor(state: "app" | "halted" | "reset") {
    this.state = state;
  }

  /** Bytes received and ignored. */
  get received(): number {
    return this.#received;
  }

  /**
   * Ignores bytes.
   *
   * @param bytes what arrived
   */
  receive(bytes: Uint8Array): void {
    this.#received += bytes.length;
  }

  /** Nothing to wait for. */
  idle(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to release. */
  stop(): void {}
}
