/**
 * The REPL over a transport, once the board sits at its `> ` prompt: typing a line and checking
 * its echo, reading the answer up to the next prompt, reading raw bytes (what `uart.write`
 * sends), and streaming many lines at once without ever having more unread bytes at the board
 * than its 256-byte receive ring holds (docs/lua-side.md#receive-ring; {@link EchoTracker}).
 *
 * Every line typed is at most {@link MAX_LINE} characters (the input buffer keeps 255 and
 * silently drops the start of longer lines) and holds no control character and no `>`, so the
 * console's answer can be told apart from its echo.
 *
 * @module
 */

import { ByteReader, STREAM_ENDED } from "../bytes/byte_reader.ts";
import { concatBytes } from "../bytes/little_endian.ts";
import { deviceError } from "../errors.ts";
import type { Transport } from "../transport/types.ts";
import { EchoTracker } from "./echo_tracker.ts";
import type { LuaEventHandler } from "./lua_event.ts";

/** Longest line the session types (NodeMCU's line buffer holds 255 characters and the LF). */
export const MAX_LINE = 250;
/** Bytes sent but not yet taken from the RX ring, at most (the ring holds 256). */
export const RX_WINDOW = 200;
/** Lines sent but not yet run, at most (3.x queues whole lines in its stdin pipe, in heap). */
export const MAX_LINES_IN_FLIGHT = 4;
/** Smallest write while streaming, unless the stream ends sooner. */
const MIN_WRITE = 32;
/** Largest write while streaming: the board echoes (and frees credit) as bytes arrive. */
const MAX_WRITE = 64;

/** Options for {@link ReplSession}. */
export interface ReplSessionOptions {
  /** Receives `console` events (every byte both ways). */
  onEvent?: LuaEventHandler;
  /** How long the board may stay silent while it owes an answer (5 s by default). */
  answerTimeoutMs?: number;
}

/** Options for {@link ReplSession.stream}. */
export interface StreamOptions {
  /** Told how many bytes of the stream (lines and their LF) the board has taken so far. */
  onConsumed?(bytes: number): void;
  /** The RX window, {@link RX_WINDOW} by default. */
  window?: number;
  /** Lines in flight, {@link MAX_LINES_IN_FLIGHT} by default. */
  maxLines?: number;
}

const decoder = (bytes: Uint8Array) => String.fromCharCode(...bytes);
const PROMPT = /(?:^|\n)> $/;

/**
 * Checks that a line can be typed safely.
 *
 * @param line the line
 * @throws a bug (plain `Error`) when it cannot: nodeflash builds every line itself
 *
 * @example
 * ```ts
 * import { checkLine } from "./repl_session.ts";
 * checkLine('print("ok")');
 * let threw = false;
 * try { checkLine("if a > b then end"); } catch { threw = true; }
 * if (!threw) throw new Error("'>' must be refused");
 * ```
 */
export function checkLine(line: string): void {
  if (line.length > MAX_LINE || line.length === 0) {
    throw new Error(`REPL line of ${line.length} characters (1..${MAX_LINE} allowed)`);
  }
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c === 0x3e || c > 0xff) {
      throw new Error(`REPL line with a forbidden character 0x${c.toString(16)}: ${line}`);
    }
  }
}

/**
 * A REPL session over a transport whose board is at a prompt.
 *
 * @example
 * ```ts
 * import { ReplSession } from "./repl_session.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import assert from "node:assert/strict";
 * // A fake board: echoes the line, answers 42, prompts again.
 * const link = createMemoryLink({ receive: (b) => {
 *   const line = new TextDecoder().decode(b).trimEnd();
 *   link.deliver(new TextEncoder().encode(line + "\r\n42\r\n> "));
 * } });
 * const repl = new ReplSession(link.transport);
 * assert.equal(await repl.exec("print(42)"), "42");
 * repl.release();
 * await link.transport.close();
 * ```
 */
export class ReplSession {
  readonly #transport: Transport;
  readonly #onEvent: LuaEventHandler;
  readonly #answerTimeoutMs: number;
  #reader: ByteReader;
  #buf: Uint8Array = new Uint8Array(0);
  #recent = "";

  /**
   * Takes the transport's readable stream until {@link ReplSession.release}.
   *
   * @param transport the port to the board
   * @param options events and timeouts
   */
  constructor(transport: Transport, options: ReplSessionOptions = {}) {
    this.#transport = transport;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#answerTimeoutMs = options.answerTimeoutMs ?? 5000;
    this.#reader = new ByteReader(transport.readable);
  }

