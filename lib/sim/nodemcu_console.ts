/**
 * NodeMCU's console input, byte by byte as `app/driver/input.c` (3.x) and `app/lua/lua.c`
 * `readline` (2.x) take it from the receive ring:
 *
 * - **REPL mode** (the default, and `uart.on("data", …, fn, 1)`): a CR+LF or LF+CR pair counts
 *   once; BS or DEL erases a character (`\b \b` when echo is on); CR or LF ends the line: the
 *   echo sends LF (the UART makes it CRLF), a `uart.on` callback gets the line (3.x: even an
 *   empty one), an empty line re-sends the prompt (after the callback), any other goes to Lua. Every other byte (control characters, NUL,
 *   XON/XOFF included: nothing else is special) is echoed and stored; the line buffer holds 256
 *   bytes (`LUA_MAXINPUT`) and when a byte would fill it the write position goes back to 0, so
 *   an over-long line keeps only its tail (at most 255 bytes) while the echo showed all of it.
 * - **raw mode** (`uart.on("data", n | "c", fn, 0)`): nothing is echoed or run; 3.x calls back on
 *   every byte when n = 0, 2.x with everything drained at once; otherwise when n bytes are in,
 *   the end character arrives, or 256 bytes are buffered.
 *
 * Output text goes through {@link consoleText} (`uart0_putc`: `\n` as `\r\n`, `\r` dropped).
 *
 * @module
 */

/** NodeMCU's `LUA_MAXINPUT`: the line buffer. */
export const LINE_BUFFER = 256;

const BS = 0x08, DEL = 0x7f, CR = 0x0d, LF = 0x0a;

/** What a `uart.on("data", …)` call set up. */
export interface ReceiveSetup {
  /** `n` bytes per callback (0 = every byte), or -1 for an end character. */
  dataLength: number;
  /** The end character (with `dataLength` -1). */
  endChar: number;
  /** Whether lines still go to Lua (`run_input` ≠ 0). */
  runInput: boolean;
}

/** What a byte led to. */
export type ConsoleEvent =
  /** A complete, non-empty line for the interpreter (without its terminator). */
  | { kind: "line"; text: string }
  /** Data for the `uart.on` callback. */
  | { kind: "data"; text: string }
  /** An empty line: the prompt goes out again. */
  | { kind: "empty" };

/** What the console drives. */
export interface ConsoleHooks {
  /**
   * Sends console text (translated by the UART driver: see {@link consoleText}).
   *
   * @param text one character per byte
   */
  send(text: string): void;
}

/**
 * Console text as the UART driver sends it: `\n` → `\r\n`, `\r` dropped.
 *
 * @param text what the firmware prints
 * @returns what goes on the wire
 *
 * @example
 * ```ts
 * import { consoleText } from "./nodemcu_console.ts";
 * if (consoleText("a\nb\r") !== "a\r\nb") throw new Error();
 * ```
 */
export function consoleText(text: string): string {
  return text.replace(/\r/g, "").replace(/\n/g, "\r\n");
}

/**
 * The input state machine.
 *
 * @example
 * ```ts
 * import { NodemcuConsole } from "./nodemcu_console.ts";
 * import assert from "node:assert/strict";
 * let out = "";
 * const con = new NodemcuConsole({ send: (t) => (out += t) }, { era: "3.x" });
 * const events = [..."ab\bc\r\n\r\n"].flatMap((c) => con.byte(c.charCodeAt(0)));
 * assert.deepEqual(events, [{ kind: "line", text: "ac" }, { kind: "empty" }]);
 * assert.equal(out, "ab\b \bc\n\n");
 * ```
 */
export class NodemcuConsole {
  readonly #hooks: ConsoleHooks;
  readonly #era: "3.x" | "2.x";
  readonly #line = new Uint8Array(LINE_BUFFER);
  #pos = 0;
  #last = 0;
  #receive: ReceiveSetup | undefined;
  /** Whether received characters are echoed (`uart.setup`'s sixth argument). */
  echo = true;

  /**
   * Creates the console in REPL mode with echo on.
   *
   * @param hooks console output
   * @param options the firmware's era (raw mode with n = 0 differs)
   */
  constructor(hooks: ConsoleHooks, options: { era: "3.x" | "2.x" }) {
    this.#hooks = hooks;
    this.#era = options.era;
  }

  /** Bytes buffered so far (the current line, or raw data not yet called back). */
  get pending(): string {
    return String.fromCharCode(...this.#line.subarray(0, this.#pos));
  }

  /** The `uart.on` setup, if a callback is registered. */
  get receiveSetup(): ReceiveSetup | undefined {
    return this.#receive;
  }

  /**
   * Registers or removes the `uart.on("data")` callback's setup.
   *
   * @param setup the setup, or `undefined` to restore the plain REPL
   */
  setReceive(setup: ReceiveSetup | undefined): void {
    this.#receive = setup;
  }

  /**
   * One byte from the receive ring.
   *
   * @param b the byte
   * @returns what it completed (usually nothing)
   */
  byte(b: number): ConsoleEvent[] {
    const r = this.#receive;
    if (r === undefined || r.runInput) return this.#lineMode(b);
    if (r.dataLength === 0 && this.#era === "3.x") {
      return [{ kind: "data", text: String.fromCharCode(b) }];
    }
    this.#line[this.#pos++] = b;
    const full = this.#pos >= LINE_BUFFER ||
      (r.dataLength > 0 && this.#pos >= r.dataLength) ||
      (r.dataLength < 0 && b === r.endChar);
    return full ? [this.#takeData()] : [];
  }

  /**
   * The ring is empty: 2.x calls back a raw `n = 0` receiver with everything drained.
   *
   * @returns the callback's data, if any
   */
  drained(): ConsoleEvent[] {
    const r = this.#receive;
    const batch = this.#era === "2.x" && r !== undefined && !r.runInput && r.dataLength === 0;
    return batch && this.#pos > 0 ? [this.#takeData()] : [];
  }

  #lineMode(b: number): ConsoleEvent[] {
    if ((b === CR && this.#last === LF) || (b === LF && this.#last === CR)) {
      this.#last = 0;
      return [];
    }
    if (b === DEL || b === BS) {
      if (this.#pos > 0) {
        if (this.echo) this.#hooks.send("\b \b");
        this.#pos--;
      }
      this.#last = 0;
      return [];
    }
    this.#last = b;
    if (b === CR || b === LF) return this.#endOfLine();
    if (this.echo) this.#hooks.send(String.fromCharCode(b));
    if (this.#pos + 1 >= LINE_BUFFER) this.#pos = 0;
    this.#line[this.#pos++] = b;
    return [];
  }

  #endOfLine(): ConsoleEvent[] {
    if (this.echo) this.#hooks.send("\n");
    const text = this.pending;
    this.#pos = 0;
    const events: ConsoleEvent[] = [];
    // 3.x calls a line-mode receiver even for an empty line; 2.x only with data.
    if (this.#receive !== undefined && (text !== "" || this.#era === "3.x")) {
      events.push({ kind: "data", text });
    }
    events.push(text === "" ? { kind: "empty" } : { kind: "line", text });
    return events;
  }

  #takeData(): ConsoleEvent {
    const text = this.pending;
    this.#pos = 0;
    return { kind: "data", text };
  }
}
