/**
 * What `nodeflash sim` reports about its board: one `--verbose` line per state, command, host,
 * line, baud or fault event, and `--log FILE`, every byte exchanged in hex.
 *
 * @module
 */

import type { SimEvent } from "../sim/mod.ts";
import { openLogFile } from "./log_file.ts";

/**
 * One line of `--verbose` about a board event, or `undefined` for events it does not report.
 *
 * @param event the board's event
 * @returns the line, without `[sim] ` or a line end
 *
 * @example
 * ```ts
 * import { describeSimEvent } from "./sim_log.ts";
 * import assert from "node:assert/strict";
 * assert.equal(describeSimEvent({ type: "signals", dtr: true, rts: false }), "lines dtr=true rts=false");
 * ```
 */
export function describeSimEvent(event: SimEvent): string | undefined {
  switch (event.type) {
    case "state":
      return `state ${event.state}: ${event.detail}`;
    case "command": {
      const r = event.record;
      const args = Object.entries(r.args).map(([k, v]) => `${k}=0x${v.toString(16)}`).join(" ");
      const reply = r.reply === "none"
        ? "no reply"
        : r.reply.status.map((b) => b.toString(16).padStart(2, "0")).join(" ");
      return `${r.loader} ${r.name} ${args} -> ${reply}${r.note ? ` (${r.note})` : ""}`;
    }
    case "host":
      return `${event.connected ? "connected" : "disconnected"}: ${event.endpoint}`;
    case "signals":
      return `lines dtr=${event.dtr} rts=${event.rts}`;
    case "baud":
      return `baud board=${Math.round(event.boardBaud)} host=${event.hostBaud ?? "unknown"}`;
    case "flash-saved":
      return `saved ${event.sectors} sectors to ${event.path}`;
    case "boot":
      return `boot: rst cause ${event.cause} (${event.kind}), ${event.mode} mode`;
    case "injected":
      return `fault ${event.fault}: ${event.detail}`;
    case "unmodelled":
      return `not modelled: ${event.detail}`;
    case "fault":
      return `internal fault: ${String(event.error)}`;
    default:
      return undefined;
  }
}

/** Where `--log` writes. */
export interface FrameLog {
  /** Appends the bytes of an `rx`/`tx` event, in hex, one line per chunk; ignores others. */
  write(event: SimEvent): void;
  /** Closes the file. */
  close(): void;
}

/**
 * Opens `--log FILE` for appending (created when missing), before anything is served, so a bad
 * path is a usage error.
 *
 * @param path the file
 * @returns the log
 * @throws a user error `cli/log-file` when the file cannot be opened
 *
 * @example
 * ```ts
 * import { openFrameLog } from "./sim_log.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => openFrameLog("/nonexistent-dir/x.log"), { code: "cli/log-file" });
 * ```
 */
export function openFrameLog(path: string): FrameLog {
  const file = openLogFile(path, { mode: "append" });
  const encoder = new TextEncoder();
  const start = performance.now();
  return {
    write(event) {
      if (event.type !== "rx" && event.type !== "tx") return;
      const hex = Array.from(event.bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
      const line = `${(performance.now() - start).toFixed(3)} ${event.type} ${hex}\n`;
      const bytes = encoder.encode(line);
      for (let o = 0; o < bytes.length;) o += file.writeSync(bytes.subarray(o));
    },
    close: () => file.close(),
  };
}
