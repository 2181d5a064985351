/**
 * The RFC 2217 client transport (see `rfc2217.ts` for the behaviour, which opens it). Split from `rfc2217.ts` to keep files short.
 *
 * @module
 */

import { deviceError, type NodeflashError } from "../errors.ts";
import { checkBaudRate } from "./check_baud_rate.ts";
import { Inbox } from "./inbox.ts";
import { SocketPump } from "./socket_pump.ts";
import {
  COM_PORT,
  COM_PORT_NAMES,
  CONTROL,
  decodeBaud,
  encodeBaud,
  encodeComPort,
  PARITY_NONE,
  PURGE_RECEIVE,
  SERVER_OFFSET,
  STOPSIZE_ONE,
} from "./rfc2217_codes.ts";
import { escapeIac, OPTION, TelnetDecoder, type TelnetItem } from "./telnet.ts";
import { TelnetOptions } from "./telnet_options.ts";
import { emitTransportEvent, type TransportEventListener } from "./transport_event.ts";
import type { OpenOptions, Signals, Transport, TransportInfo } from "./types.ts";

/** Options for `openRfc2217`. */
export interface Rfc2217Options extends OpenOptions {
  /** Debug facts: missing acknowledgements, no modem lines, adjusted baud. */
  onEvent?: TransportEventListener;
  /** How long to wait for each acknowledgement (ms), 1000 by default. */
  ackTimeoutMs?: number;
  /** `"auto"` (default) waits for SET-CONTROL acks until one is missing; `"ignore"` never. */
  controlAcks?: "auto" | "ignore";
  /** The URL for `info.url` and messages. */
  url?: string;
}

interface Waiter {
  code: number;
  settle: (value: Uint8Array | null) => void;
}

/** The modem and line state the server last notified. */
export interface RemoteLineState {
  /** NOTIFY-MODEMSTATE byte (CTS 0x10, DSR 0x20, RI 0x40, CD 0x80), if notified. */
  modem?: number;
  /** NOTIFY-LINESTATE byte, if notified. */
  line?: number;
}

/**
 * An RFC 2217 client transport. Made by `openRfc2217` (which calls {@link Rfc2217Transport.start}).
 *
 * @example
 * ```ts
 * import { Rfc2217Transport } from "./rfc2217_transport.ts";
 * import assert from "node:assert/strict";
 * const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
 * const peer = await server.accept();
 * const t = new Rfc2217Transport(conn, { url: "rfc2217://test", baudRate: 115200, ackTimeoutMs: 20 });
 * await assert.rejects(t.start(), { code: "rfc2217/no-answer" }); // the peer never negotiates
 * await t.close();
 * peer.close();
 * server.close();
 * ```
 */
