/**
 * The inside of a {@link SimBoard}: the {@link Device} its programs run on, which program runs,
 * how the chip starts after each kind of reset, and the timers the board owns (so closing it
 * leaves none behind).
 *
 * @module
 */

import type { SimBoard } from "./board.ts";
import type { ResolvedBoardOptions } from "./board_options.ts";
import { type ChipStartContext, HookedFirmware, startChip } from "./chip_start.ts";
import type { SimClock } from "./clock.ts";
import type { LoaderName } from "./command_log.ts";
import type { BoardProgram, Device, ResetRecord } from "./device.ts";
import type { FaultInjector } from "./fault_injector.ts";
import type { HostPort } from "./host_port.ts";
import { NodemcuProgram } from "./nodemcu_program.ts";
import type { SimEvent } from "./sim_event.ts";
import { SilentProgram } from "./silent_program.ts";
import { StubLoader } from "./stub_loader.ts";
import { identifyStub, type KnownStub } from "./stub_table.ts";
import type { TimeModel } from "./time_model.ts";

/** What {@link makeDevice} needs. */
export interface BoardParts {
  /** The board (its chip, bus, UART, log and eFuses are built already). */
  board: SimBoard;
  /** Resolved options. */
  options: ResolvedBoardOptions;
  /** A clock to use instead of the time model's, if given. */
  clock: SimClock | undefined;
  /** The time model. */
  model: TimeModel;
  /** The link to the host. */
  port: HostPort;
  /** Faults. */
  faults: FaultInjector;
  /** Known flasher stubs. */
  stubs: readonly KnownStub[];
  /** Reports an event. */
  emit(event: SimEvent): void;
  /** Whether anyone listens (raw bytes are copied only then). */
  listening(): boolean;
  /** Clears RAM and the SPI registers (every start). */
  resetPeripherals(): void;
  /** The `app` hook: what runs instead of NodeMCU after a good image loads. */
  app: ((device: Device) => BoardProgram) | undefined;
  /** The `firmware` hook: what runs instead of the whole firmware. */
  firmware?: ((device: Device) => BoardProgram) | undefined;
  /** The chip has power again (after a power cycle or a brownout). */
  powerRestored(): void;
}

/** The board's inside, as the board uses it. */
export interface BoardWiring {
  /** What programs see. */
  readonly device: Device;
  /** What runs. */
  readonly program: BoardProgram;
  /**
   * The chip leaves reset.
   *
   * @param reset what reset it
   */
  start(reset: ResetRecord): void;
  /**
   * The chip is held in reset.
   *
   * @param detail why
   */
  hold(detail: string): void;
  /**
   * Starts a known stub.
   *
   * @param stub the stub
   */
  startStub(stub: KnownStub): void;
  /**
   * A board-owned timer.
   *
   * @returns a function that cancels it
   */
  timer(ms: number, fn: () => void): () => void;
  /** The board is closing: pauses and real-time waits end at once, timers stop. */
  closing(): void;
  /** The board closed: the program stops. */
  close(): void;
}

/**
 * Builds the board's inside.
 *
 * @param parts the board's parts
 * @returns the wiring
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" });
 * assert.equal(board.device.lastReset.kind, "power-on");
 * await board.close();
 * ```
 */
export function makeDevice(parts: BoardParts): BoardWiring {
  return new Wiring(parts);
}

class Wiring implements BoardWiring {
  readonly device: Device;
  readonly #p: BoardParts;
  #program: BoardProgram = new SilentProgram("reset");
  #latched: "download" | "flash" = "flash";
  #lastReset: ResetRecord = { cause: 1, kind: "power-on", mode: "flash" };
  #closing = false;
  readonly #timers = new Map<ReturnType<typeof setTimeout>, (() => void) | undefined>();

  constructor(parts: BoardParts) {
    this.#p = parts;
    this.device = this.#makeDevice();
  }

  get program(): BoardProgram {
    return this.#program;
  }

