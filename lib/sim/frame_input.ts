/**
 * The receive side of a loader: a SLIP decoder (the shared codec) feeding frames, one at a time
 * and in order, to an async handler. A handler that throws (a bug) is reported and the next
 * frame is handled anyway, so bad input never stops the simulated chip.
 *
 * @module
 */

import { SlipDecoder } from "../bytes/slip.ts";

/** What kind of frame arrived. */
export type FrameKind = "frame" | "invalid-escape" | "oversize";

/** Options for {@link FrameInput}. */
export interface FrameInputOptions {
  /** Longest frame (unescaped) the loader's buffer holds. */
  maxFrameLength: number;
  /** Handles one frame; the next waits until the returned promise settles. */
  onFrame(frame: Uint8Array, kind: FrameKind): Promise<void> | void;
  /** Called with whatever a handler threw. */
  onFault(error: unknown): void;
  /**
   * Time on the wire: `stamp` says when the bytes just pushed arrived, `wait` lets that time
   * come before the frame they complete is handled (see time_model.ts).
   */
  pace?: { stamp(): unknown; wait(stamp: unknown): Promise<void> };
}

/**
 * A serial frame queue.
 *
 * @example
 * ```ts
 * import { FrameInput } from "./frame_input.ts";
 * import assert from "node:assert/strict";
 * const seen: number[][] = [];
 * const input = new FrameInput({ maxFrameLength: 64, onFrame: (f) => void seen.push([...f]), onFault() {} });
 * input.push(new Uint8Array([0x41, 0xc0, 1, 2, 0xc0, 0xc0, 3, 0xc0]));
 * await input.idle();
 * assert.deepEqual(seen, [[1, 2], [3]]);
 * ```
 */
export class FrameInput {
  readonly #decoder: SlipDecoder;
  readonly #options: FrameInputOptions;
  #tail: Promise<void> = Promise.resolve();
  #stopped = false;

  /** @param options frame limit and handlers */
  constructor(options: FrameInputOptions) {
    this.#options = options;
    this.#decoder = new SlipDecoder({ maxFrameLength: options.maxFrameLength });
  }

  /**
   * Decodes bytes and queues the frames they complete. Bytes outside frames are ignored.
   *
   * @param bytes what arrived
   */
  push(bytes: Uint8Array): void {
    if (this.#stopped) return;
    for (const event of this.#decoder.push(bytes)) {
      if (event.type === "garbage") continue;
      const kind: FrameKind = event.type === "frame" ? "frame" : event.reason;
      const pace = this.#options.pace;
      const stamp = pace?.stamp();
      this.#enqueue(async () => {
        if (pace !== undefined) await pace.wait(stamp);
        if (this.#stopped) return;
        await this.#options.onFrame(event.data, kind);
      });
    }
  }

  /**
   * Runs a task in the queue, after the frames received so far.
   *
   * @param task the work
   */
  #enqueue(task: () => Promise<void> | void): void {
    this.#tail = this.#tail.then(async () => {
      if (this.#stopped) return;
      try {
        await task();
      } catch (error) {
        this.#options.onFault(error);
      }
    });
  }

  /** Resolves when every queued frame has been handled. */
  async idle(): Promise<void> {
    let tail: Promise<void>;
    do {
      tail = this.#tail;
      await tail;
    } while (tail !== this.#tail);
  }

  /** Drops queued frames and ignores later input. */
  stop(): void {
    this.#stopped = true;
    this.#decoder.reset();
  }
}
