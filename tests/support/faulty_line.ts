/**
 * A transport wrapper that models a bad line for tests: noise on one frame, or a cable pulled
 * after so many bytes. It changes bytes on the wire only; the board on the other end answers
 * them as it would any other bytes.
 */

import { deviceError } from "../../lib/errors.ts";
import type { Signals, Transport } from "../../lib/transport/types.ts";
import { wrapTransport } from "../../lib/transport/wrap_transport.ts";

/** Options for {@link faultyLine}. */
export interface FaultyLineOptions {
  /** Flips one payload bit of the frames (host to board) for which this returns true. */
  corrupt?: (opcode: number, index: number) => boolean;
  /** The cable is pulled once this many bytes went to the board. */
  hangUpAfterBytes?: number;
}

/** The wrapper and what it saw. */
export interface FaultyLine {
  /** The transport to hand to the flasher. */
  transport: Transport;
  /** How many frames were corrupted. */
  readonly corrupted: number;
  /** Whether the cable was pulled. */
  readonly hungUp: boolean;
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
  let hungUp = false;
  const perOpcode = new Map<number, number>();
  let fail: ((e: Error) => void) | undefined;
  const gone = () => deviceError("port/disconnected", `The device on ${inner.info.url} went away`);
  const readable = inner.readable.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        fail = (e) => controller.error(e);
      },
    }),
  );
  const transport: Transport = wrapTransport(inner, {
    readable,
    async write(bytes: Uint8Array) {
      if (hungUp) throw gone();
      let out = bytes;
      if (bytes[0] === 0xc0 && bytes[1] === 0x00 && options.corrupt) {
        const op = bytes[2]!;
        const index = perOpcode.get(op) ?? 0;
        perOpcode.set(op, index + 1);
        if (options.corrupt(op, index)) {
          out = bytes.slice();
          // flip a bit of a payload byte that is not part of an escape sequence
          for (let i = out.length - 2; i > 30; i--) {
            if (out[i]! < 0xc0 && out[i - 1] !== 0xdb) {
              out[i] = out[i]! ^ 0x01;
              corrupted++;
              break;
            }
          }
        }
      }
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
    get hungUp() {
      return hungUp;
    },
  };
}