  /** The transport. */
  get transport(): Transport {
    return this.#transport;
  }

  /** The event handler (operations report through it too). */
  get onEvent(): LuaEventHandler {
    return this.#onEvent;
  }

  /** How long the board may stay silent while it owes an answer. */
  get answerTimeoutMs(): number {
    return this.#answerTimeoutMs;
  }

  /** The last few kilobytes received, as console text (for error excerpts). */
  get recent(): string {
    return this.#recent;
  }

  /**
   * Gives the readable stream back (another layer, e.g. the smoke test, may read it); bytes
   * received but not consumed are dropped.
   */
  release(): void {
    this.#reader.release();
    this.#buf = new Uint8Array(0);
  }

  /** Takes the readable stream again after {@link ReplSession.release}. */
  reacquire(): void {
    this.#reader = new ByteReader(this.#transport.readable);
    this.#buf = new Uint8Array(0);
  }

  /**
   * Sends bytes as they are (no checks), reporting them.
   *
   * @param bytes what to send
   */
  async write(bytes: Uint8Array): Promise<void> {
    await this.#transport.write(bytes);
    this.#onEvent({ type: "console", direction: "out", data: bytes });
  }

  /**
   * Waits for more bytes from the board.
   *
   * @param timeoutMs how long
   * @returns whether bytes came
   * @throws `lua/port-closed` when the port ended; the port's own error when it vanished
   */
  async pull(timeoutMs: number): Promise<boolean> {
    const chunk = await this.#reader.read(Math.max(0, timeoutMs));
    if (chunk === null) return false;
    if (chunk === STREAM_ENDED) {
      throw deviceError(
        "lua/port-closed",
        `The port ${this.#transport.info.url} closed while nodeflash waited for the board`,
        "Check the cable and that no other program took the port, then run the command again.",
      );
    }
    this.#buf = this.#buf.length === 0 ? chunk : concatBytes(this.#buf, chunk);
    this.#recent = (this.#recent + decoder(chunk)).slice(-4096);
    this.#onEvent({ type: "console", direction: "in", data: chunk });
    return true;
  }

  /** Bytes received and not consumed yet. */
  get pending(): Uint8Array {
    return this.#buf;
  }

  /**
   * Consumes `n` received bytes.
   *
   * @param n how many
   * @returns them
   */
  take(n: number): Uint8Array {
    const out = this.#buf.slice(0, n);
    this.#buf = this.#buf.slice(n);
    return out;
  }

  /** Drops everything received so far and not consumed. */
  drop(): void {
    this.#buf = new Uint8Array(0);
  }

