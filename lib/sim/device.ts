/**
 * The contract between the board and the programs that run on it (the ROM loader, a flasher
 * stub, the firmware): what a program may touch ({@link Device}) and what the board asks of a
 * program ({@link BoardProgram}).
 *
 * @module
 */

import type { AddressSpace } from "./address_space.ts";
import type { SimClock } from "./clock.ts";
import type { CommandLog, LoaderName } from "./command_log.ts";
import type { BoardState, SimEvent } from "./sim_event.ts";
import type { SpiFlashChip } from "./spi_flash_chip.ts";
import type { SimUart } from "./uart.ts";

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
  /**
   * Sends bytes to the host through the UART.
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
  /** A software reset (the chip restarts as its boot straps say). */
  softReset(): void;
  /** Leaves the loader and starts the firmware in flash ("run user code"). */
  runUserCode(): void;
  /** The flash reached a state worth saving to a backing file (FLASH_END, an erase). */
  flashSettled(): void;
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
