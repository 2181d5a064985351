/**
 * The board's UART0 as the host sees it: a baud rate derived from a clock divider, the bytes the
 * host sends (with the host's baud rate when the endpoint knows it) and the bytes the board sends
 * back. Bytes sent at a rate the other side is not listening at do not arrive intact: by default
 * they reach the other side as a real UART at the other rate would decode them (framed 8N1 at
 * the sender's rate, resampled at the receiver's: {@link garbleBaud}), in both directions;
 * {@link UartOptions.mismatch} can change that.
 *
 * The ESP8266 UART runs from a clock of twice the crystal frequency in the ROM loader (52 MHz on
 * a 26 MHz board); the divider register UART_CLKDIV (0x60000014) holds clock / baud. The ROM
 * measures the host's rate on the SYNC frame ("autobaud"), up to the fastest rate it recognises
 * ({@link UartOptions.autobaudMaxBaud}: above it the measurement fails and the ROM keeps its
 * divider, so the host's bytes arrive garbled and nothing answers); the stub changes the divider
 * on CHANGE_BAUDRATE.
 *
 * @module
 */

import { garbleBaud } from "./uart_garble.ts";

/** How far apart two baud rates may be and still exchange bytes (3 %). */
export const BAUD_TOLERANCE = 0.03;

/** What happens to bytes sent at the wrong rate. */
export type MismatchHandler = (
  bytes: Uint8Array,
  info: { direction: "to-board" | "to-host"; boardBaud: number; hostBaud: number },
) => Uint8Array;

/** Options for {@link SimUart}. */
export interface UartOptions {
  /** UART clock in Hz (2 × crystal): 52 MHz by default. */
  clockHz?: number;
  /** Initial divider; 115200 baud by default. */
  divider?: number;
  /** Bytes sent at mismatched rates: resampled at the receiver's rate by default. */
  mismatch?: MismatchHandler;
  /** The fastest host rate the ROM's autobaud recognises; {@link DEFAULT_AUTOBAUD_MAX} by default. */
  autobaudMaxBaud?: number;
}

/**
 * The fastest SYNC rate the simulated ROM's autobaud locks onto by default: reports from the
 * field (docs/performance.md#rom-autobaud) have 230400 always working, 460800 mostly, 921600
 * sometimes, and nothing above 921600.
 */
export const DEFAULT_AUTOBAUD_MAX = 921600;

/**
 * The UART between the host and the board's current program.
 *
 * @example
 * ```ts
 * import { SimUart } from "./uart.ts";
 * import assert from "node:assert/strict";
 * const got: number[] = [];
 * const uart = new SimUart();
 * uart.attachHost((b) => got.push(...b));
 * uart.autobaud(115200);
 * assert.equal(uart.divider, 452);
 * uart.send(new Uint8Array([0xc0]));
 * assert.deepEqual(got, [0xc0]);
 * ```
 */
export class SimUart {
  readonly #clockHz: number;
  readonly #mismatch: MismatchHandler;
  readonly #autobaudMax: number;
  #divider: number;
  #hostBaud: number | undefined;
  #host: ((bytes: Uint8Array) => void) | undefined;
  #receiver: ((bytes: Uint8Array) => void) | undefined;
  #autobaud = false;
  #dropped = 0;
  #mismatched = 0;

  /**
   * Creates the UART at 115200 baud.
   *
   * @param options clock, initial divider, mismatch handling
   */
  constructor(options: UartOptions = {}) {
    this.#clockHz = options.clockHz ?? 52_000_000;
    this.#divider = options.divider ?? dividerFor(this.#clockHz, 115200);
    this.#mismatch = options.mismatch ?? garbleMismatch;
    this.#autobaudMax = options.autobaudMaxBaud ?? DEFAULT_AUTOBAUD_MAX;
  }

  /** The UART clock in Hz. */
  get clockHz(): number {
    return this.#clockHz;
  }

  /** UART_CLKDIV: clock / baud. */
  get divider(): number {
    return this.#divider;
  }

  /** The rate the board sends and listens at. */
  get boardBaud(): number {
    return this.#clockHz / this.#divider;
  }

  /** The host's rate, when the endpoint tells it (`undefined` over raw TCP). */
  get hostBaud(): number | undefined {
    return this.#hostBaud;
  }

  /** Bytes lost to baud mismatches so far (sent minus delivered, where fewer arrived). */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /** Bytes sent (either way) while the two rates did not match. */
  get mismatchedBytes(): number {
    return this.#mismatched;
  }

  /** Whether the loader measures the host's rate from what it receives (ROM download mode). */
  get autobauding(): boolean {
    return this.#autobaud;
  }

  /**
   * Sets the divider (the stub's CHANGE_BAUDRATE, or a WRITE_REG to UART_CLKDIV).
   *
   * @param divider clock / baud, 1..0xFFFFF
   */
  setDivider(divider: number): void {
    this.#divider = Math.max(1, Math.min(0xfffff, Math.floor(divider)));
  }