  #silence(what: string): Error {
    return deviceError(
      "lua/no-answer",
      `The board on ${this.#transport.info.url} stopped answering ${what} (${
        this.#answerTimeoutMs / 1000
      } s without a byte)`,
      "Check that the board still runs (nodeflash smoke), then run the command again.",
      { details: { excerpt: this.#recent.slice(-400) } },
    );
  }

  /**
   * Types one line and waits until its echo and the line end came back exactly.
   *
   * @param line the line (see {@link checkLine})
   * @throws `lua/unexpected-output` when the board sent something else
   */
  async sendLine(line: string): Promise<void> {
    checkLine(line);
    const bytes = Uint8Array.from(line, (c) => c.charCodeAt(0));
    const expected = decoder(bytes);
    await this.write(concatBytes(bytes, new Uint8Array([0x0a])));
    while (true) {
      const got = decoder(this.#buf);
      const n = Math.min(got.length, expected.length);
      if (got.slice(0, n) !== expected.slice(0, n)) throw this.unexpected(line, got);
      if (got.length >= expected.length + 1) {
        const end = got.slice(expected.length, expected.length + 2);
        if (end === "\r\n") return void this.take(expected.length + 2);
        if (end[0] === "\n") return void this.take(expected.length + 1);
        if (end !== "\r") throw this.unexpected(line, got);
      }
      if (!await this.pull(this.#answerTimeoutMs)) throw this.#silence(`after '${line}'`);
    }
  }

  /**
   * The error for output that is not what the session expected.
   *
   * @param line the line typed last
   * @param got what came back
   * @returns a `lua/unexpected-output` device error
   */
  unexpected(line: string, got: string): Error {
    return deviceError(
      "lua/unexpected-output",
      `The board on ${this.#transport.info.url} answered '${
        line.slice(0, 60)
      }' with something other than its echo: ${JSON.stringify(got.slice(0, 120))}`,
      "Something else talks on the console (an application printing from a timer, or line noise): stop it (remove init.lua and restart, or use --reset) and run the command again.",
      { details: { line, received: got.slice(0, 400) } },
    );
  }

  /**
   * Reads up to the next prompt at the start of a line.
   *
   * @param timeoutMs how long the board may be silent (the session's answer timeout by default)
   * @returns the output before the prompt, CR LF turned into LF, without the last line end
   */
  async readToPrompt(timeoutMs: number = this.#answerTimeoutMs): Promise<string> {
    while (true) {
      const text = decoder(this.#buf);
      const m = PROMPT.exec(text);
      if (m !== null) {
        this.take(text.length);
        return text.slice(0, m.index).replace(/\r\n/g, "\n").replace(/\r$/, "");
      }
      if (!await this.pull(timeoutMs)) throw this.#silence("before its prompt");
    }
  }

  /**
   * Types a line and returns its output.
   *
   * @param line the line
   * @param options how long the board may be silent
   * @returns what it printed before the next prompt
   */
  async exec(line: string, options: { timeoutMs?: number } = {}): Promise<string> {
    await this.sendLine(line);
    return await this.readToPrompt(options.timeoutMs);
  }

  /**
   * Reads exactly `n` raw bytes.
   *
   * @param n how many
   * @returns them
   */
  async readBytes(n: number): Promise<Uint8Array> {
    while (this.#buf.length < n) {
      if (!await this.pull(this.#answerTimeoutMs)) throw this.#silence("while sending data");
    }
    return this.take(n);
  }

  /**
   * Streams lines that print nothing, as fast as the board takes them: bytes sent and not yet
   * echoed stay within `window`, lines sent and not yet run within `maxLines`.
   *
   * @param lines the lines (see {@link checkLine}), already encoded one byte per character
   * @param options progress and limits
   * @throws `lua/board-error` with the board's words when a line fails, `lua/no-answer` when
   *   it stops answering
   */
  async stream(lines: Uint8Array[], options: StreamOptions = {}): Promise<void> {
    const window = options.window ?? RX_WINDOW;
    const maxLines = options.maxLines ?? MAX_LINES_IN_FLIGHT;
    const tracker = new EchoTracker();
    const starts: number[] = [];
    let total = 0;
    for (const line of lines) {
      starts.push(total);
      total += line.length + 1;
      tracker.expectLine(line);
    }
    const data = new Uint8Array(total);
    lines.forEach((l, i) => {
      data.set(l, starts[i]!);
      data[starts[i]! + l.length] = 0x0a;
    });
    let sent = 0;
    let started = 0;
    while (true) {
      if (this.#buf.length > 0) {
        tracker.feed(this.take(this.#buf.length));
        options.onConsumed?.(tracker.consumed);
      }
      if (tracker.failure !== undefined) throw await this.#streamFailure(tracker);
      if (tracker.prompts === lines.length) return;
      while (started < lines.length && starts[started]! < sent) started++;
      const cap = started - tracker.prompts >= maxLines && started < lines.length
        ? starts[started]!
        : total;
      const end = Math.min(cap, tracker.consumed + window, sent + MAX_WRITE);
      if (end > sent && (end - sent >= MIN_WRITE || end === cap)) {
        await this.write(data.subarray(sent, end));
        sent = end;
        await this.pull(0);
        continue;
      }
      if (!await this.pull(this.#answerTimeoutMs)) {
        throw this.#silence(`during a transfer (line ${tracker.prompts + 1} of ${lines.length})`);
      }
    }
  }

  async #streamFailure(tracker: EchoTracker): Promise<Error> {
    // Let the rest of the board's words arrive: they end with a prompt or a pause.
    const deadline = performance.now() + 1000;
    while (!/> $/.test(tracker.failure!.text) && performance.now() < deadline) {
      if (!await this.pull(200)) break;
      tracker.feed(this.take(this.#buf.length));
    }
    const f = tracker.failure!;
    const words = f.text.replace(/\r\n/g, "\n").replace(/\n?>>? $/, "").trim();
    const what = f.reason === "continuation"
      ? "a line arrived incomplete (the board asked for more with '>> ')"
      : words.slice(0, 200);
    return deviceError(
      "lua/board-error",
      `The board on ${this.#transport.info.url} failed at line ${f.line + 1}: ${what}`,
      "If the file system is full, remove files (nodeflash files lists them); if something else prints on the console, stop it; then run the command again.",
      { details: { line: f.line + 1, received: f.text.slice(0, 400) } },
    );
  }
}
