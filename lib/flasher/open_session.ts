/**
 * Getting a board ready for work: find a stub left running, or connect (reset + sync at the
 * fastest rate the ROM takes + identify), upload the stub (unless the ROM alone was asked for),
 * change to the fastest working rate that works, attach the flash and settle its size. Shared
 * by flash, erase, read, backup, restore and info.
 *
 * @module
 */

import { type FlashSizeName, type FlashSizeRow, flashSizeRow } from "../chip/flash_size.ts";
import type { FlashInfo, Session, StubSession } from "../chip/session.ts";
import { loadStub, runStub } from "../chip/stub.ts";
import { deviceError, userError } from "../errors.ts";
import type { TraceEvent } from "../protocol/connection.ts";
import { Connection } from "../protocol/connection.ts";
import { identifyChip } from "../chip/detect.ts";
import type { Transport } from "../transport/types.ts";
import { attachFlash, setFlashSize } from "./attach.ts";
import { changeBaud } from "./baud.ts";
import { AUTO_BAUDS, type BaudSetting, syncRates, workingRates } from "./baud_choice.ts";
import { type BeforeReset, connect } from "./connect.ts";
import type { OnFlashEvent } from "./events.ts";
import { LinkMemory } from "./link_memory.ts";
import { findRunningStub } from "./stub_reuse.ts";

