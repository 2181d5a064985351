/**
 * A serial-terminal stand-in for tests of the simulated board's console: it attaches to a board
 * as the host (at a baud rate of its choice), keeps everything the board sent as text (one
 * character per byte), types lines, and waits, with a timeout, for text to appear. Also
 * {@link flashImage}: a flash array holding an image at 0x0.
 *
 * @module
 */

import type { SimBoard } from "./board.ts";

/**
 * The tap.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { ConsoleTap } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" });
 * const tap = new ConsoleTap(board, { baud: 74880 });
 * board.reset({ mode: "download" });
 * assert.match(await tap.until("boot mode:(1,7)"), /^\r\n ets Jan  8 2013,rst cause:2/);
 * await board.close();
 * ```
 */
export class ConsoleTap {
  readonly #board: SimBoard;
  #baud: number;
  #bytes: number[] = [];
  #waiters = new Set<() => void>();

  /**
   * Attaches to the board as its host.
   *
   * @param board the board
   * @param options the host's baud rate, 115200 by default
   */
  constructor(board: SimBoard, options: { baud?: number } = {}) {
    this.#board = board;
    this.#baud = options.baud ?? 115200;
    board.setBaudRate(this.#baud);
    board.attachHost((bytes) => {
      for (const b of bytes) this.#bytes.push(b);
      for (const wake of this.#waiters) wake();
    }, "console tap");
  }

  /** Everything received since the last {@link clear}. */
  get text(): string {
    return String.fromCharCode(...this.#bytes);
  }

  /** The raw bytes received since the last {@link clear}. */
  get bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  /** Forgets what was received. */
  clear(): void {
    this.#bytes = [];
  }

  /**
   * Changes the host's baud rate.
   *
   * @param baud the new rate
   */
  setBaud(baud: number): void {
    this.#baud = baud;
    this.#board.setBaudRate(baud);
  }

  /**
   * Types text (one byte per character) at the tap's rate.
   *
   * @param text what to type, e.g. `print(1)\r\n`
   */
  type(text: string): void {
    this.#board.receive(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff), this.#baud);
  }

  /**
   * Waits until the received text contains `pattern`.
   *
   * @param pattern a string or a regular expression
   * @param timeoutMs how long to wait, 5 s by default
   * @returns the text received so far
   * @throws when it did not appear in time (with what did)
   */
  until(pattern: string | RegExp, timeoutMs = 5000): Promise<string> {
    const found = () =>
      typeof pattern === "string" ? this.text.includes(pattern) : pattern.test(this.text);
    if (found()) return Promise.resolve(this.text);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      const check = () => {
        if (!found()) return;
        done();
        resolve(this.text);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `${String(pattern)} did not come within ${timeoutMs} ms; got ${
              JSON.stringify(this.text)
            }`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(check);
      // Text may have come while this promise was being set up (creating the timer can run
      // queued promise callbacks, the board's included): look again now that we listen.
      check();
    });
  }
}

/**
 * A flash array of `size` bytes, erased, with `image` at 0x0 (and more parts at their offsets).
 *
 * @param size flash size in bytes
 * @param parts the image at 0x0, or `[offset, bytes]` pairs
 * @returns the contents
 *
 * @example
 * ```ts
 * import { flashImage } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const flash = flashImage(0x10000, new Uint8Array([0xe9]));
 * assert.deepEqual([flash[0], flash[1]], [0xe9, 0xff]);
 * ```
 */
export function flashImage(
  size: number,
  parts: Uint8Array | ReadonlyArray<readonly [number, Uint8Array]>,
): Uint8Array {
  const out = new Uint8Array(size).fill(0xff);
  const list = parts instanceof Uint8Array ? [[0, parts] as const] : parts;
  for (const [offset, bytes] of list) out.set(bytes, offset);
  return out;
}
