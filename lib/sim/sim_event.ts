/**
 * What a simulated board reports while it runs: state changes, handled commands, the raw bytes
 * both ways (the frame log of `nodeflash sim --log`), line changes, baud changes, backing-file
 * saves, hosts coming and going, every chip start (`boot`: reset cause and boot mode), what the
 * simulator does not model faithfully (`unmodelled`), faults
 * injected on purpose (`injected`, see faults.ts) and internal faults (a bug in the simulator,
 * reported instead of crashing it).
 *
 * @module
 */

import type { CommandRecord } from "./command_log.ts";

/** What is running on the board. */
export type BoardState =
  /** The chip is held in reset (EN low, or not yet high for the RC delay). */
  | "reset"
  /** The ROM's serial download mode (GPIO0 low at reset). */
  | "download"
  /** A known flasher stub uploaded to RAM. */
  | "stub"
  /** The firmware in flash (booted with GPIO0 high, or "run user code"). */
  | "app"
  /** Unknown code: the board is silent. */
  | "halted";

/** One event. */
export type SimEvent =
  | { type: "state"; state: BoardState; detail: string }
  | { type: "command"; record: CommandRecord }
  | { type: "rx"; bytes: Uint8Array }
  | { type: "tx"; bytes: Uint8Array }
  | { type: "signals"; dtr: boolean; rts: boolean }
  | { type: "baud"; boardBaud: number; hostBaud: number | undefined }
  | { type: "flash-saved"; path: string; sectors: number }
  | { type: "host"; connected: boolean; endpoint: string }
  | {
    type: "boot";
    cause: 1 | 2 | 4;
    kind: "power-on" | "external" | "software" | "watchdog";
    mode: "download" | "flash";
  }
  | { type: "injected"; fault: string; detail: string }
  /** The board meets something the simulator does not model faithfully (an integer build's Lua). */
  | { type: "unmodelled"; detail: string }
  | { type: "fault"; error: unknown };

/** Receives events. */
export type SimEventListener = (event: SimEvent) => void;
