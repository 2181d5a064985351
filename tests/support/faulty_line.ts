/**
 * A transport wrapper that models a bad line for tests: noise on one frame, a frame changed on
 * the way, a frame from the board lost, or a cable pulled after so many bytes. It changes bytes
 * on the wire only; the board on the other end answers them as it would any other bytes.
 */

import { deviceError } from "../../lib/errors.ts";
import type { Signals, Transport } from "../../lib/transport/types.ts";
import { wrapTransport } from "../../lib/transport/wrap_transport.ts";

/** Options for {@link faultyLine}. */
export interface FaultyLineOptions {
  /** Flips one payload bit of the frames (host to board) for which this returns true. */
  corrupt?: (opcode: number, index: number) => boolean;
  /**
   * Changes a frame (host to board, SLIP-encoded, `C0 … C0`) on the way: return the bytes to
   * send instead, or `undefined` to leave it. `index` counts the frames of that opcode.
   */
  mutate?: (frame: Uint8Array, opcode: number, index: number) => Uint8Array | undefined;
  /**
   * Loses frames from the board: called with each frame's content (SLIP-decoded enough to
   * read its first bytes) and its index among all frames from the board.
   */
  dropFromBoard?: (frame: Uint8Array, index: number) => boolean;
  /** The cable is pulled once this many bytes went to the board. */
  hangUpAfterBytes?: number;
}

/** The wrapper and what it saw. */
export interface FaultyLine {
  /** The transport to hand to the flasher. */
  transport: Transport;
  /** How many frames were corrupted or changed. */
  readonly corrupted: number;
  /** How many frames from the board were lost. */
  readonly dropped: number;
  /** Bytes sent to the board. */
  readonly sent: number;
  /** Whether the cable was pulled. */
  readonly hungUp: boolean;
}

/** Splits a byte stream into `C0 … C0` frames (and the bytes between them). */
class FrameSplitter {
  #open: number[] | undefined;

  /** Returns whole frames (with their C0s) and stray bytes, in order. */
  push(bytes: Uint8Array): Array<{ frame: boolean; bytes: Uint8Array }> {
    const out: Array<{ frame: boolean; bytes: Uint8Array }> = [];
    let stray: number[] = [];
    for (const b of bytes) {
      if (this.#open === undefined) {
        if (b === 0xc0) {
          if (stray.length > 0) out.push({ frame: false, bytes: Uint8Array.from(stray) });
          stray = [];
          this.#open = [b];
        } else stray.push(b);
        continue;
      }
      this.#open.push(b);
      if (b === 0xc0 && this.#open.length > 2) {
        out.push({ frame: true, bytes: Uint8Array.from(this.#open) });
        this.#open = undefined;
      } else if (b === 0xc0) {
        this.#open = [b]; // two C0s in a row: the first ended nothing
      }
    }
    if (stray.length > 0) out.push({ frame: false, bytes: Uint8Array.from(stray) });
    return out;
  }
}

/**
 * Wraps a transport.
 *
 * @param inner the real transport
 * @param options the faults
 * @returns the wrapper
 */
export function faultyLine(inner: Transport, options: FaultyLineOptions): FaultyLine {
  let sent = 0;
  let corrupted = 0;
  let dropped = 0;
  let fromBoard = 0;
  let hungUp = false;
  const perOpcode = new Map<number, number>();
  let fail: ((e: Error) => void) | undefined;
  const gone = () => deviceError("port/disconnected", `The device on ${inner.info.url} went away`);
  const splitter = new FrameSplitter();
  const readable = inner.readable.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        fail = (e) => controller.error(e);
      },
      transform(chunk, controller) {
        if (options.dropFromBoard === undefined) return controller.enqueue(chunk);
        for (const part of splitter.push(chunk)) {
          if (part.frame && options.dropFromBoard(part.bytes.subarray(1, -1), fromBoard++)) {
            dropped++;
            continue;
          }
          controller.enqueue(part.bytes);
        }
      },
    }),
  );
  const change = (bytes: Uint8Array): Uint8Array => {
    if (bytes[0] !== 0xc0 || bytes[1] !== 0x00) return bytes;
    const op = bytes[2]!;
    const index = perOpcode.get(op) ?? 0;
    perOpcode.set(op, index + 1);
    const changed = options.mutate?.(bytes, op, index);
    if (changed !== undefined) {
      corrupted++;
      return changed;
    }
    if (!options.corrupt?.(op, index)) return bytes;
    const out = bytes.slice();
    // flip a bit of a payload byte that is not part of an escape sequence
    for (let i = out.length - 2; i > 30; i--) {
      if (out[i]! < 0xc0 && out[i - 1] !== 0xdb) {
        out[i] = out[i]! ^ 0x01;
        corrupted++;
        break;
      }
    }
    return out;
  };
  const transport: Transport = wrapTransport(inner, {
    readable,
    async write(bytes: Uint8Array) {
      if (hungUp) throw gone();
      const out = change(bytes);
      if (options.hangUpAfterBytes !== undefined && sent + out.length > options.hangUpAfterBytes) {
        hungUp = true;
        await inner.write(out.subarray(0, options.hangUpAfterBytes - sent));
        fail?.(gone());
        throw gone();
      }
      sent += out.length;
      await inner.write(out);
    },
    setSignals(s: Signals) {
      return hungUp ? Promise.reject(gone()) : inner.setSignals(s);
    },
    setBaudRate(b: number) {
      return hungUp ? Promise.reject(gone()) : inner.setBaudRate(b);
    },
  });
  return {
    transport,
    get corrupted() {
      return corrupted;
    },
    get dropped() {
      return dropped;
    },
    get sent() {
      return sent;
    },
    get hungUp() {
      return hungUp;
    },
  };
}
