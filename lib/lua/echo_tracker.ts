/**
 * Reading NodeMCU's console while lines stream in: which of the bytes sent the board has taken
 * from its UART receive ring, and which lines it has run.
 *
 * NodeMCU echoes every character when it takes it from the 256-byte RX ring (`input.c`; 2.x
 * `lua.c` `readline`), and answers the end of a line with LF, sent as CR LF. The interpreter
 * prints its prompt (`> `) after running a line, in one piece, but on 3.x the input task may
 * echo the next line's first characters before it (it runs at a higher priority). The uploader
 * never sends `>` (payloads escape it), so every `>` received starts a prompt and the rest must
 * be the echo, byte for byte. That makes the echo an exact count of what left the ring: the
 * host keeps what is sent but not yet echoed below the ring's size and can never overrun it,
 * whatever the board is busy with. Anything else (a Lua error, a `>> ` continuation prompt,
 * output from a running application, a corrupted echo) is a failure, kept with the text from
 * that point on.
 *
 * @module
 */

const CR = 0x0d;
const LF = 0x0a;
const GT = 0x3e;
const SPACE = 0x20;

/** What went wrong, and what the board sent from there on. */
export interface EchoFailure {
  /** `unexpected`: bytes that are neither echo nor prompt; `continuation`: a `>> ` prompt. */
  reason: "unexpected" | "continuation";
  /** Index (0-based) of the line the interpreter was running (the next prompt's line). */
  line: number;
  /** What the board sent from the first unexpected byte on (one character per byte). */
  text: string;
}

/**
 * Follows the echo and the prompts of lines sent to the REPL.
 *
 * @example
 * ```ts
 * import { EchoTracker } from "./echo_tracker.ts";
 * import assert from "node:assert/strict";
 * const t = new EchoTracker();
 * const enc = (s: string) => new TextEncoder().encode(s);
 * t.expectLine(enc("a=1"));
 * t.expectLine(enc("b=2"));
 * // 3.x: the second line's echo starts before the first line's prompt.
 * t.feed(enc("a=1\r\nb> =2\r\n> "));
 * assert.equal(t.consumed, 8);
 * assert.equal(t.prompts, 2);
 * assert.equal(t.failure, undefined);
 * ```
 */
export class EchoTracker {
  #lines: Uint8Array[] = [];
  #index = 0;
  #pos = 0;
  /** 0: inside the line; 1: its echo is done, CR LF due; 2: CR seen, LF due. */
  #eol = 0;
  /** 0: no prompt; 1: `>` seen; 2: `>>` seen. */
  #prompt = 0;
  #consumed = 0;
  #prompts = 0;
  #failure: EchoFailure | undefined;

  /** Bytes of the sent stream (lines and their LF) the board has echoed. */
  get consumed(): number {
    return this.#consumed;
  }

  /** Lines whose whole echo, line end included, came back. */
  get linesEchoed(): number {
    return this.#index;
  }

  /** Prompts received: lines the interpreter has run. */
  get prompts(): number {
    return this.#prompts;
  }

  /** Lines queued with {@link EchoTracker.expectLine}. */
  get linesSent(): number {
    return this.#lines.length;
  }

  /** The first failure, if any, with everything received since. */
  get failure(): EchoFailure | undefined {
    return this.#failure;
  }

  /**
   * Queues a line that is being sent (without its LF, which is implied).
   *
   * @param line the line's bytes: no CR, LF, BS, DEL or `>`
   */
  expectLine(line: Uint8Array): void {
    this.#lines.push(line);
  }

  /**
   * Takes bytes from the board.
   *
   * @param bytes what arrived
   */
  feed(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (this.#failure !== undefined) {
        this.#failure.text += String.fromCharCode(b);
      } else {
        this.#step(b);
      }
    }
  }

  #fail(reason: EchoFailure["reason"], b: number, prefix = ""): void {
    this.#failure = {
      reason,
      line: this.#prompts,
      text: prefix + String.fromCharCode(b),
    };
  }

  #step(b: number): void {
    if (this.#prompt === 1) {
      if (b === SPACE) {
        this.#prompt = 0;
        if (this.#prompts >= this.#index) return this.#fail("unexpected", b, ">");
        this.#prompts++;
      } else if (b === GT) this.#prompt = 2;
      else this.#fail("unexpected", b, ">");
      return;
    }
    if (this.#prompt === 2) return this.#fail("continuation", b, ">>");
    if (b === GT) {
      this.#prompt = 1;
      return;
    }
    if (this.#eol === 2) {
      if (b === LF) return this.#lineDone();
      return this.#fail("unexpected", b, "\r");
    }
    const line = this.#lines[this.#index];
    if (line === undefined) return this.#fail("unexpected", b);
    if (this.#eol === 0 && this.#pos === line.length) this.#eol = 1;
    if (this.#eol === 0) {
      if (b !== line[this.#pos]) return this.#fail("unexpected", b);
      this.#pos++;
      this.#consumed++;
      if (this.#pos === line.length) this.#eol = 1;
      return;
    }
    if (b === CR) this.#eol = 2;
    else if (b === LF) this.#lineDone();
    else this.#fail("unexpected", b);
  }

  #lineDone(): void {
    this.#consumed++;
    this.#index++;
    this.#pos = 0;
    this.#eol = 0;
  }
}
