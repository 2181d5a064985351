/**
 * The receive side shared by every adapter: a pull-based `ReadableStream` over a queue of
 * received chunks, so unread bytes stay discardable and a close ends a pending read.
 *
 * @module
 */

import { concatBytes } from "../bytes/little_endian.ts";

/**
 * A queue of received bytes exposed as a pull-based stream (high-water mark 0: nothing is read
 * ahead of the consumer).
 *
 * @example
 * ```ts
 * import { Inbox } from "./inbox.ts";
 * import assert from "node:assert/strict";
 * const inbox = new Inbox();
 * const reader = inbox.readable.getReader();
 * inbox.push(new Uint8Array([1, 2]));
 * assert.deepEqual((await reader.read()).value, new Uint8Array([1, 2]));
 * inbox.end();
 * assert.equal((await reader.read()).done, true);
 * ```
 */
export class Inbox {
  #chunks: Uint8Array[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;
  /** The bytes, in order; ends on {@link Inbox.end}. */
  readonly readable: ReadableStream<Uint8Array>;

  constructor() {
    this.readable = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        while (this.#chunks.length === 0 && !this.#ended) {
          await new Promise<void>((resolve) => this.#wake = resolve);
        }
        if (this.#chunks.length > 0) {
          const chunk = this.#chunks.length === 1 ? this.#chunks[0]! : concatBytes(...this.#chunks);
          this.#chunks = [];
          controller.enqueue(chunk);
          return;
        }
        if (this.#error !== undefined) controller.error(this.#error);
        else controller.close();
      },
      cancel: () => {
        this.end();
      },
    }, { highWaterMark: 0 });
  }

  /** Number of bytes received and not yet read. */
  get buffered(): number {
    let n = 0;
    for (const c of this.#chunks) n += c.length;
    return n;
  }

  /** Whether {@link Inbox.end} was called. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Queues received bytes (copied). Ignored after {@link Inbox.end}.
   *
   * @param bytes what arrived
   */
  push(bytes: Uint8Array): void {
    if (this.#ended || bytes.length === 0) return;
    this.#chunks.push(bytes.slice());
    this.#notify();
  }

  /** Drops every byte not yet read. */
  discard(): void {
    this.#chunks = [];
  }

  /**
   * Ends the stream: a pending read resolves `done`, or errors with `error` when given. Bytes
   * still queued are dropped when ending with an error, and delivered first otherwise.
   *
   * @param error the reason the source failed, if it failed
   */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error !== undefined) {
      this.#error = error;
      this.#chunks = [];
    }
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
