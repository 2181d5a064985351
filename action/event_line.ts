/**
 * One log line per flashing event worth a line in a CI log (progress ticks are left out: a CI
 * log is read after the fact). Pure.
 *
 * @module
 */

import type { FlashEvent } from "../mod.ts";
import { hex32 } from "../lib/protocol/mod.ts";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * The line for an event, or `undefined` for events a CI log does not need.
 *
 * @param event a flasher event
 * @returns the line, without the port prefix
 *
 * @example
 * ```ts
 * import { eventLine } from "./event_line.ts";
 * import assert from "node:assert/strict";
 * assert.equal(eventLine({ type: "baud", baud: 460800 }), "baud rate 460800");
 * assert.equal(eventLine({ type: "write-progress", name: "fw", address: 0, done: 1, total: 2, rate: 1 }), undefined);
 * ```
 */
export function eventLine(event: FlashEvent): string | undefined {
  switch (event.type) {
    case "connect-attempt":
      return event.attempt > 1
        ? `connecting, attempt ${event.attempt} (${event.strategy})`
        : undefined;
    case "manual-boot":
      return event.message;
    case "connected":
      return `connected to the ${event.loader === "rom" ? "ROM loader" : "running stub"}`;
    case "chip":
      return `chip ${event.chip.description}, MAC ${event.chip.mac}`;
    case "stub":
      return event.state === "running" ? "flasher stub running" : undefined;
    case "baud":
      return `baud rate ${event.baud}`;
    case "flash":
      return `flash ${kib(event.sizeBytes)} (${event.sizeSource}), JEDEC id ${
        hex32(event.flash.jedecId)
      }`;
    case "note":
      return `note: ${event.message}`;
    case "warning":
      return `warning: ${event.message}`;
    case "erase":
      return event.state === "start"
        ? `erasing ${
          event.whole ? "the whole flash" : `${kib(event.size)} at ${hex32(event.address)}`
        }`
        : "erase done";
    case "write-start":
      return `writing ${event.name} at ${hex32(event.address)}: ${kib(event.bytesToWrite)} of ${
        kib(event.size)
      } differ`;
    case "write-done":
      return `wrote ${event.name}: ${kib(event.bytesWritten)} written, ${
        kib(event.bytesSkipped)
      } already there, ${event.seconds.toFixed(1)} s`;
    case "retry":
      return `resending block ${event.block} of ${event.name}: ${event.reason}`;
    case "verify":
      return `verify ${event.name}: ${event.ok ? "ok" : "MISMATCH"} (md5 ${event.md5})`;
    case "reset":
      return event.mode === "no-reset" ? undefined : `reset (${event.mode})`;
    case "write-progress":
    case "read-progress":
      return undefined;
  }
}
