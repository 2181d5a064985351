/**
 * Telnet framing for the RFC 2217 endpoint (RFC 854/855): IAC (0xFF) commands, WILL/WONT/DO/DONT
 * option negotiation, SB … SE subnegotiation, and 0xFF doubled inside data and subnegotiations.
 *
 * @module
 */

/** Telnet bytes. */
export const IAC = 0xff;
/** Option negotiation commands. */
export const WILL = 0xfb;
/** Refuse to perform an option. */
export const WONT = 0xfc;
/** Ask the peer to perform an option. */
export const DO = 0xfd;
/** Ask the peer to stop an option. */
export const DONT = 0xfe;
/** Subnegotiation begin. */
export const SB = 0xfa;
/** Subnegotiation end. */
export const SE = 0xf0;

/** What the decoder found. */
export type TelnetEvent =
  | { type: "data"; bytes: Uint8Array }
  | { type: "negotiate"; command: number; option: number }
  | { type: "subnegotiation"; option: number; payload: Uint8Array }
  | { type: "command"; command: number };

/**
 * A streaming telnet decoder (chunks may split anywhere).
 *
 * @example
 * ```ts
 * import { TelnetDecoder } from "./telnet_codec.ts";
 * import assert from "node:assert/strict";
 * const d = new TelnetDecoder();
 * const events = d.push(new Uint8Array([1, 0xff, 0xff, 0xff, 0xfb, 0x2c, 2]));
 * assert.deepEqual(events, [
 *   { type: "data", bytes: new Uint8Array([1, 0xff]) },
 *   { type: "negotiate", command: 0xfb, option: 0x2c },
 *   { type: "data", bytes: new Uint8Array([2]) },
 * ]);
 * ```
 */
export class TelnetDecoder {
  #state: "data" | "iac" | "option" | "sb-option" | "sb" | "sb-iac" = "data";
  #command = 0;
  #option = 0;
  #sub: number[] = [];

  /**
   * Decodes a chunk.
   *
   * @param chunk bytes from the network
   * @returns events in order
   */
  push(chunk: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    let data: number[] = [];
    const flush = () => {
      if (data.length > 0) events.push({ type: "data", bytes: new Uint8Array(data) });
      data = [];
    };
    for (const b of chunk) {
      switch (this.#state) {
        case "data":
          if (b === IAC) this.#state = "iac";
          else data.push(b);
          break;
        case "iac":
          this.#state = "data";
          if (b === IAC) data.push(IAC);
          else if (b >= WILL && b <= DONT) {
            this.#command = b;
            this.#state = "option";
          } else if (b === SB) this.#state = "sb-option";
          else {
            flush();
            events.push({ type: "command", command: b });
          }
          break;
        case "option":
          flush();
          events.push({ type: "negotiate", command: this.#command, option: b });
          this.#state = "data";
          break;
        case "sb-option":
          this.#option = b;
          this.#sub = [];
          this.#state = "sb";
          break;
        case "sb":
          if (b === IAC) this.#state = "sb-iac";
          else this.#sub.push(b);
          break;
        case "sb-iac":
          if (b === IAC) {
            this.#sub.push(IAC);
            this.#state = "sb";
          } else {
            flush();
            events.push({
              type: "subnegotiation",
              option: this.#option,
              payload: new Uint8Array(this.#sub),
            });
            this.#state = "data";
          }
          break;
      }
    }
    flush();
    return events;
  }
}

/**
 * Doubles every 0xFF.
 *
 * @param bytes data
 * @returns escaped data
 *
 * @example
 * ```ts
 * import { escapeIac } from "./telnet_codec.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(escapeIac(new Uint8Array([1, 0xff])), new Uint8Array([1, 0xff, 0xff]));
 * ```
 */
export function escapeIac(bytes: Uint8Array): Uint8Array {
  let n = 0;
  for (const b of bytes) if (b === IAC) n++;
  if (n === 0) return bytes;
  const out = new Uint8Array(bytes.length + n);
  let o = 0;
  for (const b of bytes) {
    out[o++] = b;
    if (b === IAC) out[o++] = IAC;
  }
  return out;
}

/**
 * `IAC SB option payload IAC SE`, with 0xFF doubled in the payload.
 *
 * @param option the option
 * @param payload its bytes
 * @returns the bytes to send
 *
 * @example
 * ```ts
 * import { subnegotiation } from "./telnet_codec.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(subnegotiation(44, new Uint8Array([101])), new Uint8Array([0xff, 0xfa, 44, 101, 0xff, 0xf0]));
 * ```
 */
export function subnegotiation(option: number, payload: Uint8Array): Uint8Array {
  return new Uint8Array([IAC, SB, option, ...escapeIac(payload), IAC, SE]);
}
