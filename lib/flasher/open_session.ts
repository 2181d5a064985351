/**
 * Getting a board ready for work: connect (reset + sync + identify), upload the stub (unless the
 * ROM alone was asked for), change to the working baud, attach the flash and settle its size.
 * Shared by flash, erase, read, backup, restore and info.
 *
 * @module
 */

import { type FlashSizeName, type FlashSizeRow, flashSizeRow } from "../chip/flash_size.ts";
import type { FlashInfo, Session } from "../chip/session.ts";
import { runStub } from "../chip/stub.ts";
import type { TraceEvent } from "../protocol/connection.ts";
import type { Transport } from "../transport/types.ts";
import { attachFlash, setFlashSize } from "./attach.ts";
import { changeBaud } from "./baud.ts";
import { type BeforeReset, connect } from "./connect.ts";
import type { OnFlashEvent } from "./events.ts";
import { userError } from "../errors.ts";

/** Options for {@link openSession}. */
export interface OpenSessionOptions {
  /** How to enter download mode (default `default-reset`). */
  before?: BeforeReset;
  /** Connection attempts (7; 0 = until aborted). */
  attempts?: number;
  /** `stub` (default): upload the flasher stub; `rom`: talk to the ROM loader only. */
  loader?: "stub" | "rom";
  /** Working baud rate after the stub runs (default 460800). The ROM stays at the sync rate. */
  baud?: number;
  /**
   * The flash size: `detect` (default) from the JEDEC id, or a given size. A given size that
   * differs from the detected one is reported as a `flash/size-mismatch` warning.
   */
  flashSize?: FlashSizeName | "detect";
  /**
   * A given size larger than the chip's: `refuse` (default; the SDK would look for its data past
   * the end of the flash) or `allow` (the CLI's `--force`).
   */
  oversize?: "refuse" | "allow";
  /** Progress events. */
  onEvent?: OnFlashEvent;
  /** Every frame. */
  onTrace?: (event: TraceEvent) => void;
  /** Cancels connecting. */
  signal?: AbortSignal;
}

/** A session ready for work. */
export interface ReadySession {
  /** The session (ROM or stub). */
  session: Session;
  /** What the flash said about itself. */
  flash: FlashInfo;
  /** The flash size used for bounds, layout and the image header (name, bytes, header code). */
  size: FlashSizeRow;
  /** Where that size came from. */
  sizeSource: "detected" | "given" | "default";
}

/**
 * Compares a given flash size with the detected one: a larger one is refused unless allowed,
 * any other difference is a warning.
 */
function checkGivenSize(
  given: FlashSizeRow,
  flash: FlashInfo,
  options: { oversize: "refuse" | "allow"; emit: OnFlashEvent },
): void {
  if (flash.size === undefined) return;
  const chip = flashSizeRow(flash.size);
  if (given.bytes === chip.bytes) return;
  if (given.bytes > chip.bytes && options.oversize === "refuse") {
    throw userError(
      "flash/size-exceeds-chip",
      `The flash size ${given.name} is larger than the chip's ${chip.name} (JEDEC id 0x${
        flash.jedecId.toString(16).padStart(6, "0")
      }): the SDK would look for its data past the end of the flash`,
      "Use --flash-size detect (or the chip's size); flash --force writes the larger size anyway.",
    );
  }
  options.emit({
    type: "warning",
    code: "flash/size-mismatch",
    message:
      `The flash size ${given.name} was given, but the chip reports ${chip.name}; using ${given.name}`,
  });
}

/** The default working baud rate. */
export const DEFAULT_BAUD = 460800;

/**
 * Connects and prepares the board.
 *
 * @param transport the port (open at the sync rate, 115200)
 * @param options loader, baud, flash size, events
 * @returns the ready session
 */
export async function openSession(
  transport: Transport,
  options: OpenSessionOptions = {},
): Promise<ReadySession> {
  const emit = options.onEvent ?? (() => {});
  let session = await connect(transport, {
    ...(options.before ? { before: options.before } : {}),
    ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onTrace ? { onTrace: options.onTrace } : {}),
    fallbackBauds: [options.baud ?? DEFAULT_BAUD],
    onEvent: emit,
  });
  const baud = options.baud ?? DEFAULT_BAUD;
  if (session.kind === "stub") {
    emit({ type: "stub", state: "already-running" });
  } else if ((options.loader ?? "stub") === "stub") {
    emit({ type: "stub", state: "uploading" });
    session = await runStub(session);
    emit({ type: "stub", state: "running" });
  }
  if (session.kind === "stub" && transport.info.kind === "tcp") {
    if (baud !== transport.baudRate) {
      emit({
        type: "note",
        code: "tcp/no-baud-change",
        message:
          `A raw TCP port cannot change the speed of the serial line behind it: staying at ${transport.baudRate} baud`,
      });
    }
  } else if (session.kind === "stub") {
    if (baud !== transport.baudRate) {
      await changeBaud(session, baud);
      emit({ type: "baud", baud });
    }
  }
  const flash = await attachFlash(session);
  let size: FlashSizeRow;
  let sizeSource: ReadySession["sizeSource"];
  if (options.flashSize !== undefined && options.flashSize !== "detect") {
    size = flashSizeRow(options.flashSize);
    sizeSource = "given";
    checkGivenSize(size, flash, { oversize: options.oversize ?? "refuse", emit });
  } else if (flash.size !== undefined) {
    size = flashSizeRow(flash.size);
    sizeSource = "detected";
  } else {
    size = flashSizeRow("4MB");
    sizeSource = "default";
    emit({
      type: "note",
      code: "flash/size-unknown",
      message: `Unknown flash id 0x${
        flash.jedecId.toString(16).padStart(6, "0")
      }: assuming 4MB (give --flash-size to be sure)`,
    });
  }
  await setFlashSize(session, size.bytes);
  emit({ type: "flash", flash, sizeBytes: size.bytes, sizeSource });
  return { session, flash, size, sizeSource };
}