export class Rfc2217Transport implements Transport {
  readonly info: TransportInfo;
  #inbox = new Inbox();
  #decoder = new TelnetDecoder();
  #options = new TelnetOptions({
    local: [OPTION.BINARY, OPTION.SGA, OPTION.COM_PORT],
    remote: [OPTION.BINARY, OPTION.SGA, OPTION.COM_PORT],
  });
  #waiters: Waiter[] = [];
  #comPortSettled: ((enabled: boolean | null) => void) | undefined;
  #baud: number;
  #ackTimeoutMs: number;
  #waitForControl: boolean;
  #onEvent: TransportEventListener | undefined;
  #lineState: RemoteLineState = {};
  #resume: (() => void) | undefined;
  #suspended: Promise<void> | undefined;
  #socket: SocketPump;

  /**
   * Wraps an open connection or handle; use the module's `open...` function instead.
   *
   * @param conn the connected socket
   * @param options URL, baud, timeouts, events
   */
  constructor(conn: Deno.TcpConn, options: Rfc2217Options & { url: string; baudRate: number }) {
    this.info = { url: options.url, kind: "rfc2217", modemLines: true };
    this.#baud = options.baudRate;
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 1000;
    this.#waitForControl = options.controlAcks !== "ignore";
    this.#onEvent = options.onEvent;
    this.#socket = new SocketPump(conn, {
      url: options.url,
      onData: (bytes) => {
        for (const item of this.#decoder.feed(bytes)) this.#handle(item);
      },
      onGone: (error) => this.#lost(error),
    });
  }

  /** Bytes from the device. */
  get readable(): ReadableStream<Uint8Array> {
    return this.#inbox.readable;
  }

  /** The baud rate last set. */
  get baudRate(): number {
    return this.#baud;
  }

  /** What the server last notified about its modem and line state. */
  get modemState(): RemoteLineState {
    return { ...this.#lineState };
  }

  /**
   * Starts reading, negotiates COM-PORT-OPTION (waiting up to three acknowledgement timeouts
   * for the answer) and sets the line (8N1 at the baud rate). Rejects with `rfc2217/unsupported`
   * or `rfc2217/no-answer` when the server is no RFC 2217 server.
   */
  async start(): Promise<void> {
    const settled = new Promise<boolean | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), this.#ackTimeoutMs * 3);
      this.#comPortSettled = (enabled) => {
        clearTimeout(timer);
        resolve(enabled);
      };
    });
    await this.#send(this.#options.request());
    const enabled = await settled;
    this.#comPortSettled = undefined;
    if (this.#socket.gone) throw this.#socket.gone;
    if (enabled !== true) throw this.#notRfc2217(enabled === false);
    await Promise.all([
      this.#command(COM_PORT.SET_BAUDRATE, encodeBaud(this.#baud)).then((v) =>
        this.#checkBaud(this.#baud, v)
      ),
      this.#command(COM_PORT.SET_DATASIZE, new Uint8Array([8])),
      this.#command(COM_PORT.SET_PARITY, new Uint8Array([PARITY_NONE])),
      this.#command(COM_PORT.SET_STOPSIZE, new Uint8Array([STOPSIZE_ONE])),
    ]);
  }

  #notRfc2217(refused: boolean): NodeflashError {
    return deviceError(
      refused ? "rfc2217/unsupported" : "rfc2217/no-answer",
      refused
        ? `${this.info.url} refused the RFC 2217 com port option`
        : `${this.info.url} did not answer the RFC 2217 negotiation`,
      "Check that the server speaks RFC 2217 (ser2net: accepter telnet(rfc2217),tcp,...); for a " +
        "raw TCP serial bridge use socket://host:port.",
    );
  }

  #handle(item: TelnetItem): void {
    if (item.type === "data") {
      this.#inbox.push(item.bytes);
    } else if (item.type === "negotiation") {
      const result = this.#options.receive(item.verb, item.option);
      if (result.reply) void this.#send(result.reply).catch(() => {});
      const s = result.settled;
      if (s && s.side === "local" && s.option === OPTION.COM_PORT) {
        this.#comPortSettled?.(s.enabled);
      }
      if (s && !s.enabled && s.option !== OPTION.COM_PORT) {
        this.#notice(`the server refused telnet option ${s.option} (${s.side})`);
      }
    } else if (item.type === "subnegotiation" && item.option === OPTION.COM_PORT) {
      const code = item.payload[0];
      if (code !== undefined) this.#onComPort(code, item.payload.subarray(1));
    }
  }

  #onComPort(code: number, value: Uint8Array): void {
    const command = code - SERVER_OFFSET;
    if (command === COM_PORT.NOTIFY_MODEMSTATE && value.length > 0) {
      this.#lineState.modem = value[0]!;
    } else if (command === COM_PORT.NOTIFY_LINESTATE && value.length > 0) {
      this.#lineState.line = value[0]!;
    } else if (command === COM_PORT.FLOWCONTROL_SUSPEND) this.#suspend();
    else if (command === COM_PORT.FLOWCONTROL_RESUME) this.#resumeWrites();
    else if (command === COM_PORT.SIGNATURE) {
      if (value.length === 0) {
        const sig = new TextEncoder().encode("nodeflash");
        void this.#send(encodeComPort(COM_PORT.SIGNATURE, sig)).catch(() => {});
      } else this.#notice(`server signature: ${new TextDecoder().decode(value)}`);
    }
    const i = this.#waiters.findIndex((w) => w.code === command);
    if (i >= 0) this.#waiters.splice(i, 1)[0]!.settle(value.slice());
  }

  #suspend(): void {
    this.#suspended ??= new Promise((resolve) => this.#resume = resolve);
  }

  #resumeWrites(): void {
    this.#resume?.();
    this.#resume = undefined;
    this.#suspended = undefined;
  }

  #notice(message: string): void {
    emitTransportEvent(this.#onEvent, { type: "notice", url: this.info.url, message });
  }

  /** Sends a COM-PORT command; resolves with the reply value, or `null` after the timeout. */
  async #command(
    code: number,
    value: Uint8Array,
    onReply?: () => void,
  ): Promise<Uint8Array | null> {
    const reply = this.#expect(code, onReply);
    await this.#send(encodeComPort(code, value));
    return await reply;
  }

  #expect(code: number, onReply?: () => void): Promise<Uint8Array | null> {
    return new Promise((resolve) => {
      const started = performance.now();
      const waiter: Waiter = {
        code,
        settle: (v) => {
          clearTimeout(timer);
          if (v !== null) onReply?.();
          resolve(v);
        },
      };
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        if (!this.#socket.closing) {
          emitTransportEvent(this.#onEvent, {
            type: "ack-timeout",
            url: this.info.url,
            option: COM_PORT_NAMES[code] ?? String(code),
            waitedMs: Math.round(performance.now() - started),
          });
        }
        resolve(null);
      }, this.#ackTimeoutMs);
      this.#waiters.push(waiter);
    });
  }

  #send(bytes: Uint8Array): Promise<void> {
    return this.#socket.write(bytes);
  }

  /** The connection is gone: pending reads, acknowledgements and suspended writes end. */
  #lost(error: NodeflashError): void {
    this.#inbox.end(error);
    for (const w of this.#waiters.splice(0)) w.settle(null);
    this.#comPortSettled?.(null);
    this.#resumeWrites();
  }

  #check(): void {
    this.#socket.check();
  }

  /** Sends bytes (0xFF escaped). @param bytes what to send */
  async write(bytes: Uint8Array): Promise<void> {
    this.#check();
    while (this.#suspended) await this.#suspended;
    await this.#send(escapeIac(bytes).slice());
  }

  /** SET-CONTROL DTR and RTS. @param signals `true` = asserted */
  async setSignals(signals: Signals): Promise<void> {
    this.#check();
    const dtr = encodeComPort(
      COM_PORT.SET_CONTROL,
      new Uint8Array([signals.dtr ? CONTROL.DTR_ON : CONTROL.DTR_OFF]),
    );
    const rts = encodeComPort(
      COM_PORT.SET_CONTROL,
      new Uint8Array([signals.rts ? CONTROL.RTS_ON : CONTROL.RTS_OFF]),
    );
    const both = new Uint8Array([...dtr, ...rts]);
    if (!this.#waitForControl) return await this.#send(both);
    const acks = [this.#expect(COM_PORT.SET_CONTROL), this.#expect(COM_PORT.SET_CONTROL)];
    await this.#send(both);
    const replies = await Promise.all(acks);
    if (replies.some((r) => r === null) && !this.#socket.closing) {
      this.#waitForControl = false;
      this.info.modemLines = false;
      emitTransportEvent(this.#onEvent, {
        type: "no-modem-lines",
        url: this.info.url,
        reason: "the server did not acknowledge SET-CONTROL (its port has no modem lines, or " +
          "it ignores them); DTR/RTS commands are still sent but no longer awaited",
      });
    }
  }

  /** SET-BAUDRATE, awaiting the acknowledgement. @param baud the rate */
  async setBaudRate(baud: number): Promise<void> {
    checkBaudRate(baud);
    this.#check();
    const reply = await this.#command(COM_PORT.SET_BAUDRATE, encodeBaud(baud));
    this.#checkBaud(baud, reply);
    this.#baud = baud;
  }

  #checkBaud(requested: number, reply: Uint8Array | null): void {
    const actual = reply === null ? null : decodeBaud(reply);
    if (actual !== null && actual !== requested) {
      emitTransportEvent(this.#onEvent, {
        type: "baud-adjusted",
        url: this.info.url,
        requested,
        actual,
      });
    }
  }

  /** Resolves when earlier writes reached the socket. */
  drain(): Promise<void> {
    return this.#socket.drain();
  }

  /** Drops unread input here and in the server's receive buffer (PURGE-DATA). */
  async discardInput(): Promise<void> {
    this.#check();
    this.#inbox.discard();
    await this.#command(
      COM_PORT.PURGE_DATA,
      new Uint8Array([PURGE_RECEIVE]),
      () => this.#inbox.discard(),
    );
  }

  /** Ends pending reads and closes the connection. */
  close(): Promise<void> {
    if (!this.#socket.closing) {
      this.#inbox.end();
      for (const w of this.#waiters.splice(0)) w.settle(null);
      this.#comPortSettled?.(null);
      this.#resumeWrites();
    }
    return this.#socket.close();
  }
}
