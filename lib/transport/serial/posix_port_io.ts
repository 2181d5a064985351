/**
 * The open POSIX serial port: read pump, writes, modem lines, baud, drain, flush and close over
 * a file descriptor (see `posix_port.ts` for the contract and how it is opened).
 *
 * @module
 */

import type { NodeflashError } from "../../errors.ts";
import { Inbox } from "../inbox.ts";
import { emitTransportEvent, type TransportEventListener } from "../transport_event.ts";
import type { Signals, Transport, TransportInfo } from "../types.ts";
import { checkBaudRate } from "../check_baud_rate.ts";
import { ioFailure } from "./open_failure.ts";
import { portClosed, portDisconnected } from "../port_errors.ts";
import { LOCK, POLL, type PosixSystem } from "./posix_system.ts";

/** Longest a single `poll` waits before the pump looks around again (ms). */
const WAIT_MS = 500;
/** Bytes read per `read` call. */
const READ_CHUNK = 65536;
/** The pump pauses while this many received bytes wait unread. */
const MAX_UNREAD = 16 * 1024 * 1024;
/** Three chunks each closer than this (ms) to the previous one mean a stream is coming in. */
const STREAM_GAP_MS = 3;
/**
 * While a stream comes in (a boot log, a flash read), the pump reads in slices instead of
 * waking for every chunk (each wake-up is a thread hop for `poll` plus an event-loop turn): the
 * first slice is 4 ms, each further one twice as long up to 16 ms or 2 KiB at the current baud
 * rate (at 921600 baud 16 ms is 1.5 KB, inside the 4 KiB line-discipline buffer). A write ends the slice at once and starts over at 4 ms, so the
 * reply to a command is read without delay.
 */
const FIRST_SLICE_MS = 4;
/** Longest slice (ms). */
const MAX_SLICE_MS = 16;

/** Construction details for {@link PosixPort}. */
export interface PosixPortState {
  /** What the port is. */
  info: TransportInfo;
  /** The baud rate it was configured with. */
  baud: number;
  /** Releases the lock file. */
  releaseLock: () => void;
  /** Debug events. */
  onEvent: TransportEventListener | undefined;
}

/**
 * An open POSIX serial port. Made by `openPosixPort`; not meant to be constructed elsewhere.
 *
 * @example
 * ```ts
 * import { openLinuxSerial } from "./linux.ts";
 * import { PosixPort } from "./posix_port_io.ts";
 * import { PtyPair } from "./pty_pair.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "linux") {
 *   const pty = PtyPair.open();
 *   const port = await openLinuxSerial(pty.slavePath, { lockFile: "off" });
 *   assert.ok(port instanceof PosixPort);
 *   await pty.write(new Uint8Array([1, 2]));
 *   assert.deepEqual((await port.readable.getReader().read()).value, new Uint8Array([1, 2]));
 *   await port.close();
 *   pty.close();
 * }
 * ```
 */
export class PosixPort implements Transport {
  readonly info: TransportInfo;
  #sys: PosixSystem;
  #fd: number;
  #wake: [number, number] = [-1, -1];
  #inbox = new Inbox();
  #baud: number;
  #releaseLock: () => void;
  #onEvent: TransportEventListener | undefined;
  #closing = false;
  #closed: Promise<void> | undefined;
  #gone: NodeflashError | undefined;
  #pump: Promise<void> = Promise.resolve();
  #writes: Promise<void> = Promise.resolve();
  #drains = new Set<Promise<number>>();
  #abort: (() => void) | undefined;
  #streaming = false;
  #slice = FIRST_SLICE_MS;
  #endPause: (() => void) | undefined;
  #signal: AbortSignal | undefined;

  /**
   * Wraps an open connection or handle; use the module's `open...` function instead.
   *
   * @param sys the system calls
   * @param fd the configured, locked port
   * @param state info, baud, lock release, events
   */
  constructor(sys: PosixSystem, fd: number, state: PosixPortState) {
    this.#sys = sys;
    this.#fd = fd;
    this.info = state.info;
    this.#baud = state.baud;
    this.#releaseLock = state.releaseLock;
    this.#onEvent = state.onEvent;
  }

  /** Bytes from the device. */
  get readable(): ReadableStream<Uint8Array> {
    return this.#inbox.readable;
  }

  /** The baud rate last set. */
  get baudRate(): number {
    return this.#baud;
  }

