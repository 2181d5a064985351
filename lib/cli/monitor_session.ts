/**
 * The monitor's I/O loop: board bytes to the terminal unchanged, typed bytes to the board, the
 * keys of `monitor_keys.ts`, the monitor's own reset with the ROM's 74880-baud boot message
 * decoded (`rom_window.ts`), and a note for resets it did not cause (`reset_noise.ts`).
 *
 * - When the input is a terminal it is put in raw mode and restored on every way out (quit key,
 *   end of input, interrupt, a failing port). Keys act as `monitor_keys.ts` describes.
 * - When it is not (a pipe, a file), its bytes go to the board as they come, with no keys; at
 *   its end the monitor quits once the board has been quiet for `idleMs` (`eof: "quit"`), or
 *   keeps running until interrupted (`eof: "stay"`).
 * - Everything the board sends also goes to `log`, whatever rate it was heard at.
 * - DTR/RTS stay as the port opened them until Ctrl-T R (a Linux tty asserts both, which the
 *   NodeMCU devkit's circuit ignores); setting them at start could pulse EN on transports that
 *   send the two lines one after the other (RFC 2217).
 *
 * @module
 */

import { HARD_RESET, runResetSequence } from "../protocol/mod.ts";
import type { Signals } from "../transport/mod.ts";
import type { Transport } from "../../mod.ts";
import { type KeyAction, MonitorKeys } from "./monitor_keys.ts";
import {
  connectedNote,
  FOREIGN_RESET_NOTE,
  helpNote,
  noResetLinesNote,
  resetNote,
  unknownKeyNote,
} from "./monitor_notes.ts";
import { ResetNoise } from "./reset_noise.ts";
import { DEFAULT_ROM_WINDOW, ROM_BAUD, RomWindow, type RomWindowTiming } from "../smoke/mod.ts";

/** Where the monitor reads keys and writes the board's bytes. */
export interface MonitorTerminal {
  /** Whether the input is a keyboard (raw mode and keys) rather than a pipe or a file. */
  readonly isTerminal: boolean;
  /** The next bytes typed or piped; `null` at the end of input. */
  read(): Promise<Uint8Array | null>;
  /** Raw mode on or off (called only when {@link MonitorTerminal.isTerminal}). */
  setRaw(raw: boolean): void;
  /** Writes the board's bytes, unchanged. */
  write(bytes: Uint8Array): Promise<void>;
}

/** Timers of the monitor, in milliseconds (tests pass small ones). */
export interface MonitorTiming extends RomWindowTiming {
  /** How often the ROM window is checked. */
  pollMs: number;
  /** Quiet time that ends a burst of reset noise. */
  noiseQuietMs: number;
}

/** Options for {@link runMonitor}. */
export interface MonitorOptions {
  /** Keyboard and screen. */
  terminal: MonitorTerminal;
  /** Writes one of the monitor's notes (one or more lines, no trailing newline). */
  note(text: string): void;
  /** Receives every byte the board sent (the `--log` file). */
  log?: (bytes: Uint8Array) => Promise<void>;
  /** The console's rate, 115200 (NodeMCU) by default. */
  consoleBaud?: number;
  /** Input that is not a terminal: at its end quit once the board is quiet, or stay. */
  eof?: "quit" | "stay";
  /** With `eof: "quit"`: how long the board must be quiet, 1000 ms by default. */
  idleMs?: number;
  /** Leave out the first note. */
  quiet?: boolean;
  /** Stops the monitor (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Timers. */
  timing?: Partial<MonitorTiming>;
}

/** Why the monitor stopped. */
export type MonitorEnd = "quit-key" | "end-of-input" | "interrupted" | "port-closed";

/** What a monitor session did. */
export interface MonitorResult {
  /** Why it stopped. */
  end: MonitorEnd;
  /** Resets done with Ctrl-T R. */
  resets: number;
  /** Resets noticed from their noise. */
  foreignResets: number;
  /** Bytes from the board. */
  fromBoard: number;
  /** Bytes to the board. */
  toBoard: number;
}

const DEFAULT_TIMING: MonitorTiming = { ...DEFAULT_ROM_WINDOW, pollMs: 10, noiseQuietMs: 100 };
const now = () => performance.now();

function restore(terminal: MonitorTerminal): void {
  try {
    terminal.setRaw(false);
  } catch {
    // the terminal went away (hang-up): nothing left to restore
  }
}

