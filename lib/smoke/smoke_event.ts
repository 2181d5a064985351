/**
 * What a smoke test reports while it runs. The library never prints: the CLI renders these
 * (progress dots, a `--log FILE` of the raw bytes, "press RESET" prompts).
 *
 * @module
 */

import type { SmokePhase } from "./phase.ts";

/** One thing that happened during a smoke test. */
export type SmokeEvent =
  /** The board reached a further phase, `atMs` after the reset. */
  | { type: "phase"; phase: SmokePhase; atMs: number }
  /** Bytes arrived from the board while the host listened at `baud` (raw, for a log file). */
  | { type: "bytes"; data: Uint8Array; baud: number }
  /** Bytes the smoke test typed at the board. */
  | { type: "sent"; data: Uint8Array }
  /** The host changed its baud rate (or could not: `ok` false), and why. */
  | { type: "baud"; baud: number; ok: boolean; reason: string }
  /** The file-system format printed another dot (one per 64 KB erased). */
  | { type: "format-progress"; dots: number }
  /** Manual reset: the user should press the board's RESET button now. */
  | { type: "press-reset"; timeoutMs: number };

/** Receives {@link SmokeEvent}s. */
export type SmokeEventHandler = (event: SmokeEvent) => void;
