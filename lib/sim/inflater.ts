/**
 * Streaming zlib inflate for FLASH_DEFL_DATA, on `node:zlib`'s streaming `Inflate`: the stubs
 * receive a zlib stream cut into blocks and inflate each block as it arrives, so the output of
 * block N is known before block N+1 is sent.
 *
 * @module
 */

import zlib from "node:zlib";

/** What one {@link Inflater.push} produced. */
export interface InflateStep {
  /** Bytes inflated from this input. */
  output: Uint8Array;
  /** Set when the stream is corrupt (the stubs' 0xC7). */
  error?: unknown;
}

/**
 * A zlib stream being inflated block by block.
 *
 * @example
 * ```ts
 * import { Inflater } from "./inflater.ts";
 * import zlib from "node:zlib";
 * import assert from "node:assert/strict";
 * const packed = zlib.deflateSync(new Uint8Array(1000).fill(7), { level: 9 });
 * const inflater = new Inflater();
 * const a = await inflater.push(packed.subarray(0, 5));
 * const b = await inflater.push(packed.subarray(5));
 * assert.equal(a.output.length + b.output.length, 1000);
 * inflater.close();
 * ```
 */
export class Inflater {
  readonly #stream: zlib.Inflate;
  #pending: Uint8Array[] = [];
  #error: unknown;
  #wake: (() => void) | undefined;

  constructor() {
    this.#stream = zlib.createInflate();
    this.#stream.on("data", (chunk: Uint8Array) => this.#pending.push(new Uint8Array(chunk)));
    this.#stream.on("error", (error: unknown) => {
      this.#error ??= error;
      this.#wake?.();
    });
  }

  /** The error that stopped the stream, if any. */
  get error(): unknown {
    return this.#error;
  }

  /**
   * Inflates the next piece of the stream.
   *
   * @param input compressed bytes
   * @returns what came out, and the error if the stream is corrupt
   */
  async push(input: Uint8Array): Promise<InflateStep> {
    if (this.#error === undefined && input.length > 0) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#stream.write(input);
        this.#stream.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve());
      });
      this.#wake = undefined;
      await Promise.resolve();
    }
    const output = concat(this.#pending);
    this.#pending = [];
    return this.#error === undefined ? { output } : { output, error: this.#error };
  }

  /** Releases the stream. */
  close(): void {
    this.#stream.destroy();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
