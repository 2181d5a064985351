/**
 * Rendering the flasher's events: human lines and progress bars on stderr, or one JSON object
 * per event on stdout with `--json`.
 *
 * @module
 */

import type { FlashEvent, RegionResult } from "../../mod.ts";
import { hex32 } from "../protocol/mod.ts";
import type { Output, Progress } from "./output.ts";

/**
 * The summary line of a region, e.g. `Wrote 390411 bytes (250018 compressed) at 0x00000000 in
 * 12.3 s, verified`.
 *
 * @param r the region's result
 * @returns the line
 *
 * @example
 * ```ts
 * import { regionSummary } from "./render.ts";
 * const line = regionSummary({ name: "fw.bin", address: 0, size: 8, bytesWritten: 8, bytesSkipped: 0,
 *   wireBytes: 5, compressed: true, md5: "", verified: true, seconds: 1.25 });
 * if (line !== "Wrote 8 bytes (5 compressed) at 0x00000000 in 1.3 s, verified") throw new Error(line);
 * ```
 */
export function regionSummary(r: RegionResult): string {
  const verified = r.verified === true ? ", verified" : " (not verified: ROM loader)";
  if (r.bytesWritten === 0) {
    return `Skipped ${r.name} at ${
      hex32(r.address)
    }: all ${r.size} bytes already on the chip${verified}`;
  }
  const wire = r.compressed ? ` (${r.wireBytes} compressed)` : "";
  const skipped = r.bytesSkipped > 0 ? `, ${r.bytesSkipped} unchanged bytes skipped` : "";
  return `Wrote ${r.bytesWritten} bytes${wire} at ${hex32(r.address)} in ${
    r.seconds.toFixed(1)
  } s${skipped}${verified}`;
}

/**
 * A region's result as it appears in `--json` output.
 *
 * @param r the region's result
 * @returns the JSON fields
 *
 * @example
 * ```ts
 * import { regionJson } from "./render.ts";
 * const j = regionJson({ name: "fw.bin", address: 0, size: 8, bytesWritten: 0, bytesSkipped: 8,
 *   wireBytes: 0, compressed: false, md5: "x", verified: "skipped", seconds: 0 });
 * if (j.verified !== false || j.bytesSkipped !== 8) throw new Error();
 * ```
 */
export function regionJson(r: RegionResult): Record<string, unknown> {
  return {
    name: r.name,
    address: r.address,
    size: r.size,
    bytesWritten: r.bytesWritten,
    bytesSkipped: r.bytesSkipped,
    md5: r.md5,
    verified: r.verified === true,
  };
}

const CAUSES: Record<Extract<FlashEvent, { type: "recovered" }>["cause"], string> = {
  "checksum-error": "a block arrived damaged",
  "no-reply": "no reply",
  "stub-error": "the loader reported an error",
  "board-restarted": "the board restarted (a brown-out or a reset)",
  "port-lost": "the port went away",
  "verify-mismatch": "the flash did not hold the right bytes",
  "bad-data": "data arrived damaged",
};

const ACTIONS: Record<Extract<FlashEvent, { type: "recovered" }>["action"], string> = {
  resent: "sent it again",
  resumed: "the loader still listens: going on from what the chip holds",
  resynced: "connected again and reloaded the stub: going on from what the chip holds",
  reopened: "the port is back: connected again, going on from what the chip holds",
};

/**
 * One line for a recovery: what caused it, where, what was done.
 *
 * @param e the event
 * @returns the line
 *
 * @example
 * ```ts
 * import { recoveryLine } from "./render.ts";
 * const line = recoveryLine({ type: "recovered", cause: "no-reply", action: "resumed",
 *   what: "writing fw.bin", address: 0x8000, count: 1, message: "No reply" });
 * if (!line.startsWith("Recovered (1): no reply while writing fw.bin at 0x00008000")) throw new Error(line);
 * ```
 */
export function recoveryLine(e: Extract<FlashEvent, { type: "recovered" }>): string {
  return `Recovered (${e.count}): ${CAUSES[e.cause]} while ${e.what} at ${hex32(e.address)}; ${
    ACTIONS[e.action]
  }`;
}

/**
 * Makes an event handler that renders to `out`.
 *
 * @param out the output
 * @param options the port name for messages
 * @returns the handler, and `close()` to end any progress display
 */