/**
 * Runs the monitor until the quit key, the end of input, an interrupt or the port's end.
 * Rejects when the port fails (after restoring the terminal); the caller closes the transport.
 *
 * @param transport the board, opened at the console rate
 * @param options terminal, notes, log and rules
 * @returns why it stopped and what it did
 *
 * @example
 * ```ts
 * import { runMonitor } from "./monitor_session.ts";
 * import { createMemoryLink } from "../testing/mod.ts";
 * import assert from "node:assert/strict";
 * const link = createMemoryLink({ receive: (b) => link.deliver(b) }); // a board that echoes
 * const input = [new TextEncoder().encode("hi\r\n")];
 * let screen = "";
 * const result = await runMonitor(link.transport, {
 *   terminal: {
 *     isTerminal: false,
 *     read: () => Promise.resolve(input.shift() ?? null),
 *     setRaw() {},
 *     write: (b) => Promise.resolve(void (screen += new TextDecoder().decode(b))),
 *   },
 *   note() {},
 *   idleMs: 20,
 * });
 * assert.equal(screen, "hi\r\n");
 * assert.equal(result.end, "end-of-input");
 * await link.transport.close();
 * ```
 */
export async function runMonitor(
  transport: Transport,
  options: MonitorOptions,
): Promise<MonitorResult> {
  return await new MonitorSession(transport, options).run();
}

class MonitorSession {
  readonly #t: Transport;
  readonly #o: MonitorOptions;
  readonly #timing: MonitorTiming;
  readonly #consoleBaud: number;
  readonly #stop = new AbortController();
  readonly #noise: ResetNoise;
  #rom: RomWindow | "pulse" | undefined;
  #noiseTimer: ReturnType<typeof setTimeout> | undefined;
  #busy: Promise<void> = Promise.resolve();
  #midLine = false;
  #lastBoardAt = -Infinity;
  #result: Omit<MonitorResult, "end"> = { resets: 0, foreignResets: 0, fromBoard: 0, toBoard: 0 };

  constructor(transport: Transport, options: MonitorOptions) {
    this.#t = transport;
    this.#o = options;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#consoleBaud = options.consoleBaud ?? 115200;
    this.#noise = new ResetNoise({ quietMs: this.#timing.noiseQuietMs });
  }

