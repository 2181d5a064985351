/**
 * SLIP framing as the ESP8266 ROM, the flasher stubs and esptool use it: every frame starts and
 * ends with `0xC0`; inside a frame `0xC0` is sent as `DB DC` and `0xDB` as `DB DD`.
 *
 * @module
 */

/** Frame delimiter. */
export const SLIP_END = 0xc0;
/** Escape byte. */
export const SLIP_ESC = 0xdb;
/** `DB DC` stands for `C0`. */
export const SLIP_ESC_END = 0xdc;
/** `DB DD` stands for `DB`. */
export const SLIP_ESC_ESC = 0xdd;

/**
 * Encodes one packet as a SLIP frame, with the opening and closing `0xC0`.
 *
 * @param packet the unescaped packet
 * @returns the frame as it goes on the wire
 *
 * @example
 * ```ts
 * import { slipEncode } from "./slip.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(slipEncode(new Uint8Array([1, 0xc0, 0xdb])), new Uint8Array([0xc0, 1, 0xdb, 0xdc, 0xdb, 0xdd, 0xc0]));
 * ```
 */
export function slipEncode(packet: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of packet) if (b === SLIP_END || b === SLIP_ESC) extra++;
  const out = new Uint8Array(packet.length + extra + 2);
  let o = 0;
  out[o++] = SLIP_END;
  for (const b of packet) {
    if (b === SLIP_END) {
      out[o++] = SLIP_ESC;
      out[o++] = SLIP_ESC_END;
    } else if (b === SLIP_ESC) {
      out[o++] = SLIP_ESC;
      out[o++] = SLIP_ESC_ESC;
    } else {
      out[o++] = b;
    }
  }
  out[o] = SLIP_END;
  return out;
}

/** What the decoder found in the byte stream. */
export type SlipEvent =
  /** A complete, well-formed frame (unescaped). */
  | { type: "frame"; data: Uint8Array }
  /** Bytes seen outside any frame (boot log text, line noise). Not fatal. */
  | { type: "garbage"; data: Uint8Array }
  /** A frame that was dropped: a bad escape sequence or longer than the limit. */
  | { type: "invalid"; reason: "invalid-escape" | "oversize"; data: Uint8Array };

/** Options for {@link SlipDecoder}. */
export interface SlipDecoderOptions {
  /** Frames longer than this (unescaped) are dropped and reported. Default 1 MiB. */
  maxFrameLength?: number;
}

/**
 * A streaming SLIP decoder. Feed it chunks as they arrive (cut anywhere, even between an escape
 * byte and its partner); it returns the frames and the garbage it found.
 *
 * - A `C0` outside a frame opens one; inside a non-empty frame it closes it. Repeated `C0`s
 *   between frames are padding, so `C0 … C0 C0 … C0` gives two frames.
 * - Bytes outside a frame are reported as garbage at the end of each chunk.
 * - `DB` followed by anything but `DC`/`DD` marks the frame invalid; it is reported (with the
 *   bytes received so far) when its closing `C0` arrives.
 *
 * @example
 * ```ts
 * import { SlipDecoder } from "./slip.ts";
 * import assert from "node:assert/strict";
 * const d = new SlipDecoder();
 * assert.deepEqual(d.push(new Uint8Array([0x41, 0xc0, 1, 0xdb])), [{ type: "garbage", data: new Uint8Array([0x41]) }]);
 * assert.deepEqual(d.push(new Uint8Array([0xdc, 0xc0])), [{ type: "frame", data: new Uint8Array([1, 0xc0]) }]);
 * ```
 */
export class SlipDecoder {
  #inFrame = false;
  #escaping = false;
  #invalid: "invalid-escape" | "oversize" | undefined;
  #frame: number[] = [];
  #garbage: number[] = [];
  readonly #max: number;

  /**
   * Creates a decoder.
   *
   * @param options frame length limit
   */
  constructor(options: SlipDecoderOptions = {}) {
    this.#max = options.maxFrameLength ?? 1 << 20;
  }

  /** Whether the decoder is in the middle of a frame. */
  get inFrame(): boolean {
    return this.#inFrame && (this.#frame.length > 0 || this.#escaping);
  }

  /**
   * Decodes one chunk.
   *
   * @param chunk bytes as they arrived
   * @returns the events the chunk completed, in order
   */
  push(chunk: Uint8Array): SlipEvent[] {
    const events: SlipEvent[] = [];
    for (const b of chunk) {
      if (!this.#inFrame) {
        if (b === SLIP_END) {
          this.#flushGarbage(events);
          this.#inFrame = true;
        } else {
          this.#garbage.push(b);
        }
        continue;
      }
      if (b === SLIP_END) {
        if (this.#frame.length === 0 && !this.#escaping && this.#invalid === undefined) continue;
        this.#closeFrame(events);
        continue;
      }
      if (this.#invalid === "oversize") continue;
      if (this.#escaping) {
        this.#escaping = false;
        if (b === SLIP_ESC_END) this.#append(SLIP_END);
        else if (b === SLIP_ESC_ESC) this.#append(SLIP_ESC);
        else this.#invalid ??= "invalid-escape";
      } else if (b === SLIP_ESC) {
        this.#escaping = true;
      } else {
        this.#append(b);
      }
    }
    this.#flushGarbage(events);
    return events;
  }

  /** Forgets any partial frame and pending garbage (after the host discards its input). */
  reset(): void {
    this.#inFrame = false;
    this.#escaping = false;
    this.#invalid = undefined;
    this.#frame = [];
    this.#garbage = [];
  }

  #append(b: number): void {
    if (this.#frame.length >= this.#max) {
      this.#invalid = "oversize";
      return;
    }
    this.#frame.push(b);
  }

  #closeFrame(events: SlipEvent[]): void {
    const data = new Uint8Array(this.#frame);
    if (this.#invalid === undefined && !this.#escaping) events.push({ type: "frame", data });
    else events.push({ type: "invalid", reason: this.#invalid ?? "invalid-escape", data });
    this.#inFrame = false;
    this.#escaping = false;
    this.#invalid = undefined;
    this.#frame = [];
  }

  #flushGarbage(events: SlipEvent[]): void {
    if (this.#garbage.length === 0) return;
    events.push({ type: "garbage", data: new Uint8Array(this.#garbage) });
    this.#garbage = [];
  }
}

/**
 * {@link SlipDecoder} as a `TransformStream`: bytes in, {@link SlipEvent}s out.
 *
 * @example
 * ```ts
 * import { SlipDecoderStream } from "./slip.ts";
 * import assert from "node:assert/strict";
 * const events = await Array.fromAsync(
 *   ReadableStream.from([new Uint8Array([0xc0, 7]), new Uint8Array([8, 0xc0])]).pipeThrough(new SlipDecoderStream()),
 * );
 * assert.deepEqual(events, [{ type: "frame", data: new Uint8Array([7, 8]) }]);
 * ```
 */
export class SlipDecoderStream extends TransformStream<Uint8Array, SlipEvent> {
  /**
   * Creates a decoder.
   *
   * @param options frame length limit
   */
  constructor(options: SlipDecoderOptions = {}) {
    const decoder = new SlipDecoder(options);
    super({
      transform(chunk, controller) {
        for (const event of decoder.push(chunk)) controller.enqueue(event);
      },
    });
  }
}