export function renderFlashEvents(
  out: Output,
  options: { port: string },
): { onEvent: (e: FlashEvent) => void; close: () => void } {
  let progress: Progress | undefined;
  let verifies = true;
  let pending: Extract<FlashEvent, { type: "write-done" }> | undefined;
  const end = () => {
    progress?.end();
    progress = undefined;
  };
  const flush = (verified: boolean) => {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    out.info(regionSummary({
      name: p.name,
      address: p.address,
      size: p.bytesWritten + p.bytesSkipped,
      bytesWritten: p.bytesWritten,
      bytesSkipped: p.bytesSkipped,
      wireBytes: p.wireBytes,
      compressed: p.compressed,
      md5: "",
      verified: verified ? true : "skipped",
      seconds: p.seconds,
    }));
  };
  const onEvent = (e: FlashEvent) => {
    if (out.json) {
      if (e.type === "write-progress" || e.type === "read-progress") {
        if (!progress) {
          progress = out.progress(
            e.type === "write-progress" ? `Writing ${e.name}` : "Reading",
            e.total,
          );
        }
        progress.update(e.done, e.rate);
        if (e.done >= e.total) end();
        return;
      }
      out.emit({ ...e });
      return;
    }
    switch (e.type) {
      case "connect-attempt":
        out.info(
          e.attempt === 1
            ? `Connecting to ${options.port}...`
            : `Connecting again (attempt ${e.attempt}, ${e.strategy})...`,
        );
        break;
      case "manual-boot":
        out.info(e.message);
        break;
      case "connected":
        if (e.loader === "stub") out.info("A flasher stub is already running on the board.");
        else if (e.baud !== undefined && e.baud !== 115200) {
          out.info(`Synced with the ROM loader at ${e.baud} baud`);
        }
        break;
      case "chip":
        out.info(
          `Chip: ${e.chip.description} (${
            e.chip.features.join(", ")
          }), MAC ${e.chip.mac}, crystal ${e.chip.crystalMhz} MHz`,
        );
        break;
      case "stub":
        if (e.state === "uploading") out.info("Uploading the flasher stub...");
        break;
      case "baud":
        out.info(`Changed baud rate to ${e.baud}`);
        break;
      case "flash":
        out.info(
          `Flash: id 0x${e.flash.jedecId.toString(16).padStart(6, "0")}, ${
            e.sizeBytes >> 10
          } KB (${e.sizeSource})`,
        );
        break;
      case "note":
        if (e.code === "rom/limits") verifies = false;
        out.info(`note: ${e.message}`);
        break;
      case "warning":
        out.warn(e.message, e.code);
        break;
      case "erase":
        if (e.state === "start") {
          out.info(
            e.whole
              ? "Erasing the whole flash (this can take a while)..."
              : `Erasing ${hex32(e.address)}-${hex32(e.address + e.size)}...`,
          );
        }
        break;
      case "write-start":
        end();
        if (e.bytesToWrite < e.size) {
          out.info(`${e.name}: ${e.size - e.bytesToWrite} of ${e.size} bytes already on the chip`);
        }
        progress = out.progress(`Writing ${e.name} at ${hex32(e.address)}`, e.bytesToWrite);
        break;
      case "write-progress":
        // after a recovery's line, the bar starts again where the write is
        progress ??= out.progress(`Writing ${e.name} at ${hex32(e.address)}`, e.total);
        progress.update(e.done, e.rate);
        break;
      case "retry":
        out.info(`Block ${e.block} of ${e.name} failed (${e.reason}); sending it again`);
        break;
      case "recovered":
        end();
        out.info(recoveryLine(e));
        break;
      case "write-done":
        end();
        pending = e;
        // through the ROM there is no verification: the summary is complete now
        if (!verifies) flush(false);
        break;
      case "verify":
        end();
        flush(e.ok);
        break;
      case "read-progress":
        if (!progress) progress = out.progress(`Reading ${hex32(e.address)}`, e.total);
        progress.update(e.done, e.rate);
        if (e.done >= e.total) end();
        break;
      case "reset":
        out.info(
          e.mode === "hard-reset"
            ? "Hard reset: the board is starting its firmware."
            : e.mode === "soft-reset"
            ? "Soft reset: the loader started the firmware."
            : "The board stays in the loader.",
        );
        break;
    }
  };
  return { onEvent, close: end };
}
