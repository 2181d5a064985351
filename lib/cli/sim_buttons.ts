/**
 * The simulated board's FLASH and RESET buttons, pressed from outside `nodeflash sim`: a board
 * without the DTR/RTS reset circuit (`--reset manual`, an ESP-01 on a plain USB adapter) is put
 * into its loader only by hand, and this is the hand.
 *
 * - Keys on stdin (when stdin is a terminal, read a key at a time with Ctrl-C still a signal, or
 *   a pipe): `b` holds FLASH, presses and releases RESET, then lets go of FLASH once the chip
 *   has started: the ROM's download mode; `r` presses RESET alone: the chip boots the firmware
 *   in flash; `h` or `?` lists the keys. Spaces and line ends are ignored.
 * - Signals (not on Windows): SIGUSR1 does what `b` does, SIGUSR2 what `r` does.
 *
 * Presses run one after another, in the order they came. Nothing here prints: notes go to a
 * callback.
 *
 * @module
 */

import type { SimBoard } from "../sim/mod.ts";

/** What a press does. */
export type ButtonPress = "download" | "reset";

/** One press and what triggers it. */
export interface ButtonBinding {
  /** The press. */
  press: ButtonPress;
  /** The key on stdin (either case). */
  key: string;
  /** The signal (Unix). */
  signal: "SIGUSR1" | "SIGUSR2";
  /** What it does, for help texts. */
  description: string;
}

/** The presses, in the order the help lists them. */
export const BUTTON_BINDINGS: readonly ButtonBinding[] = [
  {
    press: "download",
    key: "b",
    signal: "SIGUSR1",
    description: "hold FLASH, press RESET: the ROM's download mode",
  },
  {
    press: "reset",
    key: "r",
    signal: "SIGUSR2",
    description: "press RESET: boot the firmware in flash",
  },
];

/** What one byte typed on stdin asks for. */
export type KeyMeaning = ButtonPress | "help" | "ignore" | "unknown";

/**
 * Reads one typed byte.
 *
 * @param byte the byte
 * @returns the press, `help`, `ignore` (whitespace) or `unknown`
 *
 * @example
 * ```ts
 * import { keyMeaning } from "./sim_buttons.ts";
 * import assert from "node:assert/strict";
 * assert.equal(keyMeaning("B".charCodeAt(0)), "download");
 * assert.equal(keyMeaning(0x0a), "ignore");
 * ```
 */
export function keyMeaning(byte: number): KeyMeaning {
  const key = String.fromCharCode(byte).toLowerCase();
  const binding = BUTTON_BINDINGS.find((b) => b.key === key);
  if (binding !== undefined) return binding.press;
  if (key === "h" || key === "?") return "help";
  return /^\s$/.test(key) ? "ignore" : "unknown";
}

/**
 * One line naming the keys and signals.
 *
 * @returns the text, without a line end
 *
 * @example
 * ```ts
 * import { buttonHelp } from "./sim_buttons.ts";
 * if (!buttonHelp().includes("b = hold FLASH")) throw new Error();
 * ```
 */
export function buttonHelp(): string {
  const keys = BUTTON_BINDINGS.map((b) => `${b.key} = ${b.description}`).join("; ");
  const signals = BUTTON_BINDINGS.map((b) => `${b.signal} = ${b.key}`).join(", ");
  return `keys: ${keys} (signals: ${signals})`;
}

/** The part of a board the buttons need. */
export type ButtonBoard = Pick<SimBoard, "flashButton" | "resetButton" | "enterDownloadMode">;

/**
 * Presses the buttons for one {@link ButtonPress}.
 *
 * @param board the board
 * @param press what to do
 * @returns when the press is over (for `download`, once the chip has started)
 *
 * @example
 * ```ts
 * import { pressButton } from "./sim_buttons.ts";
 * import { SimBoard } from "../sim/mod.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ reset: "manual" });
 * await pressButton(board, "download");
 * assert.equal(board.state, "download");
 * await board.close();
 * ```
 */
export async function pressButton(board: ButtonBoard, press: ButtonPress): Promise<void> {
  if (press === "download") return await board.enterDownloadMode();
  board.resetButton("down");
  board.resetButton("up");
}

