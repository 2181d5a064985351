/**
 * Rendering the transport's events ({@link TransportEvent}): facts about the port a user may
 * want to know (no DTR/RTS, an RFC 2217 server that does not answer, a stale lock taken over).
 * Each becomes one line on stderr: a warning for what can change the outcome (an option the
 * server never acknowledged, a baud rate other than the one asked for), a note for the rest.
 * With `--json` they are JSON events on stdout: `{"type":"warning","code":"transport/…"}` (as
 * every warning of the CLI) and `{"type":"note","code":"transport/…"}` (as the flasher's notes).
 * The same fact is said once per port, however often the transport repeats it.
 *
 * @module
 */

import type { TransportEvent, TransportEventListener } from "../transport/mod.ts";
import type { Output } from "./output.ts";

/** How the CLI says one transport event. */
export interface TransportNote {
  /** `warning` when it can change the outcome, `info` otherwise. */
  level: "warning" | "info";
  /** A stable code for JSON consumers (`transport/no-modem-lines`). */
  code: string;
  /** One line of text. */
  message: string;
}

/**
 * The words for one transport event.
 *
 * @param e the event
 * @returns level, code and message
 *
 * @example
 * ```ts
 * import { transportNote } from "./transport_notes.ts";
 * import assert from "node:assert/strict";
 * const note = transportNote({ type: "stale-lock", url: "/dev/ttyUSB0", lockFile: "/run/lock/LCK..ttyUSB0", pid: 42 });
 * assert.equal(note.level, "info");
 * assert.equal(note.code, "transport/stale-lock");
 * assert.match(note.message, /process 42/);
 * ```
 */
export function transportNote(e: TransportEvent): TransportNote {
  switch (e.type) {
    case "no-modem-lines":
      return {
        level: "info",
        code: "transport/no-modem-lines",
        message: `no DTR/RTS control on ${e.url}: ${e.reason}`,
      };
    case "ack-timeout":
      return {
        level: "warning",
        code: "transport/ack-timeout",
        message: `${e.url} did not acknowledge ${e.option} within ${e.waitedMs} ms; ` +
          "carrying on without the acknowledgement",
      };
    case "stale-lock":
      return {
        level: "info",
        code: "transport/stale-lock",
        message: `${e.url}: took over the lock file ${e.lockFile} left by process ${e.pid}, ` +
          "which no longer runs",
      };
    case "lock-skipped":
      return {
        level: "info",
        code: "transport/lock-skipped",
        message: `${e.url}: no lock file written (${e.reason}); flock still keeps other ` +
          "nodeflash processes out",
      };
    case "baud-adjusted":
      return {
        level: "warning",
        code: "transport/baud-adjusted",
        message: `${e.url} runs at ${e.actual} baud, not the ${e.requested} asked for`,
      };
    case "notice":
      return { level: "info", code: "transport/notice", message: `${e.url}: ${e.message}` };
  }
}

/** What makes two events the same fact (timings left out). */
function sameFact(e: TransportEvent): string {
  switch (e.type) {
    case "ack-timeout":
      return `${e.type} ${e.url} ${e.option}`;
    case "baud-adjusted":
      return `${e.type} ${e.url} ${e.requested} ${e.actual}`;
    case "notice":
      return `${e.type} ${e.url} ${e.message}`;
    default:
      return `${e.type} ${e.url}`;
  }
}

/**
 * A listener that renders transport events to `out`, each fact once. Make one per opened
 * transport.
 *
 * @param out the CLI's output
 * @returns the listener to pass as `onEvent` when opening the transport
 *
 * @example
 * ```ts
 * import { Output } from "./output.ts";
 * import { renderTransportEvents } from "./transport_notes.ts";
 * import assert from "node:assert/strict";
 * let err = "";
 * const out = new Output({ stdout: () => {}, stderr: (t) => err += t, stderrIsTerminal: false }, { json: false, quiet: false });
 * const onEvent = renderTransportEvents(out);
 * onEvent({ type: "baud-adjusted", url: "rfc2217://h:1", requested: 921600, actual: 460800 });
 * onEvent({ type: "baud-adjusted", url: "rfc2217://h:1", requested: 921600, actual: 460800 });
 * assert.equal(err, "warning: rfc2217://h:1 runs at 460800 baud, not the 921600 asked for\n");
 * ```
 */
export function renderTransportEvents(out: Output): TransportEventListener {
  const said = new Set<string>();
  return (e) => {
    const key = sameFact(e);
    if (said.has(key)) return;
    said.add(key);
    const note = transportNote(e);
    if (note.level === "warning") out.warn(note.message, note.code);
    else if (out.json) out.emit({ type: "note", code: note.code, message: note.message });
    else out.info(`note: ${note.message}`);
  };
}