  /**
   * Probes the modem lines, makes the wake pipe and starts the read pump.
   *
   * @param signal closes the port when aborted
   */
  start(signal?: AbortSignal): void {
    const pipe = this.#sys.pipe();
    if (pipe === null) {
      throw ioFailure(this.#sys, this.#sys.errno(), "create a wake pipe for", this.info.url);
    }
    this.#wake = pipe;
    const bits = new Uint8Array(4);
    if (this.#sys.ioctl(this.#fd, this.#sys.constants.tiocmget, bits) !== 0) {
      void this.#modemFailure(this.#sys.errno(), "read the modem lines of").catch(() => {});
    }
    this.#pump = this.#readLoop().catch((e) => {
      if (!this.#closing) this.#inbox.end(e);
    });
    if (signal) {
      this.#signal = signal;
      this.#abort = () => void this.close();
      signal.addEventListener("abort", this.#abort, { once: true });
    }
  }

  async #readLoop(): Promise<void> {
    const sys = this.#sys;
    const E = sys.constants.errno;
    const buf = new Uint8Array(READ_CHUNK);
    let hangUp = false;
    let lastData = -Infinity;
    let close = 0;
    let paused = false;
    while (!this.#closing) {
      const n = sys.read(this.#fd, buf);
      if (n > 0) {
        this.#inbox.push(buf.subarray(0, n));
        hangUp = false;
        const now = performance.now();
        // Data right after a pause, or three chunks close together: a stream is coming in.
        close = now - lastData < STREAM_GAP_MS ? close + 1 : 0;
        if (paused || close >= 2) this.#streaming = true;
        lastData = now;
        paused = false;
        continue;
      }
      if (n === 0) return void this.#vanish("hang-up");
      const e = sys.errno();
      if (e !== E.EAGAIN && e !== E.EINTR) return void this.#vanish(errnoName(sys, e));
      if (hangUp) return void this.#vanish("hang-up");
      while (this.#inbox.buffered > MAX_UNREAD && !this.#closing) await this.#pause(10);
      if (this.#streaming && !paused) {
        // Let the stream fill the driver's buffer instead of waking for every USB frame.
        this.#streaming = false;
        await this.#pause(this.#slice);
        this.#slice = Math.min(this.#slice * 2, this.#maxSlice());
        paused = true;
        continue;
      }
      paused = false;
      this.#slice = FIRST_SLICE_MS;
      const revents = await this.#waitFor(POLL.IN);
      if (revents < 0) return;
      if (revents & (POLL.ERR | POLL.HUP | POLL.NVAL)) hangUp = true;
    }
  }

  /** Longest slice: 16 ms, or less when that would collect more than 2 KiB at this baud rate. */
  #maxSlice(): number {
    const bytesPerMs = this.#baud / 10 / 1000;
    return Math.max(FIRST_SLICE_MS, Math.min(MAX_SLICE_MS, Math.floor(2048 / bytesPerMs)));
  }

  /** Sleeps `ms`, or less when a write (a request expecting a prompt reply) or close comes. */
  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#endPause = done;
    }).then(() => {
      this.#endPause = undefined;
    });
  }

  /** Waits until the fd has `events` or the port closes: revents, 0 on timeout, -1 if closing. */
  async #waitFor(events: number): Promise<number> {
    const fds = new Uint8Array(16);
    const v = new DataView(fds.buffer);
    v.setInt32(0, this.#fd, true);
    v.setInt16(4, events, true);
    v.setInt32(8, this.#wake[0], true);
    v.setInt16(12, POLL.IN, true);
    const r = await this.#sys.poll(fds, 2, WAIT_MS);
    if (this.#closing) return -1;
    return r > 0 ? v.getInt16(6, true) : 0;
  }

  #vanish(reason: string): NodeflashError {
    if (this.#gone === undefined) {
      this.#gone = portDisconnected(this.info.url, reason);
      if (!this.#closing) this.#inbox.end(this.#gone);
    }
    return this.#gone;
  }

  #check(): void {
    if (this.#gone) throw this.#gone;
    if (this.#closing) throw portClosed(this.info.url);
  }

  /**
   * Sends bytes; resolves when the OS has them all.
   *
   * @param bytes what to send
   */
  write(bytes: Uint8Array): Promise<void> {
    this.#streaming = false;
    this.#slice = FIRST_SLICE_MS;
    this.#endPause?.();
    const copy = bytes.slice();
    const run = this.#writes.then(() => this.#writeAll(copy));
    this.#writes = run.catch(() => {});
    return run;
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    const sys = this.#sys;
    const E = sys.constants.errno;
    let offset = 0;
    while (offset < bytes.length) {
      this.#check();
      const n = sys.write(this.#fd, bytes.subarray(offset));
      if (n > 0) {
        offset += n;
        continue;
      }
      const e = n < 0 ? sys.errno() : E.EAGAIN;
      if (e !== E.EAGAIN && e !== E.EINTR) throw this.#vanish(errnoName(sys, e));
      const revents = await this.#waitFor(POLL.OUT);
      if (revents < 0) throw portClosed(this.info.url);
      if ((revents & (POLL.ERR | POLL.HUP | POLL.NVAL)) && !(revents & POLL.OUT)) {
        throw this.#vanish("hang-up");
      }
    }
  }

  /**
   * Drives DTR and RTS together (`true` = asserted).
   *
   * @param signals the wanted line states
   */
  setSignals(signals: Signals): Promise<void> {
    this.#check();
    if (!this.info.modemLines) return Promise.resolve();
    const sys = this.#sys;
    const c = sys.constants;
    const bits = new Uint8Array(4);
    const v = new DataView(bits.buffer);
    if (sys.ioctl(this.#fd, c.tiocmget, bits) !== 0) {
      return this.#modemFailure(sys.errno(), "read the modem lines of");
    }
    let lines = v.getInt32(0, true);
    lines = signals.dtr ? lines | c.tiocmDtr : lines & ~c.tiocmDtr;
    lines = signals.rts ? lines | c.tiocmRts : lines & ~c.tiocmRts;
    v.setInt32(0, lines, true);
    if (sys.ioctl(this.#fd, c.tiocmset, bits) !== 0) {
      return this.#modemFailure(sys.errno(), "set DTR/RTS on");
    }
    return Promise.resolve();
  }

  #modemFailure(errno: number, verb: string): Promise<void> {
    const E = this.#sys.constants.errno;
    if (errno === E.ENOTTY || errno === E.EINVAL || errno === E.ENOTSUP) {
      if (this.info.modemLines) {
        this.info.modemLines = false;
        emitTransportEvent(this.#onEvent, {
          type: "no-modem-lines",
          url: this.info.url,
          reason: `${errnoName(this.#sys, errno)} on "${verb}": this device has no DTR/RTS`,
        });
      }
      return Promise.resolve();
    }
    if (errno === E.EIO || errno === E.ENXIO || errno === E.ENODEV) {
      return Promise.reject(this.#vanish(errnoName(this.#sys, errno)));
    }
    return Promise.reject(ioFailure(this.#sys, errno, verb, this.info.url));
  }

  /**
   * Changes the baud rate after the bytes already written have left.
   *
   * @param baud any positive integer rate
   */
  async setBaudRate(baud: number): Promise<void> {
    checkBaudRate(baud);
    await this.drain();
    this.#check();
    if (this.#sys.setBaud(this.#fd, baud) !== 0) {
      const e = this.#sys.errno();
      const E = this.#sys.constants.errno;
      if (e === E.EIO || e === E.ENXIO || e === E.ENODEV) {
        throw this.#vanish(errnoName(this.#sys, e));
      }
      throw ioFailure(this.#sys, e, `set ${baud} baud on`, this.info.url);
    }
    const actual = this.#sys.readBaud(this.#fd);
    if (actual !== null && actual !== baud) {
      emitTransportEvent(this.#onEvent, {
        type: "baud-adjusted",
        url: this.info.url,
        requested: baud,
        actual,
      });
    }
    this.#baud = baud;
  }

  /** Waits until the OS has sent what was written (`tcdrain`, off the main thread). */
  async drain(): Promise<void> {
    await this.#writes;
    this.#check();
    const pending = this.#sys.tcdrain(this.#fd);
    this.#drains.add(pending);
    try {
      await pending;
    } finally {
      this.#drains.delete(pending);
    }
  }

  /** Drops input not yet read, in the driver and here. */
  discardInput(): Promise<void> {
    this.#check();
    this.#sys.tcflush(this.#fd, this.#sys.constants.tciflush);
    this.#inbox.discard();
    return Promise.resolve();
  }

  /** Ends pending reads, then releases the port, its locks and the library. */
  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    this.#closing = true;
    this.#inbox.end();
    if (this.#signal && this.#abort) this.#signal.removeEventListener("abort", this.#abort);
    const sys = this.#sys;
    if (this.#wake[1] >= 0) sys.write(this.#wake[1], new Uint8Array([1]));
    this.#endPause?.();
    await this.#pump;
    await this.#writes;
    await Promise.allSettled([...this.#drains]);
    sys.ioctlNoArg(this.#fd, sys.constants.tiocnxcl);
    sys.flock(this.#fd, LOCK.UN);
    sys.close(this.#fd);
    for (const fd of this.#wake) if (fd >= 0) sys.close(fd);
    this.#releaseLock();
    sys.unload();
  }
}

function errnoName(sys: PosixSystem, errno: number): string {
  const names = sys.constants.errno as unknown as Record<string, number>;
  const name = Object.keys(names).find((k) => names[k] === errno);
  return `${name ?? `errno ${errno}`}: ${sys.describeErrno(errno)}`;
}
