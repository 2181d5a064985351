/**
 * Connecting: reset the board into its ROM loader, sync, identify the chip. When it fails, say
 * why from what was seen: nothing at all (wrong port, no power, no auto-reset), the board's boot
 * log (it booted the firmware instead: boot mode 3), the SYNCs echoed by the firmware's console
 * (it was never reset), or unreadable bytes (baud or cable).
 *
 * @module
 */

import { identifyChip } from "../chip/detect.ts";
import type { Session } from "../chip/session.ts";
import { userError } from "../errors.ts";
import { Connection, type TraceEvent } from "../protocol/connection.ts";
import {
  classicReset,
  parseResetSequence,
  type ResetStep,
  runResetSequence,
  tightReset,
} from "../protocol/reset_sequence.ts";
import { syncOnce } from "../protocol/sync.ts";
import type { Transport } from "../transport/types.ts";
import type { OnFlashEvent } from "./events.ts";
import { diagnoseNoSync } from "./connect_diagnosis.ts";
import { awaitLoaderStart, syncAtRates } from "./fast_sync.ts";

/** How to get the board into download mode before syncing. */
export type BeforeReset =
  /** esptool's cycle of reset sequences through DTR/RTS (no reset where there are no lines). */
  | { kind: "default-reset" }
  /** Leave the lines alone: the board is in download mode already, or is put there by hand. */
  | { kind: "no-reset" }
  /** A custom sequence. */
  | { kind: "sequence"; text: string; steps: ResetStep[] };

/**
 * Parses `--before`: `default-reset`, `no-reset` (esptool's underscore spellings too) or a
 * sequence such as `D0|R1|W0.1|D1|R0|W0.05|D0`.
 *
 * @param text the option value
 * @returns the strategy
 *
 * @example
 * ```ts
 * import { parseBefore } from "./connect.ts";
 * if (parseBefore("default_reset").kind !== "default-reset") throw new Error();
 * if (parseBefore("D0|R1|W0.1|R0").kind !== "sequence") throw new Error();
 * ```
 */
export function parseBefore(text: string): BeforeReset {
  const t = text.trim().toLowerCase().replaceAll("_", "-");
  if (t === "default-reset") return { kind: "default-reset" };
  if (t === "no-reset") return { kind: "no-reset" };
  if (/^[a-z]+-[a-z-]+$/.test(t)) {
    throw userError(
      "input/before",
      `Unknown --before value '${text}'`,
      "Use default-reset, no-reset, or a reset sequence such as D0|R1|W0.1|D1|R0|W0.05|D0.",
    );
  }
  return { kind: "sequence", text, steps: parseResetSequence(text) };
}

/** Options for {@link connect}. */
export interface ConnectOptions {
  /** How to enter download mode; `default-reset` by default (no reset without modem lines). */
  before?: BeforeReset;
  /**
   * Connection attempts (default 7); 0 keeps trying until `signal` aborts. A board put into
   * download mode by hand (`no-reset` on a port with modem lines) gets `manualTimeoutMs` instead.
   */
  attempts?: number;
  /** How long to wait for a user to put the board into download mode (60 s by default). */
  manualTimeoutMs?: number;
  /** Progress events. */
  onEvent?: OnFlashEvent;
  /** Every frame (`--trace`). */
  onTrace?: (event: TraceEvent) => void;
  /** Cancels the attempts, and every command on the connection afterwards (`job/interrupted`). */
  signal?: AbortSignal;
  /** Sleep (tests). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Rates to try once more when nothing answers at the sync rate: a flasher stub left running by
   * an earlier job (on a board that was not reset) still listens at the rate it was switched to.
   */
  fallbackBauds?: number[];
  /**
   * Rates to send SYNC at, fastest first (see fast_sync.ts); the first attempt tries them all,
   * later ones the last (the fallback). The transport's rate by default.
   */
  syncRates?: number[];
}

interface Strategy {
  name: string;
  steps: ResetStep[] | undefined;
}

function strategiesFor(transport: Transport, before: BeforeReset): Strategy[] {
  if (before.kind === "sequence") return [{ name: before.text, steps: before.steps }];
  if (before.kind === "no-reset" || !transport.info.modemLines) {
    return [{ name: "no reset", steps: undefined }];
  }
  const classic = [0.05, 0.55].map((d) => ({
    name: `classic reset (${d * 1000} ms)`,
    steps: parseResetSequence(classicReset(d)),
  }));
  if (transport.info.kind !== "serial" || Deno.build.os === "windows") return classic;
  const tight = [0.05, 0.55].map((d) => ({
    name: `tight reset (${d * 1000} ms)`,
    steps: parseResetSequence(tightReset(d)),
  }));
  return [...tight, ...classic];
}

