/**
 * The telnet layer under RFC 2217 (RFC 854/855): escaping 0xFF as IAC IAC, option negotiation
 * commands, subnegotiations, and a streaming decoder that splits a byte stream into data and
 * telnet commands across arbitrary chunk boundaries. Pure, no I/O.
 *
 * @module
 */

/** Telnet command bytes. */
export const TELNET = {
  SE: 240,
  NOP: 241,
  SB: 250,
  WILL: 251,
  WONT: 252,
  DO: 253,
  DONT: 254,
  IAC: 255,
} as const;

/** Telnet options nodeflash negotiates. */
export const OPTION = { BINARY: 0, ECHO: 1, SGA: 3, COM_PORT: 44 } as const;

/** A negotiation verb. */
export type TelnetVerb = "WILL" | "WONT" | "DO" | "DONT";

/** What the decoder found in the stream. */
export type TelnetItem =
  | { type: "data"; bytes: Uint8Array }
  | { type: "negotiation"; verb: TelnetVerb; option: number }
  | { type: "subnegotiation"; option: number; payload: Uint8Array }
  | { type: "command"; code: number };

const VERBS: Record<number, TelnetVerb> = { 251: "WILL", 252: "WONT", 253: "DO", 254: "DONT" };

/**
 * Doubles every 0xFF, as telnet requires for data and subnegotiation payloads.
 *
 * @param bytes the raw bytes
 * @returns the escaped bytes (the same array when there is nothing to escape)
 *
 * @example
 * ```ts
 * import { escapeIac } from "./telnet.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(escapeIac(new Uint8Array([1, 0xff, 2])), new Uint8Array([1, 0xff, 0xff, 2]));
 * ```
 */
export function escapeIac(bytes: Uint8Array): Uint8Array {
  let count = 0;
  for (const b of bytes) if (b === TELNET.IAC) count++;
  if (count === 0) return bytes;
  const out = new Uint8Array(bytes.length + count);
  let j = 0;
  for (const b of bytes) {
    out[j++] = b;
    if (b === TELNET.IAC) out[j++] = TELNET.IAC;
  }
  return out;
}

/**
 * Encodes `IAC <verb> <option>`.
 *
 * @param verb WILL, WONT, DO or DONT
 * @param option the option number
 * @returns three bytes
 *
 * @example
 * ```ts
 * import { encodeNegotiation, OPTION } from "./telnet.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeNegotiation("WILL", OPTION.COM_PORT), new Uint8Array([255, 251, 44]));
 * ```
 */
export function encodeNegotiation(verb: TelnetVerb, option: number): Uint8Array {
  return new Uint8Array([TELNET.IAC, TELNET[verb], option]);
}

/**
 * Encodes `IAC SB <option> <payload, escaped> IAC SE`.
 *
 * @param option the option number
 * @param payload the subnegotiation bytes
 * @returns the encoded command
 *
 * @example
 * ```ts
 * import { encodeSubnegotiation } from "./telnet.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   encodeSubnegotiation(44, new Uint8Array([5, 0xff])),
 *   new Uint8Array([255, 250, 44, 5, 255, 255, 255, 240]),
 * );
 * ```
 */
export function encodeSubnegotiation(option: number, payload: Uint8Array): Uint8Array {
  const body = escapeIac(payload);
  const out = new Uint8Array(body.length + 5);
  out.set([TELNET.IAC, TELNET.SB, option]);
  out.set(body, 3);
  out.set([TELNET.IAC, TELNET.SE], 3 + body.length);
  return out;
}

type State = "data" | "iac" | "verb" | "sb-option" | "sb" | "sb-iac";

/**
 * Splits a telnet byte stream into data and commands. Feed it chunks as they arrive; state
 * carries across chunks, so an `IAC` at the end of one chunk pairs with the next.
 *
 * @example
 * ```ts
 * import { TelnetDecoder } from "./telnet.ts";
 * import assert from "node:assert/strict";
 * const d = new TelnetDecoder();
 * const items = [...d.feed(new Uint8Array([1, 255])), ...d.feed(new Uint8Array([255, 2, 255, 253, 44]))];
 * assert.deepEqual(items, [
 *   { type: "data", bytes: new Uint8Array([1]) },
 *   { type: "data", bytes: new Uint8Array([255, 2]) },
 *   { type: "negotiation", verb: "DO", option: 44 },
 * ]);
 * ```
 */
export class TelnetDecoder {
  #state: State = "data";
  #verb: TelnetVerb = "WILL";
  #option = 0;
  #data: number[] = [];
  #payload: number[] = [];

  /**
   * Decodes one chunk.
   *
   * @param chunk bytes from the socket
   * @returns what the chunk completed, in order; data is handed out at the end of every chunk
   */
  feed(chunk: Uint8Array): TelnetItem[] {
    const items: TelnetItem[] = [];
    const flush = () => {
      if (this.#data.length === 0) return;
      items.push({ type: "data", bytes: new Uint8Array(this.#data) });
      this.#data = [];
    };
    for (const b of chunk) {
      const item = this.#step(b);
      if (item !== undefined) {
        flush();
        items.push(item);
      }
    }
    flush();
    return items;
  }

  #step(b: number): TelnetItem | undefined {
    switch (this.#state) {
      case "data":
        if (b === TELNET.IAC) this.#state = "iac";
        else this.#data.push(b);
        return undefined;
      case "iac":
        return this.#afterIac(b);
      case "verb":
        this.#state = "data";
        return { type: "negotiation", verb: this.#verb, option: b };
      case "sb-option":
        this.#option = b;
        this.#payload = [];
        this.#state = "sb";
        return undefined;
      case "sb":
        if (b === TELNET.IAC) this.#state = "sb-iac";
        else this.#payload.push(b);
        return undefined;
      case "sb-iac":
        if (b === TELNET.IAC) {
          this.#payload.push(b);
          this.#state = "sb";
          return undefined;
        }
        this.#state = "data";
        // IAC SE ends it; any other command inside a subnegotiation also ends it (RFC 855 leaves
        // it undefined; treating it as the end keeps the stream in sync).
        return {
          type: "subnegotiation",
          option: this.#option,
          payload: new Uint8Array(this.#payload),
        };
    }
  }

  #afterIac(b: number): TelnetItem | undefined {
    this.#state = "data";
    if (b === TELNET.IAC) {
      this.#data.push(b);
      return undefined;
    }
    const verb = VERBS[b];
    if (verb !== undefined) {
      this.#verb = verb;
      this.#state = "verb";
      return undefined;
    }
    if (b === TELNET.SB) {
      this.#state = "sb-option";
      return undefined;
    }
    return { type: "command", code: b };
  }
}
