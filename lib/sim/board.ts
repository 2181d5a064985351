/**
 * A simulated ESP8266 board: the chip (eFuses, RAM, UART0, SPI0), its flash, and whatever runs
 * on it, as an explicit state machine:
 *
 * - `download`: the ROM's serial loader (GPIO0 low at reset);
 * - `stub`: a known flasher stub the host uploaded (see stub_table.ts);
 * - `app`: the firmware in flash (silent in this part; a later part boots NodeMCU);
 * - `halted`: unknown code is running: the board is silent.
 *
 * {@link SimBoard.reset} is the hardware reset (the later reset circuit drives it from DTR/RTS);
 * a software reset restarts in the boot mode latched at the last hardware reset, so a stub's
 * reboot lands back in the ROM loader. The board is a {@link LinkPeer}: a memory link, an RFC
 * 2217 server, a raw TCP server or a pty feeds it the host's bytes, lines and baud rate, one
 * host at a time; its state survives a host going away, as a powered board does.
 *
 * @module
 */

import type { Signals } from "../transport/types.ts";
import type { LinkPeer } from "../transport/memory.ts";
import { AddressSpace } from "./address_space.ts";
import {
  type BoardOptions,
  type BootMode,
  resolveBoardOptions,
  type ResolvedBoardOptions,
} from "./board_options.ts";
import { InstantClock, type SimClock } from "./clock.ts";
import { CommandLog, type LoaderName } from "./command_log.ts";
import type { BoardProgram, Device } from "./device.ts";
import { type EfuseWords, efuseWordsFor } from "./efuse.ts";
import { FlashFile } from "./flash_file.ts";
import { NorFlash } from "./nor_flash.ts";
import { RomLoader } from "./rom_loader.ts";
import type { BoardState, SimEvent, SimEventListener } from "./sim_event.ts";
import { SilentProgram } from "./silent_program.ts";
import { SpiController } from "./spi_controller.ts";
import { SpiFlashChip } from "./spi_flash_chip.ts";
import { StubLoader } from "./stub_loader.ts";
import { identifyStub, KNOWN_STUBS, type KnownStub } from "./stub_table.ts";
import { SimUart } from "./uart.ts";

/** How long after the last flash change a backing file is written ("end of a write burst"). */
export const SAVE_DELAY_MS = 250;

