/**
 * What starts and stops a simulated board's chip from outside: its supply, its USB cable, its
 * reset circuit (board_circuit.ts), and the faults that act on them (fault_injector.ts):
 * power-up as the straps say, power cycles, a brown-out (the chip stops and starts again 10 ms
 * later on the board's clock), the link dropped (`disconnect`) and the cable pulled and plugged
 * back in (`unplug`: no port and no power for a while, then a power-up and the port back under
 * its name).
 *
 * @module
 */

import type { BoardWiring } from "./board_device.ts";
import type { ResolvedBoardOptions } from "./board_options.ts";
import { FaultInjector } from "./fault_injector.ts";
import type { HostPort } from "./host_port.ts";
import type { ResetCircuit } from "./reset_circuit.ts";
import { boardCircuit } from "./board_circuit.ts";
import type { TimeModel } from "./time_model.ts";
import type { SimEvent } from "./sim_event.ts";
import type { SpiFlashChip } from "./spi_flash_chip.ts";

/** A brown-out's restart comes this long after the dip, µs of board time. */
const BROWNOUT_RESTART_US = 10_000;

/**
 * What {@link BoardPower} acts on. The board builds these after its supply (they need its
 * faults), so they are asked for when needed.
 */
export interface PoweredParts {
  /** Resolved options (boot mode, faults, seed). */
  options: ResolvedBoardOptions;
  /** Reports an event. */
  emit(event: SimEvent): void;
  /** The time model (the reset circuit's RC delay counts in it). */
  timing: TimeModel;
  /** The chip's inside (programs, starts, timers). */
  wiring(): BoardWiring;
  /** The link to the host. */
  port(): HostPort;
  /** The flash chip (its volatile state goes with the power). */
  chip(): SpiFlashChip;
  /** Whether the board was closed. */
  closed(): boolean;
  /** The host's DTR/RTS come back released (the cable was out). */
  releaseLines(): void;
}

/**
 * The supply and the cable of one board.
 *
 * @example Through the board: a power cycle starts the chip as its straps say
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" }); // GPIO0 held low at every power-up
 * board.reset({ mode: "flash" });
 * board.powerCycle();
 * assert.equal(board.lastReset.cause, 1);
 * assert.equal(board.state, "download");
 * await board.close();
 * ```
 */
export class BoardPower {
  /** The faults of the board (its spec and seed), wired to the supply, the cable and the link. */
  readonly faults: FaultInjector;
  /** The reset circuit: DTR/RTS and the buttons to EN and GPIO0. */
  readonly circuit: ResetCircuit;
  readonly #parts: PoweredParts;
  #unplugged = false;
  readonly #replugs = new Set<() => void>();

  /** @param parts what the supply acts on */
  constructor(parts: PoweredParts) {
    this.#parts = parts;
    const { options: o, emit } = parts;
    this.faults = new FaultInjector(o.faults, o.seed, {
      injected: (fault, detail) => emit({ type: "injected", fault, detail }),
      disconnect: () => queueMicrotask(() => parts.port().hangUp()),
      unplug: (ms) => queueMicrotask(() => this.#unplug(ms)),
      brownout: () => this.#brownout(),
    });
    this.circuit = boardCircuit(o, {
      timing: parts.timing,
      gpio0StuckHigh: this.faults.gpio0StuckHigh,
      wiring: parts.wiring,
    });
  }

  /** Whether the USB cable is out (an `unplug` fault): no port, no power. */
  get unplugged(): boolean {
    return this.#unplugged;
  }

  /** The chip starts after power-up, in the mode the straps (or `bootMode`) select. */
  powerOn(): void {
    const gpio0Low = this.circuit.powerUp();
    const mode = this.#parts.options.bootMode ?? (gpio0Low ? "download" : "flash");
    this.#parts.wiring().start({ cause: 1, kind: "power-on", mode });
  }

  /** The cable out and back in: the flash loses its volatile state, the lines are released. */
  powerCycle(): void {
    this.#parts.chip().powerCycle();
    this.#parts.releaseLines();
    this.powerOn();
  }

  /**
   * Registers what an endpoint does when the cable is plugged back in.
   *
   * @param handler opens the endpoint's side again
   * @returns a function that unregisters it
   */
  onReplug(handler: () => void): () => void {
    this.#replugs.add(handler);
    return () => this.#replugs.delete(handler);
  }

  /**
   * The supply dipped: the chip stops, and starts again (`rst cause:1`) 10 ms later on the
   * board's clock (modelled time with pace `instant`, real time with `realtime`).
   */
  #brownout(): void {
    const w = this.#parts.wiring();
    w.hold("brownout");
    const started = w.device.lastReset;
    void w.device.clock.sleep(BROWNOUT_RESTART_US).then(() => {
      // a reset or power cycle meanwhile started the chip already
      if (this.#parts.closed() || this.#unplugged || w.device.lastReset !== started) return;
      const gpio0Low = this.circuit.gpio0Low;
      const mode = this.#parts.options.bootMode ?? (gpio0Low ? "download" : "flash");
      w.start({ cause: 1, kind: "power-on", mode });
    });
  }

  /**
   * The cable is pulled: the host's port goes away and the board loses power; after `ms` it is
   * plugged back in: the board powers up (as {@link BoardPower.powerCycle}) and endpoints offer
   * the port again under the same name.
   */
  #unplug(ms: number): void {
    const { emit } = this.#parts;
    this.#unplugged = true;
    this.#parts.port().hangUp();
    this.#parts.wiring().hold("unplugged: no power");
    emit({ type: "plug", plugged: false });
    this.#parts.wiring().timer(ms, () => {
      this.#unplugged = false;
      this.powerCycle();
      emit({ type: "plug", plugged: true });
      for (const handler of [...this.#replugs]) handler();
    });
  }
}
