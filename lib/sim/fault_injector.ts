/**
 * Applies a {@link FaultSpec} to a board: the wire (corrupted bytes, lost frames, a link that
 * drops, a cable pulled and plugged back in), the flash (a brownout in the middle of a page
 * program, once or on every N-th program), the boot (noise before the ROM loader answers) and
 * GPIO0 (stuck high). Every random choice comes from one seeded
 * generator, so a run repeats exactly.
 *
 * @module
 */

import { type FaultSpec, seededRandom } from "./faults.ts";
import type { NorGate, NorOperation } from "./nor_flash.ts";

/** What the injector tells the board. */
export interface FaultHandlers {
  /** A fault happened (for the board's `injected` event). */
  injected(fault: string, detail: string): void;
  /** The link drops now. */
  disconnect(): void;
  /** The cable is pulled now: the link drops, the board loses power, for `replugMs`. */
  unplug(replugMs: number): void;
  /** The supply failed: the chip must reset. */
  brownout(): void;
}

/** How long an `unplug` lasts unless the spec says (`replug=MS`). */
export const DEFAULT_REPLUG_MS = 1000;

type Direction = "to-board" | "to-host";

/** Follows SLIP framing in one direction, to lose whole frames. */
class FrameDropper {
  #state: "idle" | "open" | "in" = "idle";
  #dropping = false;

  filter(bytes: Uint8Array, chance: () => boolean, lost: () => void): number[] {
    const out: number[] = [];
    for (const b of bytes) {
      if (b === 0xc0) {
        if (this.#state === "in") {
          if (!this.#dropping) out.push(b);
          this.#state = "idle";
          this.#dropping = false;
          continue;
        }
        this.#dropping = chance();
        if (this.#dropping) lost();
        this.#state = "open";
        if (!this.#dropping) out.push(b);
        continue;
      }
      if (this.#state === "open") this.#state = "in";
      if (this.#state === "idle" || !this.#dropping) out.push(b);
    }
    return out;
  }
}

/**
 * The injector.
 *
 * @example
 * ```ts
 * import { FaultInjector } from "./fault_injector.ts";
 * import assert from "node:assert/strict";
 * const seen: string[] = [];
 * const faults = new FaultInjector({ drop: 1 }, 1, {
 *   injected: (f) => seen.push(f), disconnect() {}, unplug() {}, brownout() {},
 * });
 * assert.deepEqual(faults.wire("to-host", new Uint8Array([0xc0, 1, 2, 0xc0])), new Uint8Array(0));
 * assert.deepEqual(seen, ["drop"]);
 * ```
 */
export class FaultInjector {
  /** The faults. */
  readonly spec: Readonly<FaultSpec>;
  readonly #random: () => number;
  readonly #on: FaultHandlers;
  readonly #droppers: Record<Direction, FrameDropper> = {
    "to-board": new FrameDropper(),
    "to-host": new FrameDropper(),
  };
  #bytes = 0;
  #disconnected = false;
  #unplugged = false;
  #programs = 0;
  #programsSincePowerUp = 0;
  #powerLost = false;
  #brownedOut = false;

  /**
   * @param spec the faults
   * @param seed the board's seed
   * @param handlers what to do when a fault needs the board
   */
  constructor(spec: FaultSpec, seed: number, handlers: FaultHandlers) {
    this.spec = { ...spec };
    this.#random = seededRandom((seed ^ 0x5eed_fa17) >>> 0);
    this.#on = handlers;
  }

  /** Whether any fault is configured. */
  get active(): boolean {
    return Object.keys(this.spec).length > 0;
  }

  /** Extra delay of everything the board sends, ms. */
  get delayMs(): number {
    return this.spec.delayMs ?? 0;
  }

  /** GPIO0 stuck high. */
  get gpio0StuckHigh(): boolean {
    return this.spec.stuckGpio0 === true;
  }

  /**
   * Bytes crossing the wire: counts them for `disconnect`, loses frames, flips bits.
   *
   * @param direction which way
   * @param bytes what was sent
   * @returns what gets through
   */
  wire(direction: Direction, bytes: Uint8Array): Uint8Array {
    const s = this.spec;
    const counting = (s.disconnectAfter !== undefined && !this.#disconnected) ||
      (s.unplugAfter !== undefined && !this.#unplugged);
    if (counting) this.#bytes += bytes.length;
    if (s.disconnectAfter !== undefined && !this.#disconnected) {
      if (this.#bytes >= s.disconnectAfter) {
        this.#disconnected = true;
        this.#on.injected("disconnect", `the link dropped after ${this.#bytes} bytes`);
        this.#on.disconnect();
        return new Uint8Array(0);
      }
    }
    if (s.unplugAfter !== undefined && !this.#unplugged && this.#bytes >= s.unplugAfter) {
      this.#unplugged = true;
      const ms = s.replugMs ?? DEFAULT_REPLUG_MS;
      this.#on.injected("unplug", `the cable was pulled after ${this.#bytes} bytes, for ${ms} ms`);
      this.#on.unplug(ms);
      return new Uint8Array(0);
    }
    let out: Uint8Array = bytes;
    if (s.drop !== undefined && s.drop > 0) {
      const p = s.drop;
      out = Uint8Array.from(this.#droppers[direction].filter(
        out,
        () => this.#random() < p,
        () => this.#on.injected("drop", `a frame ${direction} was lost`),
      ));
    }
    if (s.corrupt !== undefined && s.corrupt > 0) {
      const p = s.corrupt;
      out = out.map((b) => {
        if (this.#random() >= p) return b;
        const bit = Math.floor(this.#random() * 8);
        this.#on.injected("corrupt", `bit ${bit} of a byte ${direction} flipped`);
        return b ^ (1 << bit);
      });
    }
    return out;
  }

  /**
   * Whether a flash operation happens: the `brownout` item cuts the chosen page program in half
   * and refuses everything after it until {@link powerRestored}.
   *
   * @param op the operation
   * @returns the gate
   */
  flashGate(op: NorOperation): NorGate {
    if (this.#powerLost) return "refuse";
    if (op.kind !== "program") return "proceed";
    const { brownoutAt, brownoutEvery } = this.spec;
    this.#programsSincePowerUp++;
    const every = brownoutEvery !== undefined &&
      this.#programsSincePowerUp % brownoutEvery === 0;
    let once = false;
    if (brownoutAt !== undefined && !this.#brownedOut) {
      this.#programs++;
      once = this.#programs >= brownoutAt;
      if (once) this.#brownedOut = true;
    }
    if (!once && !every) return "proceed";
    this.#powerLost = true;
    this.#on.injected(
      "brownout",
      `supply dip during the program of 0x${op.address.toString(16)}+${op.length}: half written`,
    );
    queueMicrotask(() => this.#on.brownout());
    return "half";
  }

  /** The chip has power again (a power-up, or the brownout's reset). */
  powerRestored(): void {
    this.#powerLost = false;
    this.#programsSincePowerUp = 0;
  }

  /** The noise before the ROM loader answers, after a reset into download mode. */
  bootNoise(): Uint8Array {
    const n = this.spec.noise ?? 0;
    if (n > 0) this.#on.injected("noise", `${n} bytes of boot noise`);
    return Uint8Array.from({ length: n }, () => Math.floor(this.#random() * 256));
  }
}