/** Where key bytes come from (Deno.stdin has this shape). */
export interface KeySource {
  /** Reads bytes; `null` at the end. */
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Where signals come from (Deno.addSignalListener and Deno.removeSignalListener). */
export interface SignalSource {
  /** Adds a handler. */
  add(signal: Deno.Signal, handler: () => void): void;
  /** Removes it. */
  remove(signal: Deno.Signal, handler: () => void): void;
}

/** What presses the buttons. */
export interface ButtonSources {
  /** Keys, if any. */
  keys?: KeySource;
  /** Whether the keys come from a terminal (a person, who should be shown the key list). */
  interactive?: boolean;
  /** Signals, if any. */
  signals?: SignalSource;
  /** Gives back what opening took (the terminal's mode). */
  close?(): void;
}

/**
 * The process's own button sources: signals except on Windows, and, when `keys` is set, stdin
 * if it is a terminal (put in cbreak mode: a key at a time, no echo, Ctrl-C still interrupts)
 * or a pipe. Anything else on stdin (a file, /dev/null) is left alone.
 *
 * @param options whether to read keys from stdin
 * @returns the sources; call `close` when done
 *
 * @example
 * ```ts
 * import { processButtonSources } from "./sim_buttons.ts";
 * import assert from "node:assert/strict";
 * const sources = processButtonSources({ keys: false });
 * assert.equal(sources.keys, undefined);
 * assert.equal(sources.signals !== undefined, Deno.build.os !== "windows");
 * sources.close?.();
 * ```
 */
export function processButtonSources(options: { keys: boolean }): ButtonSources {
  const out: ButtonSources = {};
  if (Deno.build.os !== "windows") {
    out.signals = { add: Deno.addSignalListener, remove: Deno.removeSignalListener };
  }
  if (!options.keys) return out;
  if (Deno.stdin.isTerminal()) {
    try {
      Deno.stdin.setRaw(true, { cbreak: true });
    } catch {
      return out;
    }
    out.keys = Deno.stdin;
    out.interactive = true;
    out.close = () => Deno.stdin.setRaw(false);
  } else if (stdinIsPipe()) {
    out.keys = Deno.stdin;
  }
  return out;
}

function stdinIsPipe(): boolean {
  try {
    return Deno.statSync("/dev/stdin").isFifo === true;
  } catch {
    return false;
  }
}

/**
 * Presses the board's buttons on keys and signals until stopped.
 *
 * @param board the board
 * @param sources keys and signals
 * @param options `onNote` receives one line per press (and the key list, on `h`)
 * @returns a function that stops listening and closes the sources
 *
 * @example
 * ```ts
 * import { listenForButtons } from "./sim_buttons.ts";
 * import assert from "node:assert/strict";
 * const pressed: string[] = [];
 * const board = {
 *   flashButton: (s: "down" | "up") => void pressed.push(`flash ${s}`),
 *   resetButton: (s: "down" | "up") => void pressed.push(`reset ${s}`),
 *   enterDownloadMode: () => Promise.resolve(void pressed.push("download")),
 * };
 * let keys: Uint8Array | undefined = new TextEncoder().encode("r");
 * const notes: string[] = [];
 * const stop = listenForButtons(board, {
 *   keys: { read: (b) => { const k = keys; keys = undefined; if (!k) return Promise.resolve(null); b.set(k); return Promise.resolve(k.length); } },
 * }, { onNote: (n) => notes.push(n) });
 * await new Promise((r) => setTimeout(r, 10));
 * assert.deepEqual(pressed, ["reset down", "reset up"]);
 * stop();
 * ```
 */
export function listenForButtons(
  board: ButtonBoard,
  sources: ButtonSources,
  options: { onNote(line: string): void },
): () => void {
  let stopped = false;
  let queue = Promise.resolve();
  const press = (what: ButtonPress, from: string) => {
    queue = queue.then(async () => {
      if (stopped) return;
      try {
        await pressButton(board, what);
        options.onNote(
          what === "download"
            ? `${from}: FLASH held through RESET: download mode`
            : `${from}: RESET pressed: booting from flash`,
        );
      } catch (e) {
        options.onNote(`${from}: the press failed: ${e instanceof Error ? e.message : e}`);
      }
    });
  };
  const handlers = BUTTON_BINDINGS.map((b) => [b.signal, () => press(b.press, b.signal)] as const);
  for (const [signal, handler] of handlers) sources.signals?.add(signal, handler);
  if (sources.keys !== undefined) {
    void readKeys(sources.keys, () => stopped, (meaning, byte) => {
      if (meaning === "download" || meaning === "reset") press(meaning, `key ${byte}`);
      else if (meaning === "help") options.onNote(buttonHelp());
      else if (meaning === "unknown") options.onNote(`key ${byte} does nothing; ${buttonHelp()}`);
    });
  }
  return () => {
    if (stopped) return;
    stopped = true;
    for (const [signal, handler] of handlers) sources.signals?.remove(signal, handler);
    sources.close?.();
  };
}

async function readKeys(
  source: KeySource,
  stopped: () => boolean,
  onKey: (meaning: KeyMeaning, shown: string) => void,
): Promise<void> {
  const buffer = new Uint8Array(256);
  while (!stopped()) {
    let n: number | null;
    try {
      n = await source.read(buffer);
    } catch {
      return;
    }
    if (n === null || stopped()) return;
    for (const byte of buffer.subarray(0, n)) {
      const shown = byte >= 0x20 && byte < 0x7f
        ? `'${String.fromCharCode(byte)}'`
        : `0x${byte.toString(16).padStart(2, "0")}`;
      onKey(keyMeaning(byte), shown);
    }
  }
}
