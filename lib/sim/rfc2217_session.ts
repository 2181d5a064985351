/**
 * The server side of RFC 2217 (Telnet COM Port Control Option, option 44) for one client, as
 * pure protocol logic: option negotiation (BINARY, SUPPRESS-GO-AHEAD and COM-PORT-OPTION
 * accepted both ways, anything else refused, ECHO included), and the COM-PORT-OPTION commands:
 * SET-BAUDRATE, SET-DATASIZE, SET-PARITY, SET-STOPSIZE, SET-CONTROL (flow control, BREAK, DTR,
 * RTS and their queries), SET-LINESTATE-MASK, SET-MODEMSTATE-MASK, PURGE-DATA, SIGNATURE, and
 * NOTIFY-MODEMSTATE polls. Each is acknowledged with its code + 100 and the value now in force,
 * which is what pyserial's client waits for. The modem inputs (CTS, DSR, RI, CD) read inactive.
 *
 * @module
 */

import type { Signals } from "../transport/types.ts";
import { DO, DONT, IAC, subnegotiation, TelnetDecoder, WILL, WONT } from "./telnet_codec.ts";
import { escapeIac } from "./telnet_codec.ts";

/** COM-PORT-OPTION. */
export const COM_PORT_OPTION = 44;
const BINARY = 0;
const SGA = 3;
const ACCEPTED = new Set([BINARY, SGA, COM_PORT_OPTION]);

/** What the session does to the serial side. */
export interface Rfc2217Port {
  /** Data from the client. */
  data(bytes: Uint8Array): void;
  /** The client set the baud rate. */
  setBaudRate(baud: number): void;
  /** The client changed DTR or RTS. */
  setSignals(signals: Signals): void;
  /** The client asked to purge buffers (1 = receive, 2 = transmit, 3 = both). */
  purge(which: number): void;
}

/**
 * One client's session.
 *
 * @example
 * ```ts
 * import { Rfc2217Session } from "./rfc2217_session.ts";
 * import assert from "node:assert/strict";
 * const out: number[] = [];
 * let baud = 0;
 * const s = new Rfc2217Session({ data() {}, setBaudRate: (b) => baud = b, setSignals() {}, purge() {} }, (b) => out.push(...b));
 * s.receive(new Uint8Array([0xff, 0xfa, 44, 1, 0, 1, 0xc2, 0x00, 0xff, 0xf0]));
 * assert.equal(baud, 115200);
 * assert.deepEqual(out.slice(-10), [0xff, 0xfa, 44, 101, 0, 1, 0xc2, 0, 0xff, 0xf0]); // after a NOTIFY-MODEMSTATE
 * ```
 */
export class Rfc2217Session {
  readonly #port: Rfc2217Port;
  readonly #send: (bytes: Uint8Array) => void;
  readonly #decoder = new TelnetDecoder();
  readonly #us = new Map<number, "on" | "asked">();
  readonly #him = new Map<number, "on" | "asked">();
  #baud = 115200;
  #dataSize = 8;
  #parity = 1;
  #stopSize = 1;
  #flow = 1;
  #signals: Signals = { dtr: false, rts: false };
  #notified = false;

  /**
   * @param port the serial side
   * @param send writes bytes to the client
   * @param signals the line states when the client arrives
   */
  constructor(port: Rfc2217Port, send: (bytes: Uint8Array) => void, signals?: Signals) {
    this.#port = port;
    this.#send = send;
    if (signals !== undefined) this.#signals = { ...signals };
  }

  /** Offers what the server supports (sent when the client connects). */
  start(): void {
    for (const option of [BINARY, SGA, COM_PORT_OPTION]) {
      this.#us.set(option, "asked");
      this.#send(new Uint8Array([IAC, WILL, option]));
    }
    for (const option of [BINARY, SGA, COM_PORT_OPTION]) {
      this.#him.set(option, "asked");
      this.#send(new Uint8Array([IAC, DO, option]));
    }
  }

