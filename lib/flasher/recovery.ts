/**
 * Recovery inside one command. A long operation (write, read, erase, verify) that hits a fault
 * hands it to {@link Recovery.heal}, which finds out what state the board is in and brings the
 * session back, or gives up with the fault:
 *
 * - the port vanished (a USB adapter re-enumerating, an RFC 2217 server dropping the socket):
 *   wait for it through the caller's {@link Reopen} function, then connect again;
 * - otherwise ask the loader whether it still listens (one SYNC, with a lone `C0` first to end
 *   any half-received frame). After a lost or damaged frame (no reply, data that failed its
 *   check), the same loader answering means only the exchange was lost: the operation resumes
 *   from what the chip holds;
 * - the loader reporting an error, a second fault at the same point, nothing answering, the
 *   ROM answering where the stub ran, or the board's own words on the line (ROM text such as
 *   `rst cause:1`, a stub's unsolicited `OHAI`: the board restarted, a brown-out) leave its
 *   state unknown: re-sync from scratch (reset into the loader when the wiring allows, upload
 *   the stub again, same baud and flash settings) and resume.
 *
 * The operation then asks the chip by MD5 which sectors already hold the right bytes
 * (resume.ts) and goes on from the first wrong one. Every recovery arrives as a `recovered`
 * event with its cause. They are bounded: `retries` recoveries in a row without progress
 * (default {@link DEFAULT_RETRIES}; 0 fails at the first fault), and a board that restarts
 * {@link MAX_RESTARTS} times in one command fails with `flash/power-unstable`, since that is
 * its supply, not the line.
 *
 * @module
 */

import { hex32 } from "../bytes/hex.ts";
import type { Session, StubSession } from "../chip/session.ts";
import { deviceError, isNodeflashError, userError } from "../errors.ts";
import type { Reopen, Transport } from "../transport/types.ts";
import { probeLoader, restarted } from "./board_state.ts";
import type { FlashEvent, OnFlashEvent, RecoveryCause } from "./events.ts";
import { openSession, type OpenSessionOptions, type ReadySession } from "./open_session.ts";

/** Recoveries allowed in a row without progress, by default. */
export const DEFAULT_RETRIES = 5;

/** Restarts of the board in one command after which its power is blamed. */
export const MAX_RESTARTS = 3;

/** The rate the ROM loader syncs at. */
const SYNC_BAUD = 115200;

/** Codes that mean the port itself is gone (not the board's answer). */
const PORT_LOST = new Set(["port/disconnected", "port/closed", "port/write", "port/io-failed"]);

/** Codes no recovery can help. */
const FINAL = new Set(["port/gone", "flash/power-unstable", "job/interrupted"]);

/** How a command recovers from faults. */
export interface RecoveryOptions {
  /**
   * Recoveries allowed in a row without progress (default {@link DEFAULT_RETRIES}); 0 fails at
   * the first fault.
   */
  retries?: number;
  /** Opens the port again after it vanished; without it a vanished port ends the command. */
  reopen?: Reopen;
}

/** Everything a {@link Recovery} needs: how to open a session, and how to recover. */
export interface RecoverySessionOptions extends OpenSessionOptions, RecoveryOptions {}

/** Where a fault happened, for events and messages. */
export interface FaultPlace {
  /** What was being done (`writing fw.bin`). */
  what: string;
  /** The address reached. */
  address: number;
}

/**
 * The error a fault really was: `flash/interrupted` and friends wrap it with the address
 * reached; the recovery looks through them.
 *
 * @param error what an operation threw
 * @returns the innermost `NodeflashError` of the chain (or the error itself)
 *
 * @example
 * ```ts
 * import { rootFault } from "./recovery.ts";
 * import { deviceError } from "../errors.ts";
 * const inner = deviceError("protocol/timeout", "No reply");
 * const outer = deviceError("flash/interrupted", "Writing stopped", undefined, { cause: inner });
 * if (rootFault(outer) !== inner) throw new Error();
 * ```
 */
export function rootFault(error: unknown): unknown {
  let e = error;
  while (isNodeflashError(e) && WRAPPERS.has(e.code) && isNodeflashError(e.cause)) e = e.cause;
  return e;
}

/** Errors that wrap a fault with the address an operation reached. */
const WRAPPERS = new Set([
  "flash/interrupted",
  "read/interrupted",
  "erase/interrupted",
  "job/interrupted",
]);

/**
 * The session as a stub session, for work that needs the stub (a recovery connects again with
 * the loader the job asked for, so a stub job stays a stub job).
 *
 * @param session the session
 * @returns the same session
 * @throws TypeError for a ROM session
 *
 * @example
 * ```ts
 * import { stubOf } from "./recovery.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => stubOf({ kind: "rom" } as never), TypeError);
 * ```
 */