  async run(): Promise<MonitorResult> {
    const { terminal } = this.#o;
    const reader = this.#t.readable.getReader();
    const interrupted = this.#interrupted();
    if (terminal.isTerminal) terminal.setRaw(true);
    try {
      if (!this.#o.quiet) {
        this.#note(connectedNote(this.#t.info.url, {
          baud: this.#consoleBaud,
          keys: terminal.isTerminal,
          eof: this.#o.eof ?? "quit",
        }));
      }
      const board = this.#boardLoop(reader);
      const input = this.#inputLoop();
      board.catch(() => {});
      input.catch(() => {});
      const end = await Promise.race([board, input, interrupted.promise]);
      if (!this.#o.quiet && end !== "port-closed") {
        this.#note(`--- Disconnected from ${this.#t.info.url} ---`);
      }
      return { end, ...this.#result };
    } finally {
      this.#stop.abort();
      interrupted.dispose();
      clearTimeout(this.#noiseTimer);
      if (terminal.isTerminal) restore(terminal);
      await this.#busy;
      try {
        reader.releaseLock();
      } catch {
        // a read is still pending on a transport that does not allow this; closing ends it
      }
    }
  }

  #interrupted(): { promise: Promise<MonitorEnd>; dispose(): void } {
    const signal = this.#o.signal;
    let onAbort = () => {};
    const promise = new Promise<MonitorEnd>((resolve) => {
      onAbort = () => resolve("interrupted");
      if (signal?.aborted) onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return { promise, dispose: () => signal?.removeEventListener("abort", onAbort) };
  }

  async #boardLoop(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<MonitorEnd> {
    while (true) {
      const { value, done } = await reader.read();
      if (done || this.#stop.signal.aborted) return "port-closed";
      await this.#fromBoard(value);
    }
  }

  async #fromBoard(bytes: Uint8Array): Promise<void> {
    const t = now();
    this.#lastBoardAt = t;
    this.#result.fromBoard += bytes.length;
    await this.#o.log?.(bytes);
    if (this.#rom !== undefined) {
      // At the ROM rate: the window decodes it; during the reset pulse it is console output
      // still in flight, misread, and kept only in the log.
      if (this.#rom !== "pulse") this.#rom.feed(bytes, t);
      return;
    }
    const end = this.#noise.feed(bytes, t);
    if (end === undefined) {
      await this.#show(bytes);
    } else {
      await this.#show(bytes.subarray(0, end));
      this.#foreignReset();
      await this.#show(bytes.subarray(end));
    }
    this.#armNoiseTimer();
  }

  async #show(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    await this.#o.terminal.write(bytes);
    this.#midLine = bytes[bytes.length - 1] !== 0x0a;
  }

  #note(text: string): void {
    // On a terminal the note shares the screen with the board's output: start it on a new line.
    const prefix = this.#midLine && this.#o.terminal.isTerminal ? "\n" : "";
    this.#midLine = false;
    this.#o.note(prefix + text);
  }

  #foreignReset(): void {
    this.#result.foreignResets++;
    this.#note(FOREIGN_RESET_NOTE);
  }

  #armNoiseTimer(): void {
    clearTimeout(this.#noiseTimer);
    const deadline = this.#noise.quietDeadline;
    if (deadline === undefined || this.#stop.signal.aborted) return;
    this.#noiseTimer = setTimeout(() => {
      if (this.#rom === undefined && this.#noise.idle(now())) this.#foreignReset();
      else this.#armNoiseTimer();
    }, Math.max(1, deadline - now()));
  }

  async #inputLoop(): Promise<MonitorEnd> {
    const keys = this.#o.terminal.isTerminal ? new MonitorKeys() : undefined;
    while (!this.#stop.signal.aborted) {
      const bytes = await this.#o.terminal.read();
      if (this.#stop.signal.aborted) break;
      if (bytes === null) return keys === undefined ? await this.#endOfInput() : "end-of-input";
      for (const action of keys?.feed(bytes) ?? [{ kind: "send", bytes } as const]) {
        if (action.kind === "quit") return "quit-key";
        const done = this.#act(action);
        this.#busy = done.catch(() => {});
        await done;
      }
    }
    return "interrupted";
  }

  async #act(action: Exclude<KeyAction, { kind: "quit" }>): Promise<void> {
    switch (action.kind) {
      case "send":
        this.#result.toBoard += action.bytes.length;
        return await this.#t.write(action.bytes);
      case "reset":
        return await this.#reset();
      case "help":
        return this.#note(helpNote());
      case "unknown-key":
        return this.#note(unknownKeyNote(action.key));
    }
  }

  async #endOfInput(): Promise<MonitorEnd> {
    if (this.#o.eof === "stay") {
      await new Promise((resolve) => this.#stop.signal.addEventListener("abort", resolve));
      return "interrupted";
    }
    await this.#t.drain();
    const since = now();
    const idleMs = this.#o.idleMs ?? 1000;
    while (!this.#stop.signal.aborted) {
      const left = Math.max(since, this.#lastBoardAt) + idleMs - now();
      if (left <= 0) return "end-of-input";
      await this.#sleep(left);
    }
    return "interrupted";
  }

  /** Ctrl-T R: EN low with GPIO0 released (HARD_RESET), listening at 74880 from then on. */
  async #reset(): Promise<void> {
    if (!this.#t.info.modemLines) return this.#note(noResetLinesNote(this.#t.info.url));
    this.#result.resets++;
    clearTimeout(this.#noiseTimer);
    const target = {
      setSignals: async (signals: Signals) => {
        const enLow = signals.rts && !signals.dtr;
        // Listen from the moment EN rises: the ROM starts printing within a few milliseconds.
        if (!enLow && this.#rom === "pulse") this.#rom = new RomWindow(now(), this.#timing);
        await this.#t.setSignals(signals);
        if (enLow && this.#rom === undefined) {
          this.#rom = "pulse";
          await this.#t.setBaudRate(ROM_BAUD);
        }
      },
    };
    try {
      await runResetSequence(target, HARD_RESET, { sleep: (ms) => this.#sleep(ms) });
      const window = this.#rom;
      if (!(window instanceof RomWindow)) return;
      while (!this.#stop.signal.aborted && !window.done(now())) {
        await this.#sleep(this.#timing.pollMs);
      }
      if (this.#stop.signal.aborted) return;
      await this.#t.setBaudRate(this.#consoleBaud);
      this.#noise.clear();
      this.#note(resetNote(window, this.#consoleBaud));
    } finally {
      this.#rom = undefined;
    }
  }

  #sleep(ms: number): Promise<void> {
    const stop = this.#stop.signal;
    return new Promise((resolve) => {
      if (stop.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        stop.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stop.addEventListener("abort", done, { once: true });
    });
  }
}
