/**
 * The post-flash smoke test: reset the board into the firmware, capture everything it prints,
 * wait for NodeMCU's Lua prompt and prove the interpreter answers; when it does not, say why.
 *
 * @module
 */

import { HARD_RESET, runResetSequence } from "../protocol/reset_sequence.ts";
import type { Transport } from "../transport/types.ts";
import type { BannerFields } from "./banner.ts";
import { bootWarnings } from "./boot_warnings.ts";
import { ConsoleCapture } from "./console_capture.ts";
import { diagnose, type Diagnosis } from "./diagnose.ts";
import type { SmokePhase } from "./phase.ts";
import { checkUserProbe, probeConsole, type ProbeOutcome } from "./probe_console.ts";
import type { SmokeEventHandler } from "./smoke_event.ts";
import { type BootWatch, DEFAULT_SMOKE_TIMING, type SmokeTiming, watchBoot } from "./watch_boot.ts";

/** How the board gets into its firmware. */
export type SmokeReset = "rts-pulse" | "manual" | "none";

/** Runs a reset sequence string on a transport (tests inject a recorder or a fast one). */
export type ResetRunner = (transport: Transport, sequence: string) => Promise<void>;

/** Options for {@link runSmokeTest}. */
export interface SmokeTestOptions {
  /**
   * `"rts-pulse"` (default when the transport has modem lines): DTR released, RTS pulsed, i.e.
   * EN low for 100 ms on a NodeMCU devkit. `"manual"`: emit `press-reset` and wait for the user.
   * `"none"` (default without modem lines): no reset, the board is expected to be running.
   */
  reset?: SmokeReset;
  /** The `"rts-pulse"` sequence, {@link HARD_RESET} (`D0|R1|W0.1|R0`) by default. */
  resetSequence?: string;
  /** Runs the reset sequence; `runResetSequence` from lib/protocol by default. */
  runReset?: ResetRunner;
  /**
   * `"listen"` (default): read the ROM line at `romBaud` after the reset, then switch to the
   * console rate. `"skip"`: read at the console rate only (adapters that cannot do 74880).
   */
  rom?: "listen" | "skip";
  /** The ROM's rate: 74880 on 26 MHz boards (115200 on 40 MHz ones). */
  romBaud?: number;
  /** The console's rate: 115200 for NodeMCU since mid-2016. */
  consoleBaud?: number;
  /** Timers, merged over {@link DEFAULT_SMOKE_TIMING}. */
  timing?: Partial<SmokeTiming>;
  /** Optional user probe: one line of Lua typed after the built-in probes... */
  lua?: string;
  /** ...and the pattern its output must match. */
  expect?: RegExp;
  /** Receives progress events (phases, format dots, raw bytes, baud changes, press-reset). */
  onEvent?: SmokeEventHandler;
}

/** What the smoke test found. */
export interface SmokeResult {
  /** The board booted NodeMCU and its prompt ran the probes. */
  ok: boolean;
  /** How far the board got. */
  phase: SmokePhase;
  /** The last NodeMCU banner's fields, if one was printed. */
  banner: BannerFields | undefined;
  /** The first ROM line after the reset, if it was readable. */
  rom: { rstCause: number; bootMode: [number, number] } | undefined;
  /** Milliseconds from the end of the reset to the ROM line, banner, prompt, and the end of the probes. */
  timings: { romMs?: number; bannerMs?: number; promptMs?: number; totalMs: number };
  /** Why it failed; `undefined` when `ok`. */
  diagnosis: Diagnosis | undefined;
  /**
   * What a pass still reports (code `smoke/init-lua-failed`): a Lua error the board printed
   * before its prompt, e.g. `init.lua`'s, which NodeMCU prints and then goes on to the prompt.
   * Empty when the test failed (the diagnosis says it all).
   */
  warnings: Diagnosis[];
  /** Dots of the first-boot file-system format, if one ran. */
  formatDots: number | undefined;
  /** Free heap printed by the nonce probe. */
  heap: number | undefined;
  /** The user probe's result, if one was given and reached. */
  userProbe: { ok: boolean; output: string } | undefined;
  /** Every byte received, in order (ROM noise included). */
  log: Uint8Array;
}

const defaultRunner: ResetRunner = async (transport, sequence) => {
  await runResetSequence(transport, sequence);
};

async function resetBoard(
  transport: Transport,
  reset: SmokeReset,
  options: SmokeTestOptions & { manualTimeoutMs: number },
): Promise<void> {
  await transport.discardInput();
  if (reset === "rts-pulse") {
    await (options.runReset ?? defaultRunner)(transport, options.resetSequence ?? HARD_RESET);
  } else if (reset === "manual") {
    options.onEvent?.({ type: "press-reset", timeoutMs: options.manualTimeoutMs });
  }
}