/** What a user of a board without auto-reset (ESP-01) must do. */
export const MANUAL_BOOT_HINT =
  "Put the board into download mode: hold FLASH (GPIO0 low), tap RESET, then release FLASH.";

/**
 * Resets the board into its ROM loader, syncs and identifies the chip.
 *
 * @param transport the port
 * @param options reset strategy, attempts, events
 * @returns a ROM session, or a stub session when a stub was already running
 * @throws NodeflashError `connect/*` with a diagnosis when it cannot sync
 */
export async function connect(
  transport: Transport,
  options: ConnectOptions = {},
): Promise<Session> {
  const before = options.before ?? { kind: "default-reset" };
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const conn = new Connection(transport, {
    ...(options.onTrace === undefined ? {} : { onTrace: options.onTrace }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  try {
    return await syncAndIdentify(conn, options, { before, sleep });
  } catch (error) {
    conn.release(); // the port's input goes back: the next attempt (or a monitor) reads it
    throw error;
  }
}

/** The attempts of {@link connect} on its connection. */
async function syncAndIdentify(
  conn: Connection,
  options: ConnectOptions,
  how: { before: BeforeReset; sleep: (ms: number) => Promise<void> },
): Promise<Session> {
  const { transport } = conn;
  const { before, sleep } = how;
  const strategies = strategiesFor(transport, before);
  const rates = options.syncRates ?? [transport.baudRate];
  const manual = strategies.length === 1 && strategies[0]!.steps === undefined &&
    transport.info.modemLines;
  // By hand, the user needs time: keep trying until a deadline unless attempts were given.
  const deadline = manual && options.attempts === undefined
    ? performance.now() + (options.manualTimeoutMs ?? 60_000)
    : undefined;
  const attempts = deadline !== undefined ? 0 : options.attempts ?? 7;
  const seen: Uint8Array[] = [];
  let echoes = 0;
  const onEcho = () => echoes++;
  let made = 0;
  for (
    let attempt = 1;
    (attempts === 0 || attempt <= attempts) &&
    (deadline === undefined || performance.now() < deadline);
    attempt++
  ) {
    options.signal?.throwIfAborted();
    made = attempt;
    const strategy = strategies[(attempt - 1) % strategies.length]!;
    options.onEvent?.({ type: "connect-attempt", attempt, strategy: strategy.name });
    if (manual && attempt === 1) {
      options.onEvent?.({ type: "manual-boot", message: MANUAL_BOOT_HINT });
    }
    await conn.flushInput();
    if (strategy.steps) {
      await runResetSequence(transport, strategy.steps, { sleep });
      await awaitLoaderStart(conn);
    }
    const result = await syncAtRates(conn, attempt === 1 ? rates : rates.slice(-1), {
      onEcho,
      onGarbage: (g) => seen.push(g),
      sleep,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result) {
      options.onEvent?.({
        type: "connected",
        loader: result.stubRunning ? "stub" : "rom",
        attempts: attempt,
        baud: result.baud,
      });
      if (result.stubRunning) conn.loader = "stub";
      const chip = await identifyChip(conn);
      options.onEvent?.({ type: "chip", chip });
      return result.stubRunning
        ? { kind: "stub", conn, chip, stub: "already-running" }
        : { kind: "rom", conn, chip };
    }
  }
  const stub = await findStubAtOtherRate(conn, options.fallbackBauds ?? []);
  if (stub) {
    options.onEvent?.({ type: "connected", loader: "stub", attempts });
    const chip = await identifyChip(conn);
    options.onEvent?.({ type: "chip", chip });
    return { kind: "stub", conn, chip, stub: "already-running" };
  }
  throw await diagnoseNoSync(conn, {
    seen,
    echoes,
    attempts: made,
    strategies: strategies.map((s) => s.steps),
    sleep,
  });
}

/** Tries each rate for a stub that is still running there; leaves the rate set if one answers. */
async function findStubAtOtherRate(conn: Connection, bauds: number[]): Promise<boolean> {
  const { transport } = conn;
  const original = transport.baudRate;
  if (transport.info.kind === "tcp") return false;
  for (const baud of bauds) {
    if (baud === original) continue;
    await transport.setBaudRate(baud);
    for (const leadingEnd of [false, true]) {
      const result = await syncOnce(conn, { leadingEnd });
      if (result?.stubRunning) {
        conn.loader = "stub";
        return true;
      }
    }
  }
  await transport.setBaudRate(original);
  return false;
}
