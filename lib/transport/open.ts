/**
 * Opens a transport from what the user passes as `--port`:
 *
 * - a device path (`/dev/ttyUSB0`, `/dev/serial/by-id/...`, `/dev/cu.*`, `COM3`) -> the serial
 *   adapter for this OS (FFI, needs `--allow-ffi`),
 * - `rfc2217://host:port[?ign_set_control&ack_timeout=ms]` -> the RFC 2217 client,
 * - `socket://host:port` -> raw TCP,
 * - any scheme registered at run time (`sim://`, registered by `mod.ts` so that transport/ never
 *   imports the simulator).
 *
 * Adapters are loaded with dynamic `import()`, so opening a TCP port never loads FFI code.
 *
 * Scheme registration: {@link TransportRegistry} holds openers without any global state; the
 * convenience functions {@link registerTransportScheme} and {@link openTransport} use one
 * process-wide registry (the only module-level state in transport/, on purpose: a scheme table
 * is process-wide by nature, like `mod.ts` registering `sim://` once).
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { PosixPortOptions } from "./serial/posix_port.ts";
import type { Rfc2217Options } from "./rfc2217.ts";
import { parseTransportUrl } from "./transport_url.ts";
import type { Transport } from "./types.ts";

/** Options for {@link openTransport}: everything any adapter accepts. */
export interface OpenTransportOptions extends PosixPortOptions {
  /** RFC 2217: how long to wait for each acknowledgement (ms). */
  ackTimeoutMs?: Rfc2217Options["ackTimeoutMs"];
  /** RFC 2217: `"ignore"` never waits for SET-CONTROL acknowledgements. */
  controlAcks?: Rfc2217Options["controlAcks"];
}

/** Opens a transport for a URL of a registered scheme. */
export type TransportOpener = (url: string, options: OpenTransportOptions) => Promise<Transport>;

const BUILT_IN = new Set(["rfc2217", "socket"]);

/**
 * A table of run-time schemes plus the built-in forms.
 *
 * @example
 * ```ts
 * import { TransportRegistry } from "./open.ts";
 * import { createMemoryLink } from "./memory.ts";
 * import assert from "node:assert/strict";
 * const registry = new TransportRegistry();
 * registry.register("loop", (url) => Promise.resolve(createMemoryLink({ receive() {} }, { url }).transport));
 * const t = await registry.open("loop://");
 * assert.equal(t.info.url, "loop://");
 * await t.close();
 * await assert.rejects(registry.open("nope://x"), { code: "transport/unknown-scheme" });
 * ```
 */
export class TransportRegistry {
  #openers = new Map<string, TransportOpener>();

  /**
   * Registers (or replaces) the opener of a scheme.
   *
   * @param scheme lower-case scheme without `:` (`sim`)
   * @param opener opens URLs of that scheme
   */
  register(scheme: string, opener: TransportOpener): void {
    const name = scheme.toLowerCase().replace(/:\/*$/, "");
    if (!/^[a-z][a-z0-9+.-]+$/.test(name) || BUILT_IN.has(name)) {
      throw userError("transport/bad-scheme", `Cannot register the scheme "${scheme}"`);
    }
    this.#openers.set(name, opener);
  }

  /** The registered schemes, sorted. */
  get schemes(): string[] {
    return [...this.#openers.keys()].sort();
  }

  /**
   * Opens a port string.
   *
   * @param url `--port`'s value
   * @param options baud rate, events, locking, RFC 2217 timeouts
   * @returns the transport
   */
  async open(url: string, options: OpenTransportOptions = {}): Promise<Transport> {
    const target = parseTransportUrl(url, { schemes: this.schemes });
    switch (target.kind) {
      case "serial": {
        const { openSerial } = await import("./serial/open_serial.ts");
        return await openSerial(target.path, options);
      }
      case "tcp": {
        const { openTcp } = await import("./tcp.ts");
        return await openTcp(target.host, target.port, {
          ...baseOptions(options),
          url: target.url,
        });
      }
      case "rfc2217": {
        const { openRfc2217, rfc2217UrlOptions } = await import("./rfc2217.ts");
        return await openRfc2217(target.host, target.port, {
          ...baseOptions(options),
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          ...(options.ackTimeoutMs !== undefined ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
          ...(options.controlAcks !== undefined ? { controlAcks: options.controlAcks } : {}),
          ...rfc2217UrlOptions(target.params, target.url),
          url: target.url,
        });
      }
      case "scheme": {
        const opener = this.#openers.get(target.scheme);
        if (opener === undefined) {
          const known = ["rfc2217", "socket", ...this.schemes].map((s) => `${s}://`).join(", ");
          throw userError(
            "transport/unknown-scheme",
            `Cannot open "${url}": unknown scheme "${target.scheme}:"`,
            `Use a serial device path (/dev/ttyUSB0, COM3) or one of ${known}.`,
          );
        }
        return await opener(url, options);
      }
    }
  }
}

function baseOptions(options: OpenTransportOptions): { baudRate?: number; signal?: AbortSignal } {
  return {
    ...(options.baudRate !== undefined ? { baudRate: options.baudRate } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** The process-wide registry, created on first use (see the module doc). */
let shared: TransportRegistry | undefined;

function processRegistry(): TransportRegistry {
  shared ??= new TransportRegistry();
  return shared;
}

/**
 * Registers a scheme for {@link openTransport} (process-wide). `mod.ts` registers `sim` this way,
 * with an opener that imports the simulator lazily.
 *
 * @param scheme lower-case scheme without `:` (`sim`)
 * @param opener opens URLs of that scheme
 *
 * @example
 * ```ts
 * import { openTransport, registerTransportScheme } from "./open.ts";
 * import { createMemoryLink } from "./memory.ts";
 * import assert from "node:assert/strict";
 * registerTransportScheme("echo-doc", (url) => Promise.resolve(createMemoryLink({ receive() {} }, { url }).transport));
 * const t = await openTransport("echo-doc://");
 * assert.equal(t.info.kind, "memory");
 * await t.close();
 * ```
 */
export function registerTransportScheme(scheme: string, opener: TransportOpener): void {
  processRegistry().register(scheme, opener);
}

/**
 * Opens a transport from a port string (see the module doc for the forms).
 *
 * @param url `--port`'s value
 * @param options baud rate, events, locking, RFC 2217 timeouts, abort signal
 * @returns the open transport
 *
 * @example
 * ```ts
 * import { openTransport } from "./open.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(openTransport("ttyUSB0"), { code: "transport/bad-url" });
 * await assert.rejects(openTransport("gopher://x"), { code: "transport/unknown-scheme" });
 * ```
 */
export function openTransport(url: string, options: OpenTransportOptions = {}): Promise<Transport> {
  return processRegistry().open(url, options);
}