  /**
   * Turns the ROM's autobaud on or off. While on, every byte the host sends at a known rate up to
   * the autobaud limit sets the divider to match it, rounded up as the ROM's measurement does
   * (452 at 115200 on 52 MHz); a faster rate leaves the divider as it was.
   *
   * @param hostBaud measure this rate now, when given
   */
  autobaud(hostBaud?: number): void {
    this.#autobaud = true;
    this.#measure(hostBaud);
  }

  /** Stops autobauding (the stub keeps whatever divider it was given). */
  fixBaud(): void {
    this.#autobaud = false;
  }

  /**
   * Records the host's rate (an RFC 2217 SET-BAUDRATE, a pty's termios, a memory link's
   * `setBaudRate`); `undefined` when the endpoint cannot tell.
   *
   * @param baud the host's rate
   */
  setHostBaud(baud: number | undefined): void {
    this.#hostBaud = baud;
  }

  /**
   * Whether the host is known to listen at `baud` (within the tolerance a UART has).
   *
   * @param baud a rate
   * @returns false when the host's rate is unknown
   */
  hostAt(baud: number): boolean {
    const host = this.#hostBaud;
    return host !== undefined && Math.abs(baud - host) / host <= BAUD_TOLERANCE;
  }

  /**
   * Where bytes for the host go; one host at a time.
   *
   * @param sink receives the board's bytes; `undefined` detaches (bytes are then lost, as on a
   *   UART nobody listens to)
   */
  attachHost(sink: ((bytes: Uint8Array) => void) | undefined): void {
    this.#host = sink;
  }

  /**
   * Where bytes from the host go (the board's current program).
   *
   * @param receiver the program's input
   */
  setReceiver(receiver: ((bytes: Uint8Array) => void) | undefined): void {
    this.#receiver = receiver;
  }

  /**
   * Bytes from the host.
   *
   * @param bytes what arrived
   * @param hostBaud the rate they were sent at, when known (else the last one recorded)
   */
  fromHost(bytes: Uint8Array, hostBaud?: number): void {
    if (hostBaud !== undefined) this.#hostBaud = hostBaud;
    const rate = this.#hostBaud;
    if (this.#autobaud) this.#measure(rate);
    const data = this.#matches(rate) ? bytes : this.#garble(bytes, "to-board", rate!);
    if (data.length > 0) this.#receiver?.(data);
  }

  /**
   * Bytes from the board to the host.
   *
   * @param bytes what the board sends
   */
  send(bytes: Uint8Array): void {
    const rate = this.#hostBaud;
    const data = this.#matches(rate) ? bytes : this.#garble(bytes, "to-host", rate!);
    if (data.length > 0) this.#host?.(data);
  }

  #measure(rate: number | undefined): void {
    if (rate !== undefined && rate <= this.#autobaudMax) {
      this.#divider = dividerFor(this.#clockHz, rate);
    }
  }

  #matches(hostBaud: number | undefined): boolean {
    if (hostBaud === undefined) return true;
    return Math.abs(this.boardBaud - hostBaud) / hostBaud <= BAUD_TOLERANCE;
  }

  #garble(bytes: Uint8Array, direction: "to-board" | "to-host", hostBaud: number): Uint8Array {
    const out = this.#mismatch(bytes, { direction, boardBaud: this.boardBaud, hostBaud });
    this.#mismatched += bytes.length;
    this.#dropped += Math.max(0, bytes.length - out.length);
    return out;
  }
}

/**
 * The default {@link MismatchHandler}: what the receiver's UART decodes.
 *
 * @param bytes what was sent
 * @param info direction and both rates
 * @returns what arrives
 *
 * @example
 * ```ts
 * import { garbleMismatch } from "./uart.ts";
 * import assert from "node:assert/strict";
 * const sent = new TextEncoder().encode("NodeMCU");
 * const heard = garbleMismatch(sent, { direction: "to-host", boardBaud: 115200, hostBaud: 74880 });
 * assert.notDeepEqual(heard, sent);
 * ```
 */
export function garbleMismatch(
  bytes: Uint8Array,
  info: { direction: "to-board" | "to-host"; boardBaud: number; hostBaud: number },
): Uint8Array {
  return info.direction === "to-host"
    ? garbleBaud(bytes, info.boardBaud, info.hostBaud)
    : garbleBaud(bytes, info.hostBaud, info.boardBaud);
}

/**
 * The divider the ROM's autobaud measures for a host rate: clock / baud, rounded up (the
 * measurement counts whole clock ticks), e.g. 452 for 115200 on a 52 MHz UART clock.
 *
 * @param clockHz UART clock
 * @param baud host rate
 * @returns the divider
 *
 * @example
 * ```ts
 * import { dividerFor } from "./uart.ts";
 * import assert from "node:assert/strict";
 * assert.equal(dividerFor(52_000_000, 115200), 452);
 * ```
 */
export function dividerFor(clockHz: number, baud: number): number {
  return Math.min(0xfffff, Math.floor(clockHz / baud) + 1);
}