export function stubOf(session: Session): StubSession {
  if (session.kind !== "stub") throw new TypeError("this needs a stub session");
  return session;
}

/**
 * The session of one command, kept alive through faults.
 *
 * @example A clean job needs no recovery
 * ```ts
 * import { Recovery } from "./recovery.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import assert from "node:assert/strict";
 * const port = await openSimTransport("sim://");
 * const recovery = new Recovery(port, { retries: 2 });
 * const ready = await recovery.open();
 * assert.equal(ready.session.kind, "stub");
 * assert.equal(recovery.count, 0);
 * await port.close();
 * ```
 */
export class Recovery {
  readonly #options: RecoverySessionOptions;
  readonly #retries: number;
  #transport: Transport;
  #ready: ReadySession | undefined;
  #count = 0;
  #streak = 0;
  readonly #restarts: number[] = [];
  #stale = true; // no usable session: until open() or a recovery connects
  #greetings = 0;

  /**
   * Prepares the recovery of a job; {@link Recovery.open} then connects.
   *
   * @param transport the port, open at the sync rate (115200)
   * @param options how to open the session, retries, reopen, events
   */
  constructor(transport: Transport, options: RecoverySessionOptions = {}) {
    this.#transport = transport;
    this.#options = options;
    this.#retries = Math.max(0, options.retries ?? DEFAULT_RETRIES);
  }

  /** The transport in use (a new one after the port was reopened). */
  get transport(): Transport {
    return this.#transport;
  }

  /** The ready session (after {@link Recovery.open}). */
  get ready(): ReadySession {
    if (this.#ready === undefined) throw new TypeError("Recovery.open() was not called");
    return this.#ready;
  }

  /** The session to use now: it changes when a recovery connects again. */
  get session(): Session {
    return this.ready.session;
  }

  /** Recoveries so far (resent blocks included). */
  get count(): number {
    return this.#count;
  }

  /** Recoveries allowed in a row without progress. */
  get retries(): number {
    return this.#retries;
  }

  /** How often a block may be sent when the stub says it arrived damaged. */
  get blockAttempts(): number {
    return Math.min(3, this.#retries + 1);
  }

  /**
   * Reports an event; a `retry` (a block sent again after a checksum error) is reported as a
   * `recovered` event and counted.
   *
   * @param event the event
   */
  emit(event: FlashEvent): void {
    const on = this.#options.onEvent;
    if (event.type !== "retry") return on?.(event);
    this.#count++;
    on?.({
      type: "recovered",
      cause: "checksum-error",
      action: "resent",
      what: `writing ${event.name} (block ${event.block})`,
      address: event.address,
      count: this.#count,
      message: `The stub said block ${event.block} arrived damaged (${event.reason})`,
    });
  }

  /** The event handler for operations: {@link Recovery.emit}. */
  readonly onEvent: OnFlashEvent = (event) => this.emit(event);

  /**
   * Connects and prepares the board, recovering from faults on the way (a lost frame during the
   * stub upload, a baud change whose reply was lost).
   *
   * @returns the ready session
   */
  async open(): Promise<ReadySession> {
    try {
      this.#ready = await openSession(this.#transport, {
        ...this.#options,
        onEvent: this.onEvent,
      });
      this.#greetings = 0;
      this.#stale = false;
    } catch (error) {
      // a failed connect is final: connect made its own attempts and says why
      if (isNodeflashError(error) && error.code.startsWith("connect/")) throw error;
      await this.heal(error, { what: "preparing the board", address: 0 });
    }
    return this.ready;
  }

