/**
 * A bit-level model of a UART baud-rate mismatch, for test peers: bytes framed 8N1 at the
 * sender's rate are decoded by a receiver running at another rate, the way a real UART does it
 * (wait for a falling edge, sample each bit in its middle). Equal rates give the bytes back;
 * 74880 read at 115200 gives the familiar boot-time noise. Deterministic.
 *
 * @module
 */

/**
 * What a receiver at `receiveBaud` decodes from `bytes` sent back-to-back at `sendBaud`.
 *
 * The sender frames each byte as a start bit (0), eight data bits LSB first and a stop bit (1);
 * the line idles high before and after. The receiver waits for a high-to-low edge, checks the
 * start bit in its middle (a glitch is ignored), samples eight data bits at their middles and the
 * stop bit; a byte with a bad stop bit (framing error) is still delivered, as a Linux tty in raw
 * mode without `INPCK` does.
 *
 * @param bytes what the sender sent, as one burst
 * @param sendBaud the sender's rate
 * @param receiveBaud the receiver's rate
 * @returns what the receiver got
 *
 * @example
 * ```ts
 * import { resampleUart } from "./uart_resample.ts";
 * import assert from "node:assert/strict";
 * const text = new TextEncoder().encode("ets Jan  8 2013");
 * assert.deepEqual(resampleUart(text, 115200, 115200), text);
 * // 2% apart is within a UART's tolerance...
 * assert.deepEqual(resampleUart(text, 115200, 117500), text);
 * // ...74880 read at 115200 is not.
 * assert.notDeepEqual(resampleUart(text, 74880, 115200), text);
 * ```
 */
export function resampleUart(bytes: Uint8Array, sendBaud: number, receiveBaud: number): Uint8Array {
  if (sendBaud === receiveBaud) return bytes.slice();
  const bits: number[] = [];
  for (const b of bytes) {
    bits.push(0);
    for (let i = 0; i < 8; i++) bits.push((b >> i) & 1);
    bits.push(1);
  }
  const ts = 1 / sendBaud;
  const tr = 1 / receiveBaud;
  const level = (t: number): number => {
    const i = Math.floor(t / ts);
    return i >= 0 && i < bits.length ? bits[i]! : 1;
  };
  const out: number[] = [];
  let from = 0; // receiver hunts for a start bit from this bit index of the sender
  while (true) {
    let edge = -1;
    for (let j = from; j < bits.length; j++) {
      if (bits[j] === 0 && (j === 0 ? 1 : bits[j - 1]) === 1) {
        edge = j;
        break;
      }
    }
    if (edge < 0) break;
    const te = edge * ts;
    if (level(te + 0.5 * tr) !== 0) {
      from = edge + 1;
      continue;
    }
    let value = 0;
    for (let k = 0; k < 8; k++) value |= level(te + (1.5 + k) * tr) << k;
    out.push(value);
    // Hunting resumes after the middle of the stop bit.
    from = Math.max(edge + 1, Math.ceil((te + 9.5 * tr) / ts - 1e-9));
  }
  return new Uint8Array(out);
}
