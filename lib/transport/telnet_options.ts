/**
 * Telnet option negotiation (RFC 854/855, without loops in the spirit of RFC 1143): which
 * options we offer to perform (`WILL`), which we ask the server to perform (`DO`), and the reply
 * each `WILL`/`WONT`/`DO`/`DONT` from the server needs. Pure: it returns bytes to send.
 *
 * @module
 */

import { encodeNegotiation, type TelnetVerb } from "./telnet.ts";

/** State of one option on one side. */
type OptionState = "off" | "asked" | "on";

/** Which side of the connection performs an option. */
export type OptionSide = "local" | "remote";

/** The outcome of a received negotiation. */
export interface NegotiationResult {
  /** Bytes to send back, if any. */
  reply?: Uint8Array;
  /** The option's new state, when it settled (agreed or refused). */
  settled?: { side: OptionSide; option: number; enabled: boolean };
}

/**
 * Negotiation state for a telnet client.
 *
 * @example
 * ```ts
 * import { TelnetOptions } from "./telnet_options.ts";
 * import assert from "node:assert/strict";
 * const o = new TelnetOptions({ local: [44], remote: [0] });
 * assert.deepEqual(o.request(), new Uint8Array([255, 251, 44, 255, 253, 0]));
 * assert.deepEqual(o.receive("DO", 44), { settled: { side: "local", option: 44, enabled: true } });
 * assert.deepEqual(o.receive("WILL", 1).reply, new Uint8Array([255, 254, 1])); // DONT ECHO
 * assert.equal(o.enabled("local", 44), true);
 * ```
 */
export class TelnetOptions {
  #supported: Record<OptionSide, Set<number>>;
  #state: Record<OptionSide, Map<number, OptionState>> = { local: new Map(), remote: new Map() };

  /**
   * @param supported options we perform (`local`) and options we accept from the server
   *   (`remote`)
   */
  constructor(supported: { local: readonly number[]; remote: readonly number[] }) {
    this.#supported = { local: new Set(supported.local), remote: new Set(supported.remote) };
  }

  /**
   * The opening requests: `WILL` for every local option, `DO` for every remote one.
   *
   * @returns the bytes to send
   */
  request(): Uint8Array {
    const parts: number[] = [];
    for (const side of ["local", "remote"] as const) {
      for (const option of this.#supported[side]) {
        this.#state[side].set(option, "asked");
        parts.push(...encodeNegotiation(side === "local" ? "WILL" : "DO", option));
      }
    }
    return new Uint8Array(parts);
  }

  /**
   * Whether an option is agreed.
   *
   * @param side who performs it
   * @param option the option number
   * @returns `true` when on
   */
  enabled(side: OptionSide, option: number): boolean {
    return this.#state[side].get(option) === "on";
  }

  /**
   * Handles a negotiation from the server.
   *
   * @param verb what the server said
   * @param option about which option
   * @returns the reply to send and the option's settled state
   */
  receive(verb: TelnetVerb, option: number): NegotiationResult {
    // The server's DO/DONT is about what we perform; its WILL/WONT about what it performs.
    const side: OptionSide = verb === "DO" || verb === "DONT" ? "local" : "remote";
    const wants = verb === "DO" || verb === "WILL";
    const state = this.#state[side].get(option) ?? "off";
    const yes: TelnetVerb = side === "local" ? "WILL" : "DO";
    const no: TelnetVerb = side === "local" ? "WONT" : "DONT";
    if (wants) {
      if (!this.#supported[side].has(option)) return { reply: encodeNegotiation(no, option) };
      if (state === "on") return {};
      this.#state[side].set(option, "on");
      const settled = { side, option, enabled: true };
      return state === "asked" ? { settled } : { reply: encodeNegotiation(yes, option), settled };
    }
    if (state === "off") return {};
    this.#state[side].set(option, "off");
    const settled = { side, option, enabled: false };
    return state === "on" ? { reply: encodeNegotiation(no, option), settled } : { settled };
  }
}
