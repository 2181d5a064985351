/**
 * The serial capture of a smoke test: reads the board's bytes with timeouts, keeps all of them
 * (the log), reports each chunk, and types lines at the board.
 *
 * @module
 */

import { ByteReader, STREAM_ENDED } from "../bytes/byte_reader.ts";
import { concatBytes } from "../bytes/little_endian.ts";
import type { Transport } from "../transport/types.ts";
import { consoleText } from "./console_text.ts";
import type { SmokeEventHandler } from "./smoke_event.ts";

/** Options for {@link ConsoleCapture}. */
export interface ConsoleCaptureOptions {
  /** Receives `bytes`, `sent` and `baud` events. */
  onEvent?: SmokeEventHandler;
  /** Clock in milliseconds (`performance.now` by default). */
  now?: () => number;
}

/**
 * Everything the board sent, growing as it arrives.
 *
 * @example
 * ```ts
 * import { ConsoleCapture } from "./console_capture.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import assert from "node:assert/strict";
 * const link = createMemoryLink({ receive: () => link.deliver(new TextEncoder().encode("\r\n> ")) });
 * const capture = new ConsoleCapture(link.transport);
 * await capture.send("\r\n");
 * assert.equal(await capture.read(100), "data");
 * assert.equal(capture.text, "\r\n> ");
 * capture.release();
 * await link.transport.close();
 * ```
 */
export class ConsoleCapture {
  readonly #transport: Transport;
  readonly #reader: ByteReader;
  readonly #onEvent: SmokeEventHandler;
  readonly #now: () => number;
  #chunks: Uint8Array[] = [];
  #text = "";
  #lastChunk: Uint8Array = new Uint8Array(0);
  #lastByteAt: number | undefined;

  /**
   * Takes the transport's readable stream until {@link ConsoleCapture.release}.
   *
   * @param transport the port to the board
   * @param options events and clock
   */
  constructor(transport: Transport, options: ConsoleCaptureOptions = {}) {
    this.#transport = transport;
    this.#reader = new ByteReader(transport.readable);
    this.#onEvent = options.onEvent ?? (() => {});
    this.#now = options.now ?? (() => performance.now());
  }

  /** All bytes so far as console text (one character per byte). */
  get text(): string {
    return this.#text;
  }

  /** Number of bytes captured. */
  get length(): number {
    return this.#text.length;
  }

  /** The most recent chunk. */
  get lastChunk(): Uint8Array {
    return this.#lastChunk;
  }

  /** When the last chunk arrived (clock time), `undefined` before the first. */
  get lastByteAt(): number | undefined {
    return this.#lastByteAt;
  }

  /** The host's current baud rate. */
  get baud(): number {
    return this.#transport.baudRate;
  }

  /** The whole capture as bytes. */
  bytes(): Uint8Array {
    if (this.#chunks.length > 1) this.#chunks = [concatBytes(...this.#chunks)];
    return (this.#chunks[0] ?? new Uint8Array(0)).slice();
  }

  /**
   * Console text received since an offset.
   *
   * @param offset a previous {@link ConsoleCapture.length}
   * @returns the text after it
   */
  textSince(offset: number): string {
    return this.#text.slice(offset);
  }

  /**
   * Waits up to `timeoutMs` for the next chunk and appends it.
   *
   * @param timeoutMs how long to wait
   * @returns `"data"`, `"timeout"` or `"ended"` (the port closed)
   */
  async read(timeoutMs: number): Promise<"data" | "timeout" | "ended"> {
    const chunk = await this.#reader.read(Math.max(0, timeoutMs));
    if (chunk === null) return "timeout";
    if (chunk === STREAM_ENDED) return "ended";
    this.#append(chunk);
    return "data";
  }

  #append(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#text += consoleText(chunk);
    this.#lastChunk = chunk;
    this.#lastByteAt = this.#now();
    this.#onEvent({ type: "bytes", data: chunk, baud: this.#transport.baudRate });
  }

  /**
   * Types text at the board.
   *
   * @param text what to send (ASCII)
   */
  async send(text: string): Promise<void> {
    const data = new TextEncoder().encode(text);
    await this.#transport.write(data);
    this.#onEvent({ type: "sent", data });
  }

  /**
   * Changes the host's baud rate, reporting it; a rate the adapter refuses is reported, not thrown.
   *
   * @param baud the new rate
   * @param reason why, for the event
   * @returns whether the transport accepted it
   */
  async setBaud(baud: number, reason: string): Promise<boolean> {
    try {
      await this.#transport.setBaudRate(baud);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#onEvent({ type: "baud", baud, ok: false, reason: `${reason}; refused: ${why}` });
      return false;
    }
    this.#onEvent({ type: "baud", baud, ok: true, reason });
    return true;
  }

  /**
   * Gives the readable stream back to its owner. Bytes the reader already took are added to the
   * capture (and reported); bytes still in the transport stay there. Calling it again does nothing.
   */
  release(): void {
    for (const left of this.#reader.release()) this.#append(left);
  }
}
