/**
 * A model of NodeMCU 3.x's console input for unit tests of the REPL session, written from the
 * firmware's documented behaviour (docs/lua-side.md#receive-ring): a 256-byte RX ring whose
 * interrupt handler overwrites the oldest byte when full, an input task that echoes each character
 * as it takes it from the ring and queues whole lines, and an interpreter task that runs one queued
 * line per turn, prints the prompt, and then keeps the CPU for a while (a flash write), during
 * which the ring is not drained. It understands only the uploader's lines (`__nfo(...)`,
 * `__nfw"..."`) and `print(number)`; anything else is a Lua error.
 */

import { createMemoryLink, type MemoryLink } from "../../lib/transport/memory.ts";
import { decodeLuaBody } from "../../lib/lua/lua_literal.ts";

/** Options for {@link FakeNodemcuRepl}. */
export interface FakeReplOptions {
  /** Event-loop turns the interpreter keeps the CPU after each line (default 3). */
  busyTurns?: number;
  /** Whether the firmware echoes (default true). */
  echo?: boolean;
  /** Whether `uart.setup(0, BAUD, ...)` changes the rate (default true; false: ignored). */
  baudSwitch?: boolean;
}

/** The model; `link.transport` is the host's port. */
export class FakeNodemcuRepl {
  readonly link: MemoryLink;
  /** Bytes of the file opened by `__nfo`. */
  file: number[] = [];
  /** The ring overwrote unread bytes at least once. */
  overflowed = false;
  /** Most bytes the ring held at once. */
  maxRing = 0;
  /** Most lines queued for the interpreter at once. */
  maxQueued = 0;
  readonly #ring: number[] = [];
  readonly #line: number[] = [];
  readonly #queue: string[] = [];
  readonly #busyTurns: number;
  readonly #echo: boolean;
  #busy = 0;
  #scheduled = false;
  #last = 0;
  #baud = 115200;
  #hostBaud = 115200;
  readonly #baudSwitch: boolean;

  constructor(options: FakeReplOptions = {}) {
    this.#busyTurns = options.busyTurns ?? 3;
    this.#echo = options.echo ?? true;
    this.#baudSwitch = options.baudSwitch ?? true;
    this.link = createMemoryLink({
      receive: (bytes, hostBaud) => this.#receive(bytes, hostBaud),
      setBaudRate: (baud) => (this.#hostBaud = baud),
    });
  }

  /** The board's console rate. */
  get baud(): number {
    return this.#baud;
  }

  /** Bytes at a rate the other end does not use arrive as noise (0xF0 each, say). */
  #send(text: string): void {
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    this.link.deliver(this.#hostBaud === this.#baud ? bytes : bytes.map(() => 0xf0));
  }

  #receive(bytes: Uint8Array, hostBaud: number): void {
    if (hostBaud !== this.#baud) bytes = bytes.map(() => 0xf0);
    for (const b of bytes) {
      if (this.#ring.length === 256) {
        this.#ring.shift();
        this.overflowed = true;
      }
      this.#ring.push(b);
    }
    this.maxRing = Math.max(this.maxRing, this.#ring.length);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.link.closed) return;
    this.#scheduled = true;
    setTimeout(() => this.#turn(), 0);
  }

  #turn(): void {
    this.#scheduled = false;
    if (this.#busy > 0) {
      this.#busy--;
      this.#schedule();
      return;
    }
    this.#input();
    const line = this.#queue.shift();
    if (line !== undefined) {
      this.#send(this.#run(line) + "> ");
      this.#busy = this.#busyTurns;
    }
    if (this.#ring.length > 0 || this.#queue.length > 0 || this.#busy > 0) this.#schedule();
  }

  #input(): void {
    while (this.#ring.length > 0) {
      const b = this.#ring.shift()!;
      const paired = (b === 0x0a && this.#last === 0x0d) || (b === 0x0d && this.#last === 0x0a);
      this.#last = b === 0x0a || b === 0x0d ? (paired ? 0 : b) : 0;
      if (paired) continue;
      if (b === 0x0a || b === 0x0d) {
        if (this.#echo) this.#send("\r\n");
        if (this.#line.length > 0) this.#queue.push(String.fromCharCode(...this.#line));
        else this.#send("> ");
        this.#line.length = 0;
        this.maxQueued = Math.max(this.maxQueued, this.#queue.length);
        continue;
      }
      if (this.#echo) this.#send(String.fromCharCode(b));
      if (this.#line.length + 1 >= 256) this.#line.length = 0;
      this.#line.push(b);
    }
  }

  #run(line: string): string {
    if (/^__nfo\(".*"\)$/.test(line)) {
      this.file = [];
      return "";
    }
    const write = /^__nfw"(.*)"$/.exec(line);
    if (write) {
      this.file.push(...decodeLuaBody(write[1]!));
      return "";
    }
    const setup = /^uart\.setup\(0,(\d+),8,0,1,1\)$/.exec(line);
    if (setup) {
      if (this.#baudSwitch) this.#baud = Number(setup[1]);
      return "";
    }
    const print = /^print\((\d+)\)$/.exec(line);
    if (print) return `${print[1]}\r\n`;
    return "Lua error: \tstdin:1: unexpected symbol near 'x'\r\n";
  }
}
