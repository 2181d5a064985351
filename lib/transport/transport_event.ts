/**
 * Things an adapter tells its owner while it works: facts worth a line, never errors. The
 * library never prints; the CLI renders each as a note or a warning (`lib/cli/transport_notes.ts`),
 * tests assert on them.
 *
 * @module
 */

/**
 * A notable fact about a transport.
 *
 * - `no-modem-lines`: DTR/RTS cannot reach the device (a pty, a server that never acknowledges
 *   SET-CONTROL); reported once per transport, after which `info.modemLines` is `false`.
 * - `ack-timeout`: an RFC 2217 server did not acknowledge an option in time; the client carries on.
 * - `stale-lock`: a lock file left by a process that no longer runs was taken over.
 * - `lock-skipped`: the lock file could not be written (the advisory `flock` still holds).
 * - `baud-adjusted`: the other end reports a different baud rate than the one asked for.
 * - `notice`: anything else worth a debug line (telnet options refused, server notifications).
 */
export type TransportEvent =
  | { type: "no-modem-lines"; url: string; reason: string }
  | { type: "ack-timeout"; url: string; option: string; waitedMs: number }
  | { type: "stale-lock"; url: string; lockFile: string; pid: number }
  | { type: "lock-skipped"; url: string; lockFile: string; reason: string }
  | { type: "baud-adjusted"; url: string; requested: number; actual: number }
  | { type: "notice"; url: string; message: string };

/** Receives {@link TransportEvent}s. Must not throw. */
export type TransportEventListener = (event: TransportEvent) => void;

/**
 * Calls `listener` with `event`, swallowing anything the listener throws (a broken debug
 * renderer must not break a flash).
 *
 * @param listener the owner's callback, if any
 * @param event what happened
 *
 * @example
 * ```ts
 * import { emitTransportEvent } from "./transport_event.ts";
 * import assert from "node:assert/strict";
 * const seen: string[] = [];
 * emitTransportEvent((e) => seen.push(e.type), { type: "notice", url: "x", message: "hi" });
 * emitTransportEvent(undefined, { type: "notice", url: "x", message: "nobody listens" });
 * assert.deepEqual(seen, ["notice"]);
 * ```
 */
export function emitTransportEvent(
  listener: TransportEventListener | undefined,
  event: TransportEvent,
): void {
  if (listener === undefined) return;
  try {
    listener(event);
  } catch {
    // A listener's failure is not the transport's failure.
  }
}
