/**
 * The board's side of the USB-serial link: one host at a time, the bytes both ways through the
 * fault injector and the time model, and, with pace `realtime`, delivery to the host when the
 * last byte would have left the wire (plus latency and a fault's delay), in order. The USB
 * bridge runs at most at its fastest rate (`bridgeMaxBaud`), whatever the host asks for.
 *
 * @module
 */

import type { FaultInjector } from "./fault_injector.ts";
import type { SimEvent } from "./sim_event.ts";
import type { Arrival, TimeModel } from "./time_model.ts";
import type { SimUart } from "./uart.ts";

/** What the port needs from the board. */
export interface HostPortParts {
  /** UART0 (the port installs itself as its host sink). */
  uart: SimUart;
  /** The time model. */
  model: TimeModel;
  /** The fault injector. */
  faults: FaultInjector;
  /** Reports events. */
  emit(event: SimEvent): void;
  /** Whether anyone listens to events (raw bytes are copied only then). */
  listening(): boolean;
  /** The USB bridge's fastest rate (none by default): asked for more, it runs at it. */
  bridgeMaxBaud?: number;
}

/**
 * The port.
 *
 * @example
 * ```ts
 * import { HostPort } from "./host_port.ts";
 * import { SimUart } from "./uart.ts";
 * import { TimeModel } from "./time_model.ts";
 * import { FaultInjector } from "./fault_injector.ts";
 * import assert from "node:assert/strict";
 * const uart = new SimUart();
 * const faults = new FaultInjector({}, 0, { injected() {}, disconnect() {}, unplug() {}, brownout() {} });
 * const port = new HostPort({ uart, model: new TimeModel(), faults, emit() {}, listening: () => false });
 * const got: number[] = [];
 * port.attach((b) => got.push(...b), "test");
 * uart.send(new Uint8Array([1, 2]));
 * assert.deepEqual(got, [1, 2]);
 * port.dispose();
 * ```
 */
export class HostPort {
  readonly #p: HostPortParts;
  #sink: ((bytes: Uint8Array) => void) | undefined;
  #endpoint: string | undefined;
  #arrival: Arrival = { modelUs: 0 };
  #lastDelivery = 0;
  /** Deliveries on their way, in order (their times never decrease); one timer for the head. */
  readonly #pending: Array<{ at: number; data: Uint8Array; sink: (bytes: Uint8Array) => void }> =
    [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #hangUps = new Set<() => void>();

  /** @param parts UART, time model, faults, events */
  constructor(parts: HostPortParts) {
    this.#p = parts;
    parts.uart.attachHost((bytes) => this.#toHost(bytes));
  }

  /** The connected host's name, if one is connected. */
  get endpoint(): string | undefined {
    return this.#endpoint;
  }

  /** When the last bytes from the host arrived. */
  get arrival(): Arrival {
    return this.#arrival;
  }

  /**
   * Connects a host (replacing any other).
   *
   * @param sink receives the board's bytes
   * @param endpoint a name for events
   */
  attach(sink: (bytes: Uint8Array) => void, endpoint: string): void {
    this.#cancelDeliveries();
    this.#sink = sink;
    this.#endpoint = endpoint;
    this.#p.emit({ type: "host", connected: true, endpoint });
  }

  /** Disconnects the host; bytes on their way to it are lost. */
  detach(): void {
    if (this.#endpoint === undefined) return;
    this.#cancelDeliveries();
    this.#sink = undefined;
    this.#p.emit({ type: "host", connected: false, endpoint: this.#endpoint });
    this.#endpoint = undefined;
  }

  /**
   * Registers what an endpoint does when the link drops (a `disconnect` fault).
   *
   * @param handler closes the endpoint's side
   * @returns a function that unregisters it
   */
  onHangUp(handler: () => void): () => void {
    this.#hangUps.add(handler);
    return () => this.#hangUps.delete(handler);
  }

  /** The link drops: endpoints close their side, the host is gone. */
  hangUp(): void {
    for (const handler of [...this.#hangUps]) handler();
    this.detach();
  }

  /**
   * The rate the USB bridge really runs at when asked for `baud` (its fastest, above it).
   *
   * @param baud the rate the host asked for, when known
   * @returns the rate on the wire
   */
  bridgeRate(baud: number | undefined): number | undefined {
    return baud === undefined ? undefined : Math.min(baud, this.#p.bridgeMaxBaud ?? Infinity);
  }

  /**
   * The host changed its baud rate: the UART hears it at the bridge's rate.
   *
   * @param baud the new rate (`undefined` when unknown)
   */
  setHostBaud(baud: number | undefined): void {
    const rate = this.bridgeRate(baud);
    this.#p.uart.setHostBaud(rate);
    this.#p.emit({ type: "baud", boardBaud: this.#p.uart.boardBaud, hostBaud: rate });
  }

  /**
   * Bytes from the host: counted on the wire, through the faults, into the UART.
   *
   * @param bytes what the host wrote
   * @param asked the host's rate, when known (the bridge's rate applies)
   */
  receive(bytes: Uint8Array, asked?: number): void {
    const uart = this.#p.uart;
    const hostBaud = this.bridgeRate(asked);
    if (this.#p.listening()) this.#p.emit({ type: "rx", bytes: bytes.slice() });
    const data = this.#p.faults.wire("to-board", bytes);
    this.#arrival = this.#p.model.arrive(bytes.length, hostBaud ?? uart.hostBaud ?? uart.boardBaud);
    if (data.length > 0) uart.fromHost(data, hostBaud);
  }

  /**
   * Drops what the board sent that has not reached the host yet (an RFC 2217 client's
   * PURGE-DATA of the access server's receive buffer): the bytes queued on their way (the wire,
   * the USB latency, a `delay` fault) are lost, as in a purged buffer.
   *
   * @returns bytes dropped
   */
  purge(): number {
    const dropped = this.#pending.reduce((n, p) => n + p.data.length, 0);
    this.#cancelDeliveries();
    return dropped;
  }

  /** Cancels deliveries still on their way. */
  dispose(): void {
    this.#cancelDeliveries();
  }

  #toHost(bytes: Uint8Array): void {
    const p = this.#p;
    const delay = p.model.send(bytes.length, p.uart.boardBaud, p.faults.delayMs);
    // Nobody on the other end: the bytes leave the UART and are lost (no link, no link faults).
    if (this.#sink === undefined) return;
    const data = p.faults.wire("to-host", bytes);
    if (data.length === 0) return;
    const now = performance.now();
    const at = Math.max(now + delay, this.#lastDelivery);
    this.#lastDelivery = at;
    if (at <= now && this.#pending.length === 0) {
      this.#sink(data);
      return;
    }
    // One queue and one timer: two timers due in the same millisecond may fire in either order.
    this.#pending.push({ at, data, sink: this.#sink });
    this.#armTimer();
  }

  #armTimer(): void {
    const head = this.#pending[0];
    if (head === undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = performance.now();
      while (this.#pending.length > 0 && this.#pending[0]!.at <= now) {
        const { data, sink } = this.#pending.shift()!;
        if (this.#sink === sink) sink(data);
      }
      this.#armTimer();
    }, Math.max(0, head.at - performance.now()));
  }

  #cancelDeliveries(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.length = 0;
    this.#lastDelivery = 0;
  }
}