  /**
   * Runs `work` on the current session, recovering from faults and running it again.
   *
   * @param place what is done where, for events
   * @param work the work
   * @returns what the work returns
   */
  async retrying<T>(place: FaultPlace, work: (session: Session) => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work(this.session);
      } catch (error) {
        await this.heal(error, place);
      }
    }
  }

  /** The operation moved forward: the count of recoveries in a row starts again. */
  progress(): void {
    this.#streak = 0;
  }

  /**
   * Recovers from a fault: brings the session back (see the module doc) and reports it, or
   * throws when it cannot (not a fault of the line or the board, the caller aborted, too many
   * recoveries in a row, a board that keeps restarting, a port that did not come back).
   *
   * @param error what the operation threw
   * @param place what was done where
   * @returns the session to continue with
   */
  async heal(error: unknown, place: FaultPlace): Promise<Session> {
    let fault = error;
    for (;;) {
      if (this.#options.signal?.aborted) throw interrupted(fault, place);
      if (!this.#healable(fault)) throw fault;
      if (this.#streak >= this.#retries) throw fault;
      this.#streak++;
      try {
        const done = await this.#restore(rootFault(fault), place);
        this.#count++;
        this.#options.onEvent?.({
          type: "recovered",
          ...done,
          what: place.what,
          address: place.address,
          count: this.#count,
          message: messageOf(rootFault(fault)),
        });
        return this.session;
      } catch (next) {
        fault = next;
      }
    }
  }

  #healable(error: unknown): boolean {
    if (this.#options.signal?.aborted) return false;
    const root = rootFault(error);
    if (!isNodeflashError(root) || root.kind !== "device" || FINAL.has(root.code)) return false;
    if (isNodeflashError(error) && FINAL.has(error.code)) return false;
    return !(PORT_LOST.has(root.code) && this.#options.reopen === undefined);
  }

  async #restore(
    root: unknown,
    place: FaultPlace,
  ): Promise<{ cause: RecoveryCause; action: "resumed" | "resynced" | "reopened" }> {
    const code = isNodeflashError(root) ? root.code : "";
    if (PORT_LOST.has(code)) {
      await this.#reopen(root);
      await this.#resync();
      return { cause: "port-lost", action: "reopened" };
    }
    if (this.#stale) {
      // the last attempt to connect again failed half way: start over
      await this.#resync();
      return { cause: causeOf(code), action: "resynced" };
    }
    const session = this.session;
    const conn = session.conn;
    const heard = conn.takeGarbage();
    const answering = await probeLoader(conn);
    const greetings = conn.greetings - this.#greetings;
    this.#greetings = conn.greetings;
    const restart = restarted({ expected: session.kind, answering, heard, greetings });
    if (restart) this.#restarted(place);
    const cause = restart ? "board-restarted" : causeOf(code);
    // A lost or damaged frame leaves the loader as it was: it answered, the operation goes on.
    // An error it reported, or a second fault at the same point, leaves its state unknown.
    const light = cause === "no-reply" || cause === "verify-mismatch" || cause === "bad-data";
    if (light && answering === session.kind && this.#streak === 1) {
      return { cause, action: "resumed" };
    }
    await this.#resync();
    return { cause, action: "resynced" };
  }

  #restarted(place: FaultPlace): void {
    this.#restarts.push(place.address);
    if (this.#restarts.length < MAX_RESTARTS) return;
    const where = this.#restarts.map((a) => hex32(a)).join(", ");
    throw deviceError(
      "flash/power-unstable",
      `The board on ${this.#transport.info.url} restarted ${this.#restarts.length} times while ${place.what} (at ${where}): its power supply is not holding up`,
      "Power the board from another USB port or a powered hub with a short data cable; a 470 µF capacitor across 3.3 V and GND helps a board that browns out when the flash or the Wi-Fi draws current. A lower --baud does not help here.",
      { details: { restarts: this.#restarts.length, addresses: [...this.#restarts] } },
    );
  }

  async #reopen(root: unknown): Promise<void> {
    const reopen = this.#options.reopen;
    if (reopen === undefined) throw root;
    this.#options.onEvent?.({
      type: "note",
      code: "port/waiting",
      message: `${this.#transport.info.url} went away: waiting for it to come back`,
    });
    this.#stale = true;
    this.#ready?.session.conn.release();
    this.#transport = await reopen(
      this.#options.signal === undefined ? {} : { signal: this.#options.signal },
    );
  }

  /** Connects again from scratch: reset into the loader (when wired), stub, baud, flash. */
  async #resync(): Promise<void> {
    this.#stale = true;
    this.#ready?.session.conn.release();
    await this.#transport.setBaudRate(SYNC_BAUD);
    // the first session's events (chip, flash) are news; a recovery's are not
    const first = this.#ready === undefined;
    this.#ready = await openSession(this.#transport, {
      ...this.#options,
      onEvent: first ? this.onEvent : () => {},
    });
    this.#greetings = 0;
    this.#stale = false;
  }
}

/** The error of a job its caller stopped: the fault's own when it names the address reached. */
function interrupted(error: unknown, place: FaultPlace): unknown {
  if (isNodeflashError(error) && typeof error.details?.reached === "number") return error;
  return userError(
    "job/interrupted",
    `Stopped while ${place.what}, at ${hex32(place.address)}`,
    undefined,
    { cause: error, details: { reached: place.address } },
  );
}

function causeOf(code: string): RecoveryCause {
  if (code === "protocol/timeout" || code.endsWith("/timeout")) return "no-reply";
  if (code === "flash/verify-failed") return "verify-mismatch";
  if (code.startsWith("read/")) return "bad-data";
  return "stub-error";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