/** Options for {@link openSession}. */
export interface OpenSessionOptions {
  /** How to enter download mode (default `default-reset`). */
  before?: BeforeReset;
  /** Connection attempts (7; 0 = until aborted). */
  attempts?: number;
  /** `stub` (default): upload the flasher stub; `rom`: talk to the ROM loader only. */
  loader?: "stub" | "rom";
  /**
   * The working rate: `auto` (default) takes the fastest of 921600, 460800 and 115200 that
   * works; a number asks for that rate. With the stub it is the rate after CHANGE_BAUDRATE; with
   * the ROM alone it is the rate SYNC is sent at (the ROM follows the host's rate), 115200 when
   * the ROM does not take it.
   */
  baud?: BaudSetting;
  /** What earlier jobs of the run learnt about the port (a stub left running, rates that failed). */
  memory?: LinkMemory;
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

/** The default working rate when the board takes it (`auto` falls back from it). */
export const DEFAULT_BAUD: number = AUTO_BAUDS[0]!;

/**
 * Connects and prepares the board.
 *
 * @param transport the port (open at 115200)
 * @param options loader, baud, flash size, events
 * @returns the ready session
 * @throws NodeflashError `connect/*`; `link/baud-failed` when the board stops answering at a
 *   rate that was asked for (or at every rate, with no way to reset it)
 */
export async function openSession(
  transport: Transport,
  options: OpenSessionOptions = {},
): Promise<ReadySession> {
  const emit = options.onEvent ?? (() => {});
  const memory = options.memory ?? new LinkMemory();
  let session: Session | undefined;
  try {
    while (true) {
      session = undefined;
      session = await bringUp(transport, { ...options, memory, onEvent: emit });
      if (session.kind === "rom" || await settleWorkingRate(session, { ...options, memory })) break;
    }
    return await prepareFlash(session, { ...options, onEvent: emit });
  } catch (error) {
    session?.conn.release(); // the port's input goes back, for another attempt
    throw error;
  }
}

/** Attaches the flash and settles its size, once the loader answers at its rate. */
async function prepareFlash(
  session: Session,
  options: OpenSessionOptions & { onEvent: OnFlashEvent },
): Promise<ReadySession> {
  const emit = options.onEvent;
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

type BringUpOptions = OpenSessionOptions & { memory: LinkMemory; onEvent: OnFlashEvent };

/** A stub left running, or a fresh connection with the stub uploaded (unless `rom`). */
async function bringUp(transport: Transport, options: BringUpOptions): Promise<Session> {
  const { memory, onEvent: emit } = options;
  const port = transport.info.url;
  const baud = options.baud ?? "auto";
  const loader = options.loader ?? "stub";
  // The stub's image is read from its package while the board resets (an idle 0.1 s), not
  // after the ROM answers; a failure to read it is reported where it is needed.
  const stubImage = loader === "stub" ? loadStub() : undefined;
  stubImage?.catch(() => {});
  const reused = await reuseStub(transport, options);
  if (reused !== undefined) return reused;
  const rates = syncRates(baud, { loader, memory, port });
  let session: Session = await connect(transport, {
    ...(options.before ? { before: options.before } : {}),
    ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onTrace ? { onTrace: options.onTrace } : {}),
    syncRates: rates,
    fallbackBauds: workingRates(baud, { memory, port }),
    onEvent: emit,
  });
  const synced = transport.baudRate;
  if (session.kind === "rom") {
    memory.update(port, {
      syncBaud: synced,
      ...(synced < rates[0]! ? { failedSync: [rates[0]!] } : {}),
    });
    if (synced < rates[0]!) {
      emit({
        type: "note",
        code: "link/slow-rom-sync",
        message: `The ROM loader did not answer at ${rates[0]} baud: talking to it at ${synced}`,
      });
    }
  }
  if (session.kind === "stub") {
    emit({ type: "stub", state: "already-running" });
  } else if (loader === "stub") {
    emit({ type: "stub", state: "uploading" });
    const rom = session;
    session = await stubImage!.then((image) => runStub(rom, { image })).catch((error) => {
      session.conn.release(); // the port's input goes back, for another attempt
      throw error;
    });
    emit({ type: "stub", state: "running" });
  }
  return session;
}

/**
 * Before any reset: a stub an earlier job of the run left running answers SYNC at its rate;
 * with `--before no-reset` the fastest working rates are looked at too (a stub a job of another
 * run left, the ROM's own rates are tried by the connection anyway).
 */
async function reuseStub(
  transport: Transport,
  options: BringUpOptions,
): Promise<StubSession | undefined> {
  if ((options.loader ?? "stub") === "rom") return undefined;
  const port = transport.info.url;
  const known = options.memory.get(port)?.stubBaud;
  const noReset = transport.info.kind !== "tcp" &&
    (options.before?.kind === "no-reset" || !transport.info.modemLines);
  const rates = [
    ...new Set([...(known === undefined ? [] : [known]), ...(noReset ? [AUTO_BAUDS[0]!] : [])]),
  ];
  if (rates.length === 0) return undefined;
  const conn = new Connection(transport, {
    ...(options.onTrace ? { onTrace: options.onTrace } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const baud = await findRunningStub(conn, rates);
  if (baud === undefined) {
    options.memory.update(port, { stubBaud: undefined });
    conn.release();
    return undefined;
  }
  options.onEvent({ type: "connected", loader: "stub", attempts: 1, baud });
  const chip = await identifyChip(conn).catch((error) => {
    conn.release(); // the port's input goes back, for another attempt
    throw error;
  });
  options.onEvent({ type: "chip", chip });
  options.onEvent({ type: "stub", state: "already-running" });
  return { kind: "stub", conn, chip, stub: "already-running" };
}

/**
 * Switches to the fastest working rate that answers. A rate that does not is remembered; with
 * `auto` the caller starts over (a reset brings the board back to the ROM) at the next one.
 *
 * @returns true when the link works at a rate; false to start over
 */
async function settleWorkingRate(
  session: StubSession,
  options: OpenSessionOptions & { memory: LinkMemory },
): Promise<boolean> {
  const emit = options.onEvent ?? (() => {});
  const { transport } = session.conn;
  const port = transport.info.url;
  const baud = options.baud ?? "auto";
  const target = workingRates(baud, { memory: options.memory, port })[0]!;
  if (transport.info.kind === "tcp") {
    if (target !== transport.baudRate) {
      emit({
        type: "note",
        code: "tcp/no-baud-change",
        message:
          `A raw TCP port cannot change the speed of the serial line behind it: staying at ${transport.baudRate} baud`,
      });
    }
    return true;
  }
  if (target === transport.baudRate) {
    options.memory.update(port, { stubBaud: target });
    return true;
  }
  if (await changeBaud(session, target)) {
    emit({ type: "baud", baud: target });
    options.memory.update(port, { stubBaud: target });
    return true;
  }
  options.memory.update(port, { failedWorking: [target], stubBaud: undefined });
  const canReset = options.before?.kind !== "no-reset" && transport.info.modemLines;
  if (baud !== "auto" || !canReset) {
    throw deviceError(
      "link/baud-failed",
      `The board stopped answering on ${port} after switching to ${target} baud`,
      baud !== "auto"
        ? `The USB-serial adapter or the board may not manage ${target} baud: try a lower --baud (460800 or 115200).`
        : `Reset the board (it still listens at ${target} baud), then try again with a lower --baud.`,
      { details: { baud: target } },
    );
  }
  emit({
    type: "note",
    code: "link/baud-fallback",
    message: `No answer at ${target} baud on ${port}: resetting the board to go on at ${
      workingRates(baud, { memory: options.memory, port })[0]
    }`,
  });
  session.conn.release();
  return false;
}