  start(reset: ResetRecord): void {
    if (this.#closing) return;
    const p = this.#p;
    if (reset.kind === "power-on" || reset.kind === "external") this.#latched = reset.mode;
    this.#lastReset = reset;
    this.#program.stop();
    p.resetPeripherals();
    if (reset.kind === "power-on") p.powerRestored();
    p.emit({ type: "boot", ...reset });
    startChip(this.#ctx(), reset);
  }

  hold(detail: string): void {
    this.#switch(new SilentProgram("reset"), detail);
  }

  startStub(stub: KnownStub): void {
    const program = new StubLoader(this.device, stub);
    this.#switch(program, `stub ${stub.name}`);
    this.device.uart.fixBaud();
    program.start();
  }

  timer(ms: number, fn: () => void): () => void {
    if (this.#closing) return () => {};
    const id = setTimeout(() => {
      this.#timers.delete(id);
      fn();
    }, Math.max(0, ms));
    this.#timers.set(id, undefined);
    return () => {
      clearTimeout(id);
      this.#timers.delete(id);
    };
  }

  closing(): void {
    this.#closing = true;
    // what the board still does (a first-boot format...) no longer waits in real time
    this.#p.model.dispose();
    for (const [id, wake] of this.#timers) {
      clearTimeout(id);
      wake?.();
    }
    this.#timers.clear();
  }

  close(): void {
    this.closing();
    this.#program.stop();
  }

  #pause(ms: number): Promise<void> {
    if (this.#closing || !(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const id = setTimeout(() => {
        this.#timers.delete(id);
        resolve();
      }, ms);
      this.#timers.set(id, resolve);
    });
  }

  #hostFollows(leaving: number, maxMs: number): Promise<void> {
    const { board, port } = this.#p;
    const listening = () => port.endpoint !== undefined && board.uart.hostAt(leaving);
    if (this.#closing || !listening()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        off();
        clearTimeout(id);
        this.#timers.delete(id);
        resolve();
      };
      const off = board.on((e) => {
        if ((e.type === "baud" || e.type === "host") && !listening()) finish();
      });
      const id = setTimeout(finish, Math.max(0, maxMs));
      this.#timers.set(id, finish);
    });
  }

  #switch(program: BoardProgram, detail: string): void {
    this.#program.stop();
    this.#program = program;
    this.#p.emit({ type: "state", state: program.state, detail });
  }

  #ctx(): ChipStartContext {
    return {
      device: this.device,
      faults: this.#p.faults,
      firmware: (device) => {
        const { app, firmware } = this.#p;
        if (firmware !== undefined) return firmware(device);
        return app === undefined ? new NodemcuProgram(device) : new HookedFirmware(device, app);
      },
      run: (program, detail) => this.#switch(program, detail),
    };
  }

  #makeDevice(): Device {
    const p = this.#p;
    const b = p.board;
    const model = p.model;
    const clock: SimClock = p.clock ?? {
      now: () => model.now(),
      sleep: (us) => (model.work(us), model.settle()),
    };
    const lastReset = () => this.#lastReset;
    const restart = (kind: "software" | "watchdog") => {
      const reset: ResetRecord = { cause: kind === "software" ? 2 : 4, kind, mode: this.#latched };
      this.start(reset);
    };
    return {
      bus: b.bus,
      chip: b.chip,
      uart: b.uart,
      clock,
      log: b.log,
      options: p.options,
      efuses: b.efuses,
      timing: model.params,
      get lastReset() {
        return lastReset();
      },
      send: (bytes) => {
        if (p.listening()) p.emit({ type: "tx", bytes: bytes.slice() });
        b.uart.send(bytes);
      },
      runCode: (entry: number, from: LoaderName) => {
        const stub = identifyStub(b.bus.ram, entry, p.stubs);
        if (stub !== undefined) this.startStub(stub);
        else {
          this.#switch(
            new SilentProgram("halted"),
            `${from} jumped to unknown code at 0x${entry.toString(16)}`,
          );
        }
      },
      halt: (detail) => this.#switch(new SilentProgram("halted"), detail),
      softReset: () => restart("software"),
      watchdogReset: () => restart("watchdog"),
      runUserCode: () => {
        this.#program.stop();
        startChip(this.#ctx(), { ...this.#lastReset, mode: "flash" }, { header: false });
      },
      flashSettled: () => void b.save(),
      work: (us) => model.work(us),
      settle: async () => {
        if (p.clock === undefined) return model.settle();
        const before = model.counters.busyUs;
        await model.settle();
        await p.clock.sleep(model.counters.busyUs - before);
      },
      arrival: () => p.port.arrival,
      waitFor: (arrival) => model.waitFor(arrival),
      pause: (ms) => this.#pause(ms),
      hostFollows: (leaving, maxMs) => this.#hostFollows(leaving, maxMs),
      emit: (event) => p.emit(event),
    };
  }
}
