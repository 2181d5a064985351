/**
 * What a UART listening at one rate makes of bytes sent at another, at the bit level: the sender
 * frames every byte 8N1 (a start bit at 0, eight data bits LSB first, a stop bit at 1) back to
 * back at its rate; the receiver idles until the line falls, checks the start bit half a bit
 * later (a short glitch is not a start), then samples eight data bits and the stop bit in the
 * middle of each of *its* bit times. A byte whose stop bit reads 0 (a framing error) is still
 * delivered, as a Linux tty in raw mode does. Equal rates (within a UART's tolerance) give the
 * bytes back; 74880 read at 115200 gives the familiar boot noise.
 *
 * The simulator's UART uses it in both directions (see uart.ts).
 *
 * @module
 */

/** One 8N1 frame: start bit, eight data bits, stop bit. */
const FRAME_BITS = 10;

/** The level of the sender's line at bit index `i` (idle high outside the burst). */
function lineLevel(bytes: Uint8Array, i: number): number {
  if (i < 0 || i >= bytes.length * FRAME_BITS) return 1;
  const byte = bytes[Math.floor(i / FRAME_BITS)]!;
  const bit = i % FRAME_BITS;
  if (bit === 0) return 0;
  if (bit === FRAME_BITS - 1) return 1;
  return (byte >> (bit - 1)) & 1;
}

/**
 * Decodes a burst sent at `sendBaud` with a receiver at `receiveBaud`.
 *
 * @param bytes the burst (sent back to back, the line idle before and after)
 * @param sendBaud the sender's rate
 * @param receiveBaud the receiver's rate
 * @returns what the receiver delivers (a fresh array)
 *
 * @example
 * ```ts
 * import { garbleBaud } from "./uart_garble.ts";
 * import assert from "node:assert/strict";
 * const text = new TextEncoder().encode(" ets Jan  8 2013,rst cause:2");
 * assert.deepEqual(garbleBaud(text, 74880, 74880), text);
 * assert.notDeepEqual(garbleBaud(text, 74880, 115200), text);
 * ```
 */
export function garbleBaud(bytes: Uint8Array, sendBaud: number, receiveBaud: number): Uint8Array {
  if (bytes.length === 0) return new Uint8Array(0);
  if (sendBaud === receiveBaud) return bytes.slice();
  // Time is measured in the sender's bit times; the receiver's bit lasts `r` of them.
  const r = sendBaud / receiveBaud;
  const total = bytes.length * FRAME_BITS;
  const at = (t: number) => lineLevel(bytes, Math.floor(t));
  const out: number[] = [];
  let hunt = 0; // the receiver looks for a falling edge from this sender bit boundary on
  while (hunt < total) {
    let edge = -1;
    for (let i = Math.max(hunt, 0); i < total; i++) {
      if (lineLevel(bytes, i) === 0 && lineLevel(bytes, i - 1) === 1) {
        edge = i;
        break;
      }
    }
    if (edge < 0) break;
    if (at(edge + 0.5 * r) !== 0) {
      hunt = edge + 1;
      continue;
    }
    let value = 0;
    for (let k = 0; k < 8; k++) value |= at(edge + (1.5 + k) * r) << k;
    out.push(value);
    hunt = Math.max(edge + 1, Math.ceil(edge + 9.5 * r - 1e-9));
  }
  return Uint8Array.from(out);
}
