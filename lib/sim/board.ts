/**
 * A simulated ESP8266 board: the chip (eFuses, RAM, UART0, SPI0), its flash, the reset circuit
 * in front of it, and whatever runs on it, as an explicit state machine:
 *
 * - `reset`: the chip is held in reset (EN low);
 * - `download`: the ROM's serial loader (GPIO0 low when the chip left reset);
 * - `stub`: a known flasher stub the host uploaded (see stub_table.ts);
 * - `app`: the firmware in flash (NodeMCU's console and Lua REPL, or the `app` hook);
 * - `halted`: unknown code runs, or the ROM found no valid image: the board is silent.
 *
 * Every start prints the ROM's messages (chip_start.ts). DTR/RTS drive EN and GPIO0 through
 * the devkit's circuit (reset_circuit.ts); buttons, power cycles and {@link SimBoard.reset}
 * reach the chip directly. A software reset restarts in the boot mode latched at the last
 * hardware reset (a stub's reboot lands back in the ROM loader). The board is a
 * {@link LinkPeer} for one host at a time (memory link, RFC 2217, raw TCP, pty); its state
 * survives a host going away. Time: time_model.ts; faults: faults.ts; the supply, the cable, the
 * reset circuit and the faults that act on them: board_power.ts, board_circuit.ts.
 *
 * @module
 */

import type { Signals } from "../transport/types.ts";
import type { LinkPeer } from "../transport/memory.ts";
import type { AddressSpace } from "./address_space.ts";
import {
  type BoardOptions,
  type BootMode,
  resolveBoardOptions,
  type ResolvedBoardOptions,
} from "./board_options.ts";
import { type BoardWiring, makeDevice } from "./board_device.ts";
import type { SimClock } from "./clock.ts";
import { CommandLog } from "./command_log.ts";
import type { BoardProgram, Device, ResetRecord } from "./device.ts";
import type { EfuseWords } from "./efuse.ts";
import type { FaultInjector } from "./fault_injector.ts";
import { BoardFlash } from "./board_flash.ts";
import { BoardPower } from "./board_power.ts";
import { chipPeripherals } from "./chip_peripherals.ts";
import { HostPort } from "./host_port.ts";
import { NodemcuProgram } from "./nodemcu_program.ts";
import type { NorFlash } from "./nor_flash.ts";
import type { ResetCircuit } from "./reset_circuit.ts";
import type { BoardState, SimEvent, SimEventListener } from "./sim_event.ts";
import type { SpiFlashChip } from "./spi_flash_chip.ts";
import { StubLoader } from "./stub_loader.ts";
import { KNOWN_STUBS, type KnownStub } from "./stub_table.ts";
import { TimeModel } from "./time_model.ts";
import type { SimUart } from "./uart.ts";

export { SAVE_DELAY_MS } from "./board_flash.ts";

/**
 * The board.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ flashSize: "1MB", mac: "5c:cf:7f:12:34:56", bootMode: "download" });
 * const replies: Uint8Array[] = [];
 * board.attachHost((bytes) => replies.push(bytes));
 * // READ_REG 0x40001000 (the chip magic), as a host sends it
 * board.receive(new Uint8Array([0xc0, 0, 0x0a, 4, 0, 0, 0, 0, 0, 0x00, 0x10, 0x00, 0x40, 0xc0]), 115200);
 * await board.idle();
 * assert.deepEqual([...replies[0]!.subarray(5, 9)], [0x01, 0xc1, 0xf0, 0xff]); // after C0 and 4 header bytes
 * await board.close();
 * ```
 */
export class SimBoard implements LinkPeer {
  /** The resolved options. */
  readonly options: ResolvedBoardOptions;
  /** The flash array (inspect contents and erase/program counts here). */
  readonly flash: NorFlash;
  /** The flash chip (status registers, JEDEC id). */
  readonly chip: SpiFlashChip;
  /** UART0. */
  readonly uart: SimUart;
  /** The bus. */
  readonly bus: AddressSpace;
  /** Device time: modelled µs with pace `instant`, real µs since creation with `realtime`. */
  readonly clock: SimClock;
  /**
   * The time model: `mark()` and `since(mark)` time a job (elapsed board time, the floor the
   * model implies, bytes and wire time both ways, device work); `counters`; `params`.
   */
  readonly timing: TimeModel;
  /** Every command handled. */
  readonly log: CommandLog;
  /** The eFuse words. */
  readonly efuses: EfuseWords;
  /** What programs see of the board. */
  readonly device: Device;
  readonly #w: BoardWiring;
  readonly #circuit: ResetCircuit;
  readonly #faults: FaultInjector;
  readonly #power: BoardPower;
  readonly #port: HostPort;
  readonly #listeners = new Set<SimEventListener>();
  readonly #flash: BoardFlash;
  #signals: Signals = { dtr: false, rts: false };
  #closed = false;