/**
 * The board.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ flashSize: "1MB", mac: "5c:cf:7f:12:34:56" });
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
  /** Device time. */
  readonly clock: SimClock;
  /** Every command handled. */
  readonly log: CommandLog;
  /** The eFuse words. */
  readonly efuses: EfuseWords;
  /** What programs see of the board. */
  readonly device: Device;
  readonly #spi: SpiController;
  readonly #stubs: readonly KnownStub[];
  readonly #app: ((device: Device) => BoardProgram) | undefined;
  readonly #listeners = new Set<SimEventListener>();
  readonly #file: FlashFile | undefined;
  #program: BoardProgram;
  #latched: BootMode;
  #signals: Signals = { dtr: false, rts: false };
  #hostEndpoint: string | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /**
   * Builds the board and powers it on (in `options.bootMode`, download by default).
   *
   * @param options module, flash, chip, MAC, seed, clock, backing file, hooks
   */
  constructor(options: BoardOptions = {}) {
    const o = resolveBoardOptions(options);
    this.options = o;
    if (options.onEvent !== undefined) this.#listeners.add(options.onEvent);
    this.#file = options.flashFile === undefined
      ? undefined
      : FlashFile.open(options.flashFile, o.flashBytes);
    const contents = this.#file?.contents ?? options.flashContents;
    this.flash = new NorFlash(o.flashBytes, {
      ...(contents === undefined ? {} : { contents }),
      onChange: (span) => {
        if (this.#file === undefined) return;
        this.#file.markDirty(span);
        this.#scheduleSave();
      },
    });
    this.chip = new SpiFlashChip(this.flash, {
      jedecId: o.jedecId,
      status: o.flashStatus,
      seed: o.seed,
    });
    this.uart = new SimUart({ clockHz: o.crystalMhz * 2_000_000 });
    this.uart.setReceiver((bytes) => this.#program.receive(bytes));
    this.#spi = new SpiController(this.chip);
    this.efuses = efuseWordsFor(o.mac, { chip: o.chip, flashBytes: o.flashBytes, seed: o.seed });
    this.bus = new AddressSpace({ efuses: this.efuses, spi: this.#spi, uart: this.uart });
    this.clock = options.clock ?? new InstantClock();
    this.log = new CommandLog(options.logLimit);
    this.#stubs = options.stubs ?? KNOWN_STUBS;
    this.#app = options.app;
    this.device = this.#makeDevice();
    this.#latched = o.bootMode;
    this.#program = new SilentProgram("halted");
    this.reset({ mode: o.bootMode });
  }

  /** What is running. */
  get state(): BoardState {
    return this.#program.state;
  }

  /** The stub running, when `state` is `stub`. */
  get runningStub(): KnownStub | undefined {
    return this.#program instanceof StubLoader ? this.#program.stub : undefined;
  }

  /** The host's DTR/RTS as last set. */
  get signals(): Signals {
    return { ...this.#signals };
  }

  /** The backing file, if any. */
  get flashFile(): string | undefined {
    return this.#file?.path;
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
   * Hardware reset (EN pulled low and released): the chip restarts in `mode` and latches it for
   * later software resets. RAM and the SPI registers are cleared; the flash keeps its contents.
   *
   * @param options the boot mode the straps select
   */
  reset(options: { mode: BootMode }): void {
    this.#latched = options.mode;
    this.#restart(options.mode, "reset");
  }

  /**
   * Starts a known stub (what MEM_END does when it recognises the upload).
   *
   * @param stub the stub
   */
  startStub(stub: KnownStub): void {
    const program = new StubLoader(this.device, stub);
    this.#switch(program, `stub ${stub.name}`);
    this.uart.fixBaud();
    program.start();
  }

  /**
   * Connects a host: the board's output goes to `sink` (replacing any earlier host).
   *
   * @param sink receives the board's bytes
   * @param endpoint a name for events (`memory`, `rfc2217://…`)
   */
  attachHost(sink: (bytes: Uint8Array) => void, endpoint = "host"): void {
    this.#hostEndpoint = endpoint;
    this.uart.attachHost(sink);
    this.#emit({ type: "host", connected: true, endpoint });
  }

  /** Disconnects the host; the board keeps running. */
  detachHost(): void {
    if (this.#hostEndpoint === undefined) return;
    this.uart.attachHost(undefined);
    this.#emit({ type: "host", connected: false, endpoint: this.#hostEndpoint });
    this.#hostEndpoint = undefined;
  }

  /**
   * Bytes from the host.
   *
   * @param bytes what the host wrote
   * @param hostBaud the host's rate, when known
   */
  receive(bytes: Uint8Array, hostBaud?: number): void {
    if (this.#closed) return;
    if (this.#listeners.size > 0) this.#emit({ type: "rx", bytes: bytes.slice() });
    this.uart.fromHost(bytes, hostBaud);
  }

  /**
   * The host changed DTR/RTS. This part of the simulator has no reset circuit: the lines are
   * recorded and reported, and the board keeps running.
   *
   * @param signals the new line states
   */
  setSignals(signals: Signals): void {
    this.#signals = { dtr: signals.dtr, rts: signals.rts };
    this.#emit({ type: "signals", ...this.#signals });
  }

  /**
   * The host changed its baud rate.
   *
   * @param baud the new rate (`undefined` when unknown)
   */
  setBaudRate(baud: number | undefined): void {
    this.uart.setHostBaud(baud);
    this.#emit({ type: "baud", boardBaud: this.uart.boardBaud, hostBaud: baud });
  }

  /** The host closed its end (a memory link). */
  hostClosed(): void {
    this.detachHost();
  }

  /** Resolves when everything received so far has been handled. */
  async idle(): Promise<void> {
    let program: BoardProgram;
    do {
      program = this.#program;
      await program.idle();
    } while (program !== this.#program);
  }

  /**
   * Writes changed sectors to the backing file now.
   *
   * @returns sectors written (0 without a backing file)
   */
  save(): number {
    if (this.#saveTimer !== undefined) clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (this.#file === undefined) return 0;
    const sectors = this.#file.save(this.flash);
    if (sectors > 0) this.#emit({ type: "flash-saved", path: this.#file.path, sectors });
    return sectors;
  }

  /** Waits for pending work, saves the backing file and stops the running program. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.idle();
    this.#closed = true;
    this.save();
    this.#program.stop();
    this.detachHost();
  }

  #restart(mode: BootMode, why: string): void {
    this.bus.reset();
    this.#spi.reset();
    if (mode === "download") {
      this.#switch(new RomLoader(this.device), `${why}: ROM download mode`);
      this.uart.autobaud(this.uart.hostBaud);
    } else {
      this.#bootFirmware(`${why}: boot from flash`);
    }
  }

  #bootFirmware(detail: string): void {
    this.uart.fixBaud();
    this.uart.setDivider(Math.round(this.uart.clockHz / 115200));
    this.#switch(this.#app?.(this.device) ?? new SilentProgram("app"), detail);
  }

  #switch(program: BoardProgram, detail: string): void {
    this.#program.stop();
    this.#program = program;
    this.#emit({ type: "state", state: program.state, detail });
  }

  #scheduleSave(): void {
    if (this.#saveTimer !== undefined || this.#closed) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      this.save();
    }, SAVE_DELAY_MS);
  }

  #emit(event: SimEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #makeDevice(): Device {
    return {
      bus: this.bus,
      chip: this.chip,
      uart: this.uart,
      clock: this.clock,
      log: this.log,
      send: (bytes) => {
        if (this.#listeners.size > 0) this.#emit({ type: "tx", bytes: bytes.slice() });
        this.uart.send(bytes);
      },
      runCode: (entry: number, from: LoaderName) => {
        const stub = identifyStub(this.bus.ram, entry, this.#stubs);
        if (stub !== undefined) this.startStub(stub);
        else {
          this.#switch(
            new SilentProgram("halted"),
            `${from} jumped to unknown code at 0x${entry.toString(16)}`,
          );
        }
      },
      halt: (detail) => this.#switch(new SilentProgram("halted"), detail),
      softReset: () => this.#restart(this.#latched, "software reset"),
      runUserCode: () => this.#bootFirmware("run user code"),
      flashSettled: () => void this.save(),
      emit: (event) => this.#emit(event),
    };
  }
}
