/**
 * NodeMCU's UART receive ring (`app/driver/uart.c`, `uart0_rx_intr_handler`): the interrupt
 * handler moves every received byte into a 256-byte ring at once, whatever the CPU is doing; when
 * the ring is full the new byte overwrites the *oldest* one (the read position is pushed ahead).
 * A task drains the ring when the CPU is free, so bytes are lost only when more than 256 arrive
 * while Lua (or a flash erase) keeps the CPU busy.
 *
 * Here every byte carries the time it arrives (the time model gives the arrival of the last byte
 * of each host write; the others are one byte time apart before it), and {@link RxRing.advance}
 * moves the bytes that have arrived by "now" into the ring, dropping the oldest past 256.
 *
 * @module
 */

import type { Arrival } from "./time_model.ts";

/** The ring's size (`RX_BUFF_SIZE`). */
export const RX_RING_BYTES = 256;

/** A byte on its way in. */
interface Incoming {
  byte: number;
  at: Arrival;
}

/**
 * The ring.
 *
 * @example
 * ```ts
 * import { RxRing } from "./nodemcu_rx.ts";
 * import assert from "node:assert/strict";
 * const ring = new RxRing();
 * // 300 bytes, the last arriving at 3000 µs, one every 10 µs.
 * ring.push(Uint8Array.from({ length: 300 }, (_, i) => i & 0xff), { modelUs: 3000 }, 10);
 * ring.advance((at) => at.modelUs <= 3000);
 * assert.equal(ring.available, 256);
 * assert.equal(ring.dropped, 44);
 * assert.equal(ring.take(), 44, "the oldest were overwritten");
 * ```
 */
export class RxRing {
  #incoming: Incoming[] = [];
  #inHead = 0;
  #ring: number[] = [];
  #ringHead = 0;
  #dropped = 0;

  /**
   * Bytes the host wrote, with the arrival of the last one.
   *
   * @param bytes what reaches the UART
   * @param last when the last of them has arrived
   * @param byteUs one byte's time on the wire, µs
   */
  push(bytes: Uint8Array, last: Arrival, byteUs: number): void {
    const n = bytes.length;
    bytes.forEach((byte, i) => {
      const back = (n - 1 - i) * byteUs;
      const at: Arrival = { modelUs: last.modelUs - back };
      if (last.realMs !== undefined) at.realMs = last.realMs - back / 1000;
      this.#incoming.push({ byte, at });
    });
  }

  /**
   * Moves the bytes that have arrived into the ring (the interrupt handler's work), the oldest
   * overwritten when it is full.
   *
   * @param arrived whether a byte stamped so has arrived by now
   */
  advance(arrived: (at: Arrival) => boolean): void {
    while (this.#inHead < this.#incoming.length) {
      const next = this.#incoming[this.#inHead]!;
      if (!arrived(next.at)) break;
      this.#inHead++;
      this.#ring.push(next.byte);
      if (this.#ring.length - this.#ringHead > RX_RING_BYTES) {
        this.#ringHead++;
        this.#dropped++;
      }
    }
    if (this.#inHead > 4096) {
      this.#incoming = this.#incoming.slice(this.#inHead);
      this.#inHead = 0;
    }
  }

  /** Takes the oldest byte in the ring (`uart_getc`). */
  take(): number | undefined {
    if (this.#ringHead >= this.#ring.length) return undefined;
    const byte = this.#ring[this.#ringHead++]!;
    if (this.#ringHead > 4096) {
      this.#ring = this.#ring.slice(this.#ringHead);
      this.#ringHead = 0;
    }
    return byte;
  }

  /** Bytes in the ring. */
  get available(): number {
    return this.#ring.length - this.#ringHead;
  }

  /** When the next byte not yet arrived arrives. */
  get nextArrival(): Arrival | undefined {
    return this.#incoming[this.#inHead]?.at;
  }

  /** Bytes lost to overruns so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Forgets everything (the chip resets). */
  clear(): void {
    this.#incoming = [];
    this.#inHead = 0;
    this.#ring = [];
    this.#ringHead = 0;
  }
}