  /**
   * Bytes from the client.
   *
   * @param chunk what arrived
   */
  receive(chunk: Uint8Array): void {
    for (const event of this.#decoder.push(chunk)) {
      if (event.type === "data") this.#port.data(event.bytes);
      else if (event.type === "negotiate") this.#negotiate(event.command, event.option);
      else if (event.type === "subnegotiation" && event.option === COM_PORT_OPTION) {
        this.#comPort(event.payload);
      }
    }
  }

  /**
   * Data for the client, escaped.
   *
   * @param bytes serial data
   * @returns what to write to the socket
   */
  escape(bytes: Uint8Array): Uint8Array {
    return escapeIac(bytes);
  }

  #negotiate(command: number, option: number): void {
    const asksUs = command === DO || command === DONT;
    const table = asksUs ? this.#us : this.#him;
    const yes = command === DO || command === WILL;
    const [accept, refuse] = asksUs ? [WILL, WONT] : [DO, DONT];
    const state = table.get(option);
    if (yes && ACCEPTED.has(option)) {
      table.set(option, "on");
      if (state === undefined) this.#send(new Uint8Array([IAC, accept, option]));
      if (option === COM_PORT_OPTION) this.#notifyModemState();
    } else if (yes) {
      this.#send(new Uint8Array([IAC, refuse, option]));
    } else if (state !== undefined) {
      table.delete(option);
      if (state === "on") this.#send(new Uint8Array([IAC, refuse, option]));
    }
  }

  #reply(code: number, value: Uint8Array): void {
    this.#send(subnegotiation(COM_PORT_OPTION, new Uint8Array([code + 100, ...value])));
  }

  #notifyModemState(): void {
    if (this.#notified) return;
    this.#notified = true;
    this.#reply(7, new Uint8Array([0]));
  }

  #comPort(payload: Uint8Array): void {
    // A client may take the server's offers as agreement without answering them (pyserial
    // does when the offers arrive first): its first COM-PORT command shows it speaks RFC 2217.
    this.#notifyModemState();
    const code = payload[0];
    const value = payload.subarray(1);
    const byte = value[0] ?? 0;
    switch (code) {
      case 0:
        if (value.length === 0) {
          this.#reply(0, new TextEncoder().encode("nodeflash simulated ESP8266"));
        }
        return;
      case 1: {
        const baud = value.length >= 4
          ? new DataView(value.buffer, value.byteOffset, 4).getUint32(0)
          : 0;
        if (baud !== 0) {
          this.#baud = baud;
          this.#port.setBaudRate(baud);
        }
        const out = new Uint8Array(4);
        new DataView(out.buffer).setUint32(0, this.#baud);
        return this.#reply(1, out);
      }
      case 2:
        if (byte >= 5 && byte <= 8) this.#dataSize = byte;
        return this.#reply(2, new Uint8Array([this.#dataSize]));
      case 3:
        if (byte >= 1 && byte <= 5) this.#parity = byte;
        return this.#reply(3, new Uint8Array([this.#parity]));
      case 4:
        if (byte >= 1 && byte <= 3) this.#stopSize = byte;
        return this.#reply(4, new Uint8Array([this.#stopSize]));
      case 5:
        return this.#control(byte);
      case 6:
        return this.#reply(6, new Uint8Array([0x60]));
      case 7:
        return this.#reply(7, new Uint8Array([0]));
      case 10:
      case 11:
        return this.#reply(code, new Uint8Array([byte]));
      case 12:
        this.#port.purge(byte);
        return this.#reply(12, new Uint8Array([byte]));
    }
  }

  #control(value: number): void {
    const lines = (next: Signals) => {
      this.#signals = next;
      this.#port.setSignals({ ...next });
    };
    let answer = value;
    if (value === 0) answer = this.#flow;
    else if (value >= 1 && value <= 3) this.#flow = value;
    else if (value === 4) answer = 6;
    else if (value === 7) answer = this.#signals.dtr ? 8 : 9;
    else if (value === 8 || value === 9) lines({ ...this.#signals, dtr: value === 8 });
    else if (value === 10) answer = this.#signals.rts ? 11 : 12;
    else if (value === 11 || value === 12) lines({ ...this.#signals, rts: value === 11 });
    else if (value === 13) answer = 14;
    this.#reply(5, new Uint8Array([answer]));
  }
}
