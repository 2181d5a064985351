/**
 * The contract between the board and the programs that run on it (the ROM loader, a flasher
 * stub, the firmware): what a program may touch ({@link Device}) and what the board asks of a
 * program ({@link BoardProgram}).
 *
 * @module
 */

import type { AddressSpace } from "./address_space.ts";
import type { ResolvedBoardOptions } from "./board_options.ts";
import type { SimClock } from "./clock.ts";
import type { CommandLog, LoaderName } from "./command_log.ts";
import type { EfuseWords } from "./efuse.ts";
import type { RomResetCause } from "./rom_boot_log.ts";
import type { BoardState, SimEvent } from "./sim_event.ts";
import type { SpiFlashChip } from "./spi_flash_chip.ts";
import type { Arrival, TimingParams } from "./time_model.ts";
import type { SimUart } from "./uart.ts";

/** The hardware reset the running program started from. */
export interface ResetRecord {
  /** The ROM's `rst cause` (1 power-on, 2 EN pin or software restart, 4 watchdog). */
  cause: RomResetCause;
  /** What started it. */
  kind: "power-on" | "external" | "software" | "watchdog";
  /** The boot mode the straps selected. */
  mode: "download" | "flash";
}

/** The hardware a program runs on. */
export interface Device {
  /** The bus: RAM, eFuses, UART and SPI registers. */
  readonly bus: AddressSpace;
  /** The flash chip. */
  readonly chip: SpiFlashChip;
  /** UART0. */
  readonly uart: SimUart;
  /** Device time. */
  readonly clock: SimClock;
  /** The command log. */
  readonly log: CommandLog;
  /** The board's options (module, sizes, MAC, seed...). */
  readonly options: ResolvedBoardOptions;
  /** The eFuse words. */
  readonly efuses: EfuseWords;
  /** The time model's parameters. */
  readonly timing: Readonly<TimingParams>;
  /** The reset the running program started from. */
  readonly lastReset: ResetRecord;
  /**
   * Sends bytes to the host through the UART, at the UART's current rate.
   *
   * @param bytes what to send
   */
  send(bytes: Uint8Array): void;
  /**
   * Jumps to uploaded code (MEM_END): a known flasher stub starts, anything else leaves the
   * board silent.
   *
   * @param entry the entry point
   * @param from who jumped
   */
  runCode(entry: number, from: LoaderName): void;
  /**
   * The running code crashed or hung: the board goes silent.
   *
   * @param detail what happened
   */
  halt(detail: string): void;
  /** A software reset (the chip restarts as the boot straps said at the last hardware reset). */
  softReset(): void;
  /** The hardware watchdog fires: the chip resets (`rst cause:4`) in the latched boot mode. */
  watchdogReset(): void;
  /** Leaves the loader and starts the firmware in flash ("run user code"). */
  runUserCode(): void;
  /** The flash reached a state worth saving to a backing file (FLASH_END, an erase). */
  flashSettled(): void;
  /**
   * Device work the program does now (CPU, flash reads); flash erases and programs are counted
   * by the board itself. It passes at the next {@link settle}.
   *
   * @param us microseconds
   */
  work(us: number): void;
  /** Lets the work done so far pass on the board's clock (in real time with `--realtime`). */
  settle(): Promise<void>;
  /** When the bytes just handed to the program arrived (for {@link waitFor}). */
  arrival(): Arrival;
  /**
   * Waits until bytes have arrived (the program handles a frame when its last byte is in).
   *
   * @param arrival from {@link arrival}
   */
  waitFor(arrival: Arrival): Promise<void>;
  /**
   * Waits `ms` of real time, even without the time model (the boot's switch from the ROM's rate
   * to the console's); ends early when the board closes.
   *
   * @param ms milliseconds
   */
  pause(ms: number): Promise<void>;
  /**
   * The board is about to leave the rate `leaving` (the ROM's, for the console's): a host
   * listening at that rate follows it. In the modelled timeline the host answers at once, so
   * with pace `instant` the board gives it the real time it takes: resolves when the host's
   * rate no longer matches `leaving` (it followed), when no host listens there, after `maxMs`
   * (a host that stays), or when the board closes.
   *
   * @param leaving the rate the board leaves
   * @param maxMs the longest real wait, ms
   */
  hostFollows(leaving: number, maxMs: number): Promise<void>;
  /**
   * Reports an event.
   *
   * @param event the event
   */
  emit(event: SimEvent): void;
}

/** A program running on the board. */
export interface BoardProgram {
  /** Which board state it stands for. */
  readonly state: BoardState;
  /**
   * Bytes from the host (already through the UART).
   *
   * @param bytes what arrived
   */
  receive(bytes: Uint8Array): void;
  /** Resolves when everything received so far has been handled. */
  idle(): Promise<void>;
  /** The program stops (reset, jump): pending input is dropped, resources released. */
  stop(): void;
}
