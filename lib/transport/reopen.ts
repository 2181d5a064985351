/**
 * A port that may go away for a moment and come back under the same name: a USB adapter that
 * re-enumerates behind a hub (`/dev/ttyUSB0`, or its `/dev/serial/by-id/...` link), an RFC 2217
 * server that drops the socket while its device is gone, a pty that disappears and returns.
 * {@link ReopenableTransport} forwards to the port it has open; its {@link
 * ReopenableTransport.reopen} closes the dead one and opens the same name again, trying every
 * `pollMs` until `waitMs` have passed. Long operations take the reopen function (the
 * {@link Reopen} type) so the CLI and the Action recover the same way.
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";
import { openTransport, type OpenTransportOptions } from "./open.ts";
import type { Reopen, Signals, Transport, TransportInfo } from "./types.ts";

/** Errors that mean the port is not there (yet): worth another try. */
const NOT_BACK = new Set([
  "port/not-found",
  "port/busy",
  "port/permission",
  "port/unreachable",
  "port/disconnected",
  "port/closed",
  "port/io-failed",
]);

/** Options for {@link ReopenableTransport}. */
export interface ReopenableOptions {
  /** How long to wait for the port to come back, ms. */
  waitMs: number;
  /** Time between tries, ms (250 by default). */
  pollMs?: number;
}

/**
 * A transport that can be opened again by name.
 *
 * @example A port that comes back on the second try
 * ```ts
 * import { ReopenableTransport } from "./reopen.ts";
 * import { createMemoryLink } from "./memory.ts";
 * import { deviceError } from "../errors.ts";
 * import assert from "node:assert/strict";
 * let opens = 0;
 * const open = () => {
 *   opens++;
 *   if (opens === 1) return Promise.reject(deviceError("port/not-found", "not yet"));
 *   return Promise.resolve(createMemoryLink({ receive() {} }, { url: "memory:b" }).transport);
 * };
 * const first = createMemoryLink({ receive() {} }, { url: "memory:a" }).transport;
 * const port = new ReopenableTransport(first, open, { waitMs: 1000, pollMs: 1 });
 * assert.equal(await port.reopen(), port);
 * assert.equal(port.info.url, "memory:b");
 * await port.close();
 * ```
 */
export class ReopenableTransport implements Transport {
  #inner: Transport;
  readonly #open: () => Promise<Transport>;
  readonly #waitMs: number;
  readonly #pollMs: number;
  #closed = false;

  /**
   * Wraps a port opened by `open`.
   *
   * @param inner the port as first opened
   * @param open opens the same port again
   * @param options how long to wait, how often to try
   */
  constructor(inner: Transport, open: () => Promise<Transport>, options: ReopenableOptions) {
    this.#inner = inner;
    this.#open = open;
    this.#waitMs = Math.max(0, options.waitMs);
    this.#pollMs = Math.max(1, options.pollMs ?? 250);
  }

  /** What the port now open is connected to. */
  get info(): TransportInfo {
    return this.#inner.info;
  }

  /** Bytes from the board (the stream of the port now open). */
  get readable(): ReadableStream<Uint8Array> {
    return this.#inner.readable;
  }

  /** The baud rate last set. */
  get baudRate(): number {
    return this.#inner.baudRate;
  }

  /** The transport underneath (it changes when the port is opened again). */
  get current(): Transport {
    return this.#inner;
  }

  /** Sends bytes to the board (on the port now open). */
  write(bytes: Uint8Array): Promise<void> {
    return this.#inner.write(bytes);
  }

  /** Drives DTR and RTS (on the port now open). */
  setSignals(signals: Signals): Promise<void> {
    return this.#inner.setSignals(signals);
  }

  /** Changes the baud rate (of the port now open). */
  setBaudRate(baud: number): Promise<void> {
    return this.#inner.setBaudRate(baud);
  }

  /** Waits until written bytes have left the host. */
  drain(): Promise<void> {
    return this.#inner.drain();
  }

  /** Drops unread input. */
  discardInput(): Promise<void> {
    return this.#inner.discardInput();
  }

  /** Closes the port for good: a wait for it to come back ends. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#inner.close();
  }

  /**
   * Closes the port (it went away) and opens it again, trying until it is back or the wait is
   * over. Fits the {@link Reopen} type.
   *
   * @param options aborts the wait
   * @returns this transport, forwarding to the port opened again
   * @throws NodeflashError `port/gone` when the port did not come back in time, `job/interrupted`
   *   when aborted, or the open's own error when it is not about the port being absent
   */
  readonly reopen: Reopen = async (options = {}) => {
    const { signal } = options;
    const url = this.#inner.info.url;
    await this.#inner.close().catch(() => {});
    const deadline = performance.now() + this.#waitMs;
    let last: unknown;
    for (;;) {
      if (this.#closed || signal?.aborted) {
        throw userError("job/interrupted", `Interrupted while waiting for ${url}`);
      }
      try {
        this.#inner = await this.#open();
        return this;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code !== "string" || !NOT_BACK.has(code)) throw error;
        last = error;
      }
      const left = deadline - performance.now();
      if (left <= 0) break;
      await pause(Math.min(this.#pollMs, left), signal);
    }
    throw deviceError(
      "port/gone",
      `${url} went away and did not come back within ${(this.#waitMs / 1000).toFixed(1)} s`,
      "Check the cable and the USB hub (the kernel log says whether the adapter re-enumerated), then run the same command again; --reconnect-wait waits longer.",
      { cause: last, details: { url, waitedMs: this.#waitMs } },
    );
  };
}

/** Options for {@link openReopenable}. */
export interface OpenReopenableOptions extends OpenTransportOptions, ReopenableOptions {}

/**
 * Opens a port by name or URL (see `openTransport`) so that it can be opened again the same way.
 *
 * @param url `--port`'s value
 * @param options what `openTransport` takes, plus how long to wait for the port to come back
 * @returns the transport
 *
 * @example
 * ```ts
 * import { openReopenable } from "./reopen.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(openReopenable("ttyUSB0", { waitMs: 0 }), { code: "transport/bad-url" });
 * ```
 */
export async function openReopenable(
  url: string,
  options: OpenReopenableOptions,
): Promise<ReopenableTransport> {
  const { waitMs, pollMs, ...open } = options;
  const first = await openTransport(url, open);
  return new ReopenableTransport(first, () => openTransport(url, open), {
    waitMs,
    ...(pollMs === undefined ? {} : { pollMs }),
  });
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
