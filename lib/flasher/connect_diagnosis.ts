/**
 * Why a connection failed, from what was seen on the line: nothing, the board's boot log, our
 * own SYNC echoed back (a firmware console is listening: the board was never reset into the
 * loader), or unreadable bytes. When nothing readable came at the sync rate, one more reset is
 * done at 74880 baud, the rate of the ROM's boot message, to read it (docs/boot-log.md A.2, A.7, E.1).
 *
 * @module
 */

import { bootModeKind, findRomBoots, type RomBoot } from "../chip/rom_boot.ts";
import { deviceError, NodeflashError, seeTroubleshooting } from "../errors.ts";
import type { Connection } from "../protocol/connection.ts";
import { type ResetStep, runResetSequence } from "../protocol/reset_sequence.ts";

/** The ROM's boot message rate on a 26 MHz board. */
const ROM_LOG_BAUD = 74880;

const latin1 = new TextDecoder("latin1");

function joined(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Resets once more while listening at 74880 baud; returns what arrived. */
async function sniffBootLog(
  conn: Connection,
  steps: ResetStep[],
  sleep: (ms: number) => Promise<void>,
): Promise<Uint8Array> {
  const { transport } = conn;
  const previous = transport.baudRate;
  try {
    await transport.setBaudRate(ROM_LOG_BAUD);
    await conn.flushInput();
    conn.takeGarbage();
    await runResetSequence(transport, steps, { sleep });
    await conn.readFrame(400);
    return conn.takeGarbage();
  } catch {
    return new Uint8Array(0);
  } finally {
    await transport.setBaudRate(previous).catch(() => {});
  }
}

function fromBootLine(url: string, line: RomBoot, attempts: number): NodeflashError {
  const mode = `boot mode:(${line.bootMode.join(",")})`;
  const kind = bootModeKind(line.bootMode[0]);
  if (kind === "flash") {
    return deviceError(
      "connect/booted-firmware",
      `The board on ${url} booted its firmware instead of the bootloader (${mode}): GPIO0 was high at reset`,
      "Hold FLASH (GPIO0) low while tapping RESET and use --before no-reset, or check the DTR/RTS auto-reset circuit.",
      { details: { rstCause: line.rstCause, bootMode: line.bootMode[0], attempts } },
    );
  }
  if (kind === "download") {
    return deviceError(
      "connect/no-sync",
      `The chip on ${url} is in download mode (${mode}) but does not answer SYNC`,
      "The host-to-board (RX) line seems down: check the cable and the adapter's TX pin, or try --baud 115200.",
      { details: { bootMode: line.bootMode[0], attempts } },
    );
  }
  if (kind === "sdio") {
    return deviceError(
      "connect/gpio15-high",
      `The chip on ${url} started in SDIO mode (${mode}): GPIO15 is pulled high`,
      "GPIO15 must be pulled low at reset; check the board's wiring.",
      { details: { bootMode: line.bootMode[0], attempts } },
    );
  }
  return deviceError(
    "connect/bad-strapping",
    `The chip on ${url} reported an invalid boot mode (${mode})`,
    "Check the strapping pins: GPIO0 and GPIO2 high, GPIO15 low for a normal boot.",
    { details: { bootMode: line.bootMode[0], attempts } },
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** What to check when nothing at all came back. */
function noResponseHint(modemLines: boolean, resetTried: boolean): string {
  if (!modemLines) {
    return "This port has no DTR/RTS lines: check that it leads to the board and that the board is powered, then put it in download mode by hand (hold FLASH, tap RESET) and try again.";
  }
  if (!resetTried) {
    return "Check that this is the board's port (nodeflash ports) and that it is powered, then hold FLASH (GPIO0) low, tap RESET and release FLASH while nodeflash waits.";
  }
  return "Check that this is the board's port (nodeflash ports), that it is powered, and that it has auto-reset; for an ESP-01, put it in download mode by hand and use --before no-reset.";
}

/** What to do when the firmware's console echoed the SYNC requests. */
function echoHint(modemLines: boolean, resetTried: boolean): string {
  if (modemLines && resetTried) {
    return "DTR/RTS did not reset it into download mode (a board without the auto-reset circuit, such as an ESP-01): hold FLASH (GPIO0) low, tap RESET, release FLASH and use --before no-reset.";
  }
  return "Put it into download mode by hand: hold FLASH (GPIO0) low, tap RESET, release FLASH, while nodeflash waits.";
}

/** Options for {@link diagnoseNoSync}. */
export interface DiagnoseOptions {
  /** Non-SLIP bytes seen during the attempts. */
  seen: Uint8Array[];
  /** How many SYNC requests came back as sent (echoed by a console); 0 by default. */
  echoes?: number;
  /** How many connection attempts were made. */
  attempts: number;
  /** The reset sequences used (undefined entries: no reset). */
  strategies: Array<ResetStep[] | undefined>;
  /** Sleep (tests). */
  sleep: (ms: number) => Promise<void>;
}

/**
 * Builds the error for a connection that never synced.
 *
 * @param conn the connection (still open)
 * @param options what was seen, how many attempts were made and which resets were used
 * @returns the error to throw
 *
 * @example A port without modem lines that never sent a byte
 * ```ts
 * import { diagnoseNoSync } from "./connect_diagnosis.ts";
 * import { Connection } from "../protocol/connection.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import assert from "node:assert/strict";
 * const link = createMemoryLink({ receive: () => {} }, { modemLines: false });
 * const error = await diagnoseNoSync(new Connection(link.transport), {
 *   seen: [],
 *   attempts: 7,
 *   strategies: [undefined],
 *   sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
 * });
 * assert.equal(error.code, "connect/no-response");
 * await link.transport.close();
 * ```
 */
export async function diagnoseNoSync(
  conn: Connection,
  options: DiagnoseOptions,
): Promise<NodeflashError> {
  const e = await whyNoSync(conn, options);
  // Every connect/ code has a section in docs/troubleshooting.md; the hint names it.
  return new NodeflashError(e.kind, e.code, e.message, {
    hint: `${e.hint} ${seeTroubleshooting(e.code)}`,
    ...(e.details ? { details: e.details } : {}),
  });
}

async function whyNoSync(conn: Connection, options: DiagnoseOptions): Promise<NodeflashError> {
  const url = conn.transport.info.url;
  const { attempts } = options;
  const tried = plural(attempts, "attempt");
  let bytes = joined(options.seen);
  let lines = findRomBoots(latin1.decode(bytes));
  const reset = options.strategies.find((s) => s !== undefined);
  if (lines.length === 0 && reset && conn.transport.info.modemLines) {
    const sniffed = await sniffBootLog(conn, reset, options.sleep);
    lines = findRomBoots(latin1.decode(sniffed));
    bytes = joined([bytes, sniffed]);
  }
  const last = lines.at(-1);
  if (last) return fromBootLine(url, last, attempts);
  const echoes = options.echoes ?? 0;
  if (echoes > 0) {
    return deviceError(
      "connect/booted-firmware",
      `The board on ${url} echoed ${
        plural(echoes, "SYNC request")
      } back after ${tried}: its firmware's console is listening, not the bootloader`,
      echoHint(conn.transport.info.modemLines, reset !== undefined),
      { details: { echoes, attempts } },
    );
  }
  if (bytes.length === 0) {
    return deviceError(
      "connect/no-response",
      `No response from a board on ${url} after ${tried}`,
      noResponseHint(conn.transport.info.modemLines, reset !== undefined),
      { details: { attempts } },
    );
  }
  return deviceError(
    "connect/garbage",
    `The board on ${url} sent ${bytes.length} unreadable bytes but never answered SYNC in ${tried}`,
    "Noise on the line or a wrong baud rate: try a shorter, data-capable USB cable and a steady supply, and --baud 115200.",
    { details: { unreadableBytes: bytes.length, attempts } },
  );
}
