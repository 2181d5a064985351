/**
 * Timed reads over a byte stream: wait for the next chunk up to a deadline without ever losing
 * a chunk that arrives after the deadline passed.
 *
 * @module
 */

/** Result of {@link ByteReader.read} when the stream ended. */
export const STREAM_ENDED: unique symbol = Symbol("stream ended");

/**
 * Reads chunks from a `ReadableStream` with a timeout. One `reader.read()` is kept outstanding;
 * whatever it returns goes into a stash, so a read that times out loses nothing and
 * {@link ByteReader.discard} can drop what arrived but was not consumed.
 *
 * @example
 * ```ts
 * import { ByteReader, STREAM_ENDED } from "./byte_reader.ts";
 * import assert from "node:assert/strict";
 * const r = new ByteReader(ReadableStream.from([new Uint8Array([1])]));
 * assert.deepEqual(await r.read(100), new Uint8Array([1]));
 * assert.equal(await r.read(100), STREAM_ENDED);
 * ```
 */
export class ByteReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #stash: Uint8Array[] = [];
  #inFlight = false;
  #ended = false;
  #error: unknown;
  #released = false;
  #notify: (() => void) | undefined;

  /** @param stream the byte stream; this reader locks it until {@link ByteReader.release} */
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** Whether the stream ended (or failed). */
  get ended(): boolean {
    return this.#ended && this.#stash.length === 0;
  }

  /**
   * Waits up to `timeoutMs` for the next chunk.
   *
   * @param timeoutMs how long to wait; 0 only takes what already arrived
   * @param signal ends the wait early (as a timeout) when aborted
   * @returns the chunk, `null` on timeout (or abort), or {@link STREAM_ENDED}; rethrows a
   *   stream error
   */
  async read(
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array | null | typeof STREAM_ENDED> {
    const deadline = performance.now() + timeoutMs;
    while (true) {
      const chunk = this.#stash.shift();
      if (chunk !== undefined) return chunk;
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return STREAM_ENDED;
      }
      this.#pump();
      const left = deadline - performance.now();
      if (left <= 0 || signal?.aborted) {
        await Promise.resolve();
        if (this.#stash.length === 0 && !this.#ended) return null;
        continue;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      let wake: (() => void) | undefined;
      await new Promise<void>((resolve) => {
        this.#notify = resolve;
        wake = resolve;
        timer = setTimeout(resolve, left);
        signal?.addEventListener("abort", wake, { once: true });
      });
      clearTimeout(timer);
      if (wake) signal?.removeEventListener("abort", wake);
      this.#notify = undefined;
    }
  }

  /** Drops every chunk received and not yet returned by {@link ByteReader.read}. */
  discard(): void {
    this.#stash = [];
  }

  /**
   * Gives the stream back (so another reader can take it). Chunks already stashed are returned
   * so the next owner can process them first.
   *
   * @returns the unread chunks
   */
  release(): Uint8Array[] {
    this.#released = true;
    const left = this.#stash;
    this.#stash = [];
    try {
      this.#reader.releaseLock();
    } catch {
      // already released
    }
    return left;
  }

  /** Cancels the underlying stream. */
  async cancel(): Promise<void> {
    this.#released = true;
    await this.#reader.cancel().catch(() => {});
  }

  #pump(): void {
    if (this.#inFlight || this.#ended || this.#released) return;
    this.#inFlight = true;
    this.#reader.read().then(
      (result) => {
        this.#inFlight = false;
        if (result.done) this.#ended = true;
        else this.#stash.push(result.value);
        this.#notify?.();
      },
      (error: unknown) => {
        this.#inFlight = false;
        if (!this.#released) {
          this.#ended = true;
          this.#error = error;
        }
        this.#notify?.();
      },
    );
  }
}