  /**
   * Builds the board and powers it on: a devkit boots its firmware (GPIO0 is pulled high), unless
   * `bootMode` says otherwise.
   *
   * @param options module, flash, chip, MAC, seed, reset wiring, time model, faults, hooks
   */
  constructor(options: BoardOptions = {}) {
    const o = resolveBoardOptions(options);
    this.options = o;
    if (options.onEvent !== undefined) this.#listeners.add(options.onEvent);
    const emit = (event: SimEvent) => this.#emit(event);
    this.timing = new TimeModel({ pace: o.pace, params: o.timing });
    this.#power = new BoardPower({
      options: o,
      emit,
      timing: this.timing,
      wiring: () => this.#w,
      port: () => this.#port,
      chip: () => this.chip,
      closed: () => this.#closed,
      releaseLines: () => this.#signals = { dtr: false, rts: false },
    });
    ({ faults: this.#faults, circuit: this.#circuit } = this.#power);
    this.#flash = new BoardFlash(o, {
      contents: options.flashContents,
      file: options.flashFile,
      onOperation: (op) => this.timing.flashOperation(op),
      gate: (op) => this.#faults.flashGate(op),
      onSaved: (path, sectors) => emit({ type: "flash-saved", path, sectors }),
    });
    this.flash = this.#flash.flash;
    this.chip = this.#flash.chip;
    const peripherals = chipPeripherals(o, this.chip);
    ({ uart: this.uart, efuses: this.efuses, bus: this.bus } = peripherals);
    this.log = new CommandLog(options.logLimit);
    this.#port = new HostPort({
      uart: this.uart,
      model: this.timing,
      faults: this.#faults,
      emit,
      listening: () => this.#listeners.size > 0,
      bridgeMaxBaud: o.bridgeMaxBaud,
    });
    this.#w = makeDevice({
      board: this,
      options: o,
      clock: options.clock,
      model: this.timing,
      port: this.#port,
      faults: this.#faults,
      stubs: options.stubs ?? KNOWN_STUBS,
      emit,
      listening: () => this.#listeners.size > 0,
      resetPeripherals: peripherals.reset,
      app: options.app,
      firmware: options.firmware,
      powerRestored: () => this.#faults.powerRestored(),
    });
    this.device = this.#w.device;
    this.clock = this.device.clock;
    this.uart.setReceiver((bytes) => this.#w.program.receive(bytes));
    this.#power.powerOn();
  }

  /** What is running. */
  get state(): BoardState {
    return this.#w.program.state;
  }

  /** The stub running, when `state` is `stub`. */
  get runningStub(): KnownStub | undefined {
    const program = this.#w.program;
    return program instanceof StubLoader ? program.stub : undefined;
  }

  /** The running firmware, when it is NodeMCU (for inspection: console, file system). */
  get nodemcu(): NodemcuProgram | undefined {
    const program = this.#w.program;
    return program instanceof NodemcuProgram ? program : undefined;
  }

  /** The reset the running program started from. */
  get lastReset(): ResetRecord {
    return this.device.lastReset;
  }

  /** The host's DTR/RTS as last set. */
  get signals(): Signals {
    return { ...this.#signals };
  }

  /** Whether the USB cable is out (an `unplug` fault): no port, no power. */
  get unplugged(): boolean {
    return this.#power.unplugged;
  }

  /** The backing file, if any. */
  get flashFile(): string | undefined {
    return this.#flash.path;
  }

  /**
   * Listens to the board's events.
   *
   * @param listener receives events
   * @returns a function that stops listening
   */
  on(listener: SimEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Hardware reset straight to the chip (EN pulsed, the straps set for `mode`), bypassing the
   * circuit and its delay: the chip restarts in `mode` (`rst cause:2`) and latches it for later
   * software resets. RAM and the SPI registers are cleared; the flash keeps its contents.
   *
   * @param options the boot mode the straps select
   */
  reset(options: { mode: BootMode }): void {
    this.#w.start({ cause: 2, kind: "external", mode: options.mode });
  }

  /**
   * The USB cable pulled and plugged back in: the flash chip loses its volatile state, the
   * host's lines come back released, and the chip starts (`rst cause:1`) as the straps say: a
   * devkit boots its firmware (download mode only with FLASH held, or with `bootMode:
   * "download"`, a board whose GPIO0 is held low at every power-up).
   */
  powerCycle(): void {
    this.#power.powerCycle();
  }

  /**
   * The FLASH button (GPIO0 to ground).
   *
   * @param state `down` (held) or `up`
   */
  flashButton(state: "down" | "up"): void {
    this.#circuit.flashButton(state);
  }

  /**
   * The RESET button (EN to ground): the chip stops while it is down and starts after EN's RC
   * delay once it is up.
   *
   * @param state `down` (held) or `up`
   */
  resetButton(state: "down" | "up"): void {
    this.#circuit.resetButton(state);
  }

  /**
   * What a user of a board without auto-reset does: hold FLASH, press and release RESET, wait
   * for the chip to start, let go of FLASH. Resolves in download mode (unless GPIO0 is stuck).
   */
  async enterDownloadMode(): Promise<void> {
    this.flashButton("down");
    this.resetButton("down");
    this.resetButton("up");
    await this.#circuit.released();
    this.flashButton("up");
  }

  /**
   * Starts a known stub (what MEM_END does when it recognises the upload).
   *
   * @param stub the stub
   */
  startStub(stub: KnownStub): void {
    this.#w.startStub(stub);
  }

  /**
   * Connects a host: the board's output goes to `sink` (replacing any earlier host).
   *
   * @param sink receives the board's bytes
   * @param endpoint a name for events (`memory`, `rfc2217://…`)
   */
  attachHost(sink: (bytes: Uint8Array) => void, endpoint = "host"): void {
    this.#port.attach(sink, endpoint);
  }

  /** Disconnects the host; the board keeps running. */
  detachHost(): void {
    this.#port.detach();
  }

  /**
   * Registers what an endpoint does when the USB link drops (the `disconnect` fault).
   *
   * @param handler closes the endpoint's side
   * @returns a function that unregisters it
   */
  onHangUp(handler: () => void): () => void {
    return this.#port.onHangUp(handler);
  }

  /**
   * Registers what an endpoint does when the cable is plugged back in after an `unplug` fault
   * (the port comes back under the same name).
   *
   * @param handler opens the endpoint's side again
   * @returns a function that unregisters it
   */
  onReplug(handler: () => void): () => void {
    return this.#power.onReplug(handler);
  }

  /**
   * Bytes from the host.
   *
   * @param bytes what the host wrote
   * @param hostBaud the host's rate, when known
   */
  receive(bytes: Uint8Array, hostBaud?: number): void {
    if (this.#closed) return;
    this.#port.receive(bytes, hostBaud);
  }

  /**
   * The host changed DTR/RTS: they reach EN and GPIO0 through the reset circuit.
   *
   * @param signals the new line states
   */
  setSignals(signals: Signals): void {
    if (this.#closed) return;
    this.#signals = { dtr: signals.dtr, rts: signals.rts };
    this.#emit({ type: "signals", ...this.#signals });
    this.#circuit.setLines(this.#signals);
  }

  /**
   * The host changed its baud rate.
   *
   * @param baud the new rate (`undefined` when unknown)
   */
  setBaudRate(baud: number | undefined): void {
    this.#port.setHostBaud(baud);
  }

  /**
   * The host purged its receive buffer (RFC 2217 PURGE-DATA): what the board sent that has not
   * reached the host yet is dropped.
   *
   * @returns bytes dropped
   */
  purgeToHost(): number {
    return this.#port.purge();
  }

  /** The host closed its end (a memory link). */
  hostClosed(): void {
    this.detachHost();
  }

  /**
   * Resolves when the chip is out of reset (EN's RC delay included) and everything received so
   * far has been handled.
   */
  async idle(): Promise<void> {
    let program: BoardProgram;
    do {
      await this.#circuit.released();
      program = this.#w.program;
      await program.idle();
    } while (program !== this.#w.program && !this.#closed);
  }

  /**
   * Writes changed sectors to the backing file now.
   *
   * @returns sectors written (0 without a backing file)
   */
  save(): number {
    return this.#flash.save();
  }

  /** Waits for pending work, saves the backing file and stops the running program. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#circuit.dispose();
    this.#w.closing();
    await this.idle();
    this.#closed = true;
    this.#flash.close();
    this.#w.close();
    this.timing.dispose();
    this.#port.dispose();
    this.detachHost();
  }

  #emit(event: SimEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