/**
 * Runs the smoke test on a board that was just flashed. The transport stays open; its readable
 * stream is released afterwards. A probe that is not one line of Lua is a user error (thrown
 * before anything is sent); a port that vanishes rethrows its `port/disconnected` error.
 *
 * @param transport the port to the board
 * @param options reset method, rates, timers, user probe, events
 * @returns what was found; `ok` only when the prompt computed the nonce probe's answer
 *
 * @example
 * ```ts
 * import { runSmokeTest } from "./smoke.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import assert from "node:assert/strict";
 * // Nothing on the other end: the result says so instead of throwing.
 * const link = createMemoryLink({ receive: () => {} });
 * const result = await runSmokeTest(link.transport, {
 *   reset: "rts-pulse", resetSequence: "D0|R1|W0.001|R0",
 *   timing: { romWindowMs: 5, bootTimeoutMs: 40, nudgeAfterMs: 10 },
 * });
 * assert.equal(result.ok, false);
 * assert.equal(result.diagnosis?.code, "smoke/silent");
 * await link.transport.close();
 * ```
 */
export async function runSmokeTest(
  transport: Transport,
  options: SmokeTestOptions = {},
): Promise<SmokeResult> {
  checkUserProbe(options.lua, options.expect);
  const timing: SmokeTiming = { ...DEFAULT_SMOKE_TIMING, ...options.timing };
  const consoleBaud = options.consoleBaud ?? 115200;
  const reset = options.reset ?? (transport.info.modemLines ? "rts-pulse" : "none");
  const events = options.onEvent === undefined ? {} : { onEvent: options.onEvent };
  const capture = new ConsoleCapture(transport, events);
  try {
    const listen = (options.rom ?? "listen") === "listen" && reset !== "none";
    const atRomBaud = listen &&
      await capture.setBaud(options.romBaud ?? 74880, "listening for the ROM's boot line");
    if (!atRomBaud) await capture.setBaud(consoleBaud, "listening at the console rate");
    await resetBoard(transport, reset, {
      ...options,
      manualTimeoutMs: timing.manualResetTimeoutMs,
    });
    const t0 = performance.now();
    const boot = await watchBoot(capture, {
      timing,
      consoleBaud,
      atRomBaud,
      ...(atRomBaud ? { romBaud: options.romBaud ?? 74880 } : {}),
      waitForFirstByte: reset === "manual",
      ...events,
    });
    if (transport.baudRate !== consoleBaud && boot.stop !== "ended") {
      await capture.setBaud(consoleBaud, "back to the console rate");
    }
    const probe = boot.stop !== "prompt" ? undefined : await probeConsole(capture, {
      timeoutMs: timing.probeTimeoutMs,
      ...(options.lua === undefined ? {} : { lua: options.lua }),
      ...(options.expect === undefined ? {} : { expect: options.expect }),
    });
    const totalMs = Math.round(performance.now() - t0);
    const ok = probe !== undefined && probe.failure === undefined;
    if (probedLua(probe)) options.onEvent?.({ type: "phase", phase: "probed", atMs: totalMs });
    const warnings = ok ? bootWarnings(boot.log, { url: transport.info.url }) : [];
    const diagnosis = ok ? undefined : diagnose(boot.log, {
      url: transport.info.url,
      stop: boot.stop,
      waitedMs: boot.waitedMs,
      consoleBaud,
      ...(probe?.failure === undefined ? {} : { probe: probe.failure }),
    });
    capture.release();
    return summarize(boot, probe, { ok, diagnosis, warnings, totalMs, log: capture.bytes() });
  } finally {
    capture.release();
  }
}

/** Whether the built-in probes passed: Lua ran the nonce (a user probe may still have failed). */
function probedLua(probe: ProbeOutcome | undefined): boolean {
  return probe !== undefined && (probe.failure === undefined || probe.user !== undefined);
}

function summarize(
  boot: BootWatch,
  probe: ProbeOutcome | undefined,
  end: {
    ok: boolean;
    diagnosis: Diagnosis | undefined;
    warnings: Diagnosis[];
    totalMs: number;
    log: Uint8Array;
  },
): SmokeResult {
  const first = boot.log.rom.boots[0];
  return {
    ok: end.ok,
    phase: probedLua(probe) ? "probed" : boot.phase,
    banner: boot.log.banners[boot.log.banners.length - 1]?.fields,
    rom: first === undefined ? undefined : { rstCause: first.rstCause, bootMode: first.bootMode },
    timings: { ...boot.marks, totalMs: end.totalMs },
    diagnosis: end.diagnosis,
    warnings: end.warnings,
    formatDots: boot.log.formatting?.dots,
    heap: probe?.heap,
    userProbe: probe?.user,
    log: end.log,
  };
}
