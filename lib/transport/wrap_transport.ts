/**
 * A transport made from another one with some members replaced: everything not given is the
 * inner transport's (its `info`, its current `baudRate`, its methods), so a wrapper never goes
 * stale when the interface grows. The simulator's `sim://` port (the board beside the link), the
 * tests' faulty line and adapters that refuse a rate are made with it.
 *
 * @module
 */

import type { Transport } from "./types.ts";

/** The members a wrapper may replace (not `info` or `baudRate`, which stay the inner's). */
export type TransportOverrides = Partial<Omit<Transport, "info" | "baudRate">>;

/**
 * Wraps a transport.
 *
 * @param inner the transport that does the work
 * @param overrides members to replace, and extra members to add
 * @returns the wrapper: `overrides` first, then `inner`
 *
 * @example
 * ```ts
 * import { wrapTransport } from "./wrap_transport.ts";
 * import { createMemoryLink } from "./memory.ts";
 * import assert from "node:assert/strict";
 * const link = createMemoryLink({ receive() {} });
 * const picky = wrapTransport(link.transport, {
 *   setBaudRate: (baud) => baud === 74880 ? Promise.reject(new Error("no 74880")) : link.transport.setBaudRate(baud),
 *   label: "no 74880",
 * });
 * await picky.setBaudRate(9600);
 * assert.equal(picky.baudRate, 9600);
 * await assert.rejects(picky.setBaudRate(74880), /no 74880/);
 * assert.equal(picky.label, "no 74880");
 * await picky.close();
 * ```
 */
export function wrapTransport<X extends TransportOverrides>(
  inner: Transport,
  overrides: X,
): Transport & X {
  const base: Transport = {
    get info() {
      return inner.info;
    },
    get readable() {
      return inner.readable;
    },
    get baudRate() {
      return inner.baudRate;
    },
    write: (bytes) => inner.write(bytes),
    setSignals: (signals) => inner.setSignals(signals),
    setBaudRate: (baud) => inner.setBaudRate(baud),
    drain: () => inner.drain(),
    discardInput: () => inner.discardInput(),
    close: () => inner.close(),
  };
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(overrides)) as
    & Transport
    & X;
}
