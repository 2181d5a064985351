/**
 * NodeMCU's console line discipline (`app/driver/input.c`, `app/driver/uart.c`; docs/field.md
 * A.7): every received character is echoed as it arrives; CR or LF ends the line (a CR+LF or
 * LF+CR pair counts once) and is echoed as one CRLF; backspace and DEL erase with `\b \b`; the
 * line buffer holds 256 bytes and longer lines wrap around in it; an empty line re-sends the
 * prompt without running Lua; any other line goes to the interpreter, which answers with the
 * next prompt (`> `, or `>> ` while a chunk is incomplete). Output turns every `\n` into `\r\n`
 * and drops bare `\r`, as `uart0_putc` does.
 *
 * @module
 */

/** NodeMCU's `LUA_MAXINPUT`. */
export const LINE_BUFFER = 256;

/** What the console drives. */
export interface ConsoleHooks {
  /**
   * Sends raw bytes to the UART (as a string, one character per byte).
   *
   * @param text what to send
   */
  send(text: string): void;
  /**
   * Runs a complete line; resolves to the prompt to show next, or `undefined` for none (the
   * chip is restarting).
   *
   * @param line the line, without its terminator
   */
  run(line: string): Promise<string | undefined> | string | undefined;
  /** The prompt an empty line gets again (`> ` or `>> `). */
  currentPrompt(): string;
}

/**
 * Console text as the UART sends it: `\n` → `\r\n`, bare `\r` dropped.
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
 * The line discipline.
 *
 * @example
 * ```ts
 * import { NodemcuConsole } from "./nodemcu_console.ts";
 * import assert from "node:assert/strict";
 * let out = "";
 * const con = new NodemcuConsole({
 *   send: (t) => (out += t),
 *   run: (line) => (out += `[${line}]`, "> "),
 *   currentPrompt: () => "> ",
 * });
 * await con.feed(new TextEncoder().encode("ab\b\r\n\r\n"));
 * assert.equal(out, "ab\b \b\r\n[a]> \r\n> ");
 * ```
 */
export class NodemcuConsole {
  readonly #hooks: ConsoleHooks;
  #line: number[] = [];
  #wrapped = 0;
  #lastTerminator = 0;

  /** @param hooks UART output, the interpreter, the current prompt */
  constructor(hooks: ConsoleHooks) {
    this.#hooks = hooks;
  }

  /** Characters typed so far on the current line. */
  get pending(): string {
    return String.fromCharCode(...this.#line);
  }

  /**
   * Bytes from the host, handled in order (lines run one after another).
   *
   * @param bytes what arrived
   * @returns resolves when every complete line in them has run
   */
  async feed(bytes: Uint8Array): Promise<void> {
    for (const b of bytes) {
      if (b === 0x0d || b === 0x0a) {
        const pairedWith = this.#lastTerminator;
        this.#lastTerminator = b;
        if (pairedWith !== 0 && pairedWith !== b) {
          this.#lastTerminator = 0;
          continue;
        }
        this.#hooks.send("\r\n");
        const line = String.fromCharCode(...this.#line);
        this.#line = [];
        this.#wrapped = 0;
        const prompt = line === "" ? this.#hooks.currentPrompt() : await this.#hooks.run(line);
        if (prompt !== undefined) this.#hooks.send(prompt);
        continue;
      }
      this.#lastTerminator = 0;
      if (b === 0x08 || b === 0x7f) {
        if (this.#line.length > 0) {
          this.#line.pop();
          this.#hooks.send("\b \b");
        }
        continue;
      }
      this.#hooks.send(String.fromCharCode(b));
      if (this.#line.length < LINE_BUFFER) this.#line.push(b);
      else this.#line[this.#wrapped++ % LINE_BUFFER] = b;
    }
  }
}
