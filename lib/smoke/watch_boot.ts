/**
 * Watching a board boot, from the reset to the first Lua prompt (docs/boot-log.md A.9): listen at
 * the ROM's baud rate for its line, follow the board to the console rate, wait out the first-boot
 * format without typing, stop early on a fatal signature, and nudge a quiet console once in a
 * while with an empty line. A board that restarts at the console rate without saying why (only
 * its banner repeats) is heard once more at the ROM's rate, so its next ROM line gives the reset
 * cause (`rst cause:4` and `wdt reset` for the hardware watchdog).
 *
 * @module
 */

import { type BootLog, endsWithPrompt, parseBootLog } from "./boot_log.ts";
import type { ConsoleCapture } from "./console_capture.ts";
import { looksGarbled } from "./console_text.ts";
import { type BootStop, fatalSign } from "./diagnose.ts";
import { laterPhase, shownPhases, type SmokePhase } from "./phase.ts";
import { romWindowEnd } from "./rom_window.ts";
import type { SmokeEventHandler } from "./smoke_event.ts";

/** Timers of a smoke test, in milliseconds. Tests pass small values. */
export interface SmokeTiming {
  /** How long to listen at the ROM rate for a ROM line before moving on. */
  romWindowMs: number;
  /** After ROM text, a pause this long means the firmware is about to switch to the console rate. */
  romQuietMs: number;
  /** Reset (or end of the format) to prompt, not counting the format itself. */
  bootTimeoutMs: number;
  /** Longest pause between two format dots. */
  formatIdleMs: number;
  /** Longest whole file-system format. */
  formatTimeoutMs: number;
  /** A quiet console without a prompt gets an empty line after this long (twice at most). */
  nudgeAfterMs: number;
  /** After a fatal signature, keep reading until the board is quiet this long... */
  settleMs: number;
  /** ...or this long has passed (boot loops never go quiet). */
  settleMaxMs: number;
  /** A boot loop seen at the console rate: how long to wait at the ROM rate for the next restart. */
  restartWindowMs: number;
  /** A prompt counts once nothing followed it for this long. */
  promptSettleMs: number;
  /** Manual reset: how long to wait for the user to press RESET. */
  manualResetTimeoutMs: number;
  /** How long each probe may take to answer. */
  probeTimeoutMs: number;
}

/**
 * Defaults: generous for real boards. The format of a 4 MB board takes about 40 s (16 MB: up
 * to 6 min), so the format gets 7 minutes in all with at most 30 s between dots, and the rest
 * of the boot gets 20 s.
 */
export const DEFAULT_SMOKE_TIMING: Readonly<SmokeTiming> = {
  romWindowMs: 500,
  romQuietMs: 50,
  bootTimeoutMs: 20_000,
  formatIdleMs: 30_000,
  formatTimeoutMs: 420_000,
  nudgeAfterMs: 2_000,
  settleMs: 300,
  settleMaxMs: 2_000,
  restartWindowMs: 10_000,
  promptSettleMs: 30,
  manualResetTimeoutMs: 60_000,
  probeTimeoutMs: 3_000,
};

/** Options for {@link watchBoot}. */
export interface WatchBootOptions {
  /** Timers. */
  timing: SmokeTiming;
  /** The console's baud rate (115200 for NodeMCU). */
  consoleBaud: number;
  /** Whether the host starts at the ROM's rate (74880) and must switch to the console's. */
  atRomBaud: boolean;
  /** The ROM's rate, to hear why a looping board restarts (none: the port cannot do it). */
  romBaud?: number;
  /** Manual reset: wait up to `manualResetTimeoutMs` for the first byte, without nudging. */
  waitForFirstByte: boolean;
  /** Receives `phase` and `format-progress` events. */
  onEvent?: SmokeEventHandler;
  /** Clock in milliseconds. */
  now?: () => number;
}

/** How the boot went. */
export interface BootWatch {
  /** Why the watch stopped. */
  stop: BootStop;
  /** The parsed capture at that moment. */
  log: BootLog;
  /** The furthest phase seen. */
  phase: SmokePhase;
  /** Milliseconds from the start of the watch to the ROM line, the banner, the first prompt. */
  marks: { romMs?: number; bannerMs?: number; promptMs?: number };
  /** How long the watch lasted. */
  waitedMs: number;
}

interface WatchState {
  t0: number;
  atRom: boolean;
  phase: SmokePhase;
  dots: number;
  parsed: number;
  log: BootLog;
  fatalAt: number | undefined;
  formatStartAt: number | undefined;
  formatEndAt: number | undefined;
  switchedAt: number;
  nudges: number;
  lastNudgeAt: number;
  firstByteAt: number | undefined;
  marks: BootWatch["marks"];
  /** Back at the ROM rate for a restart's cause: from this capture offset, until this time. */
  relisten: { from: number; until: number; heardAt?: number } | undefined;
}

const MAX_NUDGES = 2;

function noteProgress(capture: ConsoleCapture, s: WatchState, t: number, o: WatchBootOptions) {
  if (capture.length === s.parsed) return;
  s.log = parseBootLog(capture.text);
  s.parsed = capture.length;
  if (capture.length > 0) s.firstByteAt ??= t;
  const at = Math.round(t - s.t0);
  for (const phase of shownPhases(s.log)) {
    if (laterPhase(s.phase, phase) === s.phase) continue;
    s.phase = phase;
    o.onEvent?.({ type: "phase", phase, atMs: at });
  }
  if (s.log.rom.boots.length > 0) s.marks.romMs ??= at;
  if (s.log.banners.length > 0) s.marks.bannerMs ??= at;
  if (s.log.prompts.length > 0) s.marks.promptMs ??= at;
  const dots = s.log.formatting?.dots ?? 0;
  if (dots !== s.dots) {
    s.dots = dots;
    o.onEvent?.({ type: "format-progress", dots });
  }
}

/** When the host should leave the ROM rate, or `undefined` for "not yet decided". */
function romSwitchAt(
  capture: ConsoleCapture,
  s: WatchState,
  o: WatchBootOptions,
): number | undefined {
  const header = s.log.rom.boots[0];
  // A manual reset's window starts at the first byte.
  const startedAt = o.waitForFirstByte ? s.firstByteAt : s.t0;
  if (startedAt === undefined) return undefined;
  // Noise after the ROM's header: the firmware already talks at the console rate.
  const chunkStart = capture.length - capture.lastChunk.length;
  const noise = header !== undefined && chunkStart > header.at && looksGarbled(capture.lastChunk);
  return romWindowEnd({
    startedAt,
    header: header !== undefined,
    noiseAfterHeader: noise,
    lastByteAt: capture.lastByteAt,
  }, { windowMs: o.timing.romWindowMs, quietMs: o.timing.romQuietMs });
}

/**
 * Watches a boot until a prompt, a fatal signature, a stalled format, a timeout or the port's end.
 *
 * @param capture the capture, already reading (the reset has just been done)
 * @param options timers, rates and events
 * @returns how it went
 *
 * @example
 * ```ts
 * import { watchBoot, DEFAULT_SMOKE_TIMING } from "./watch_boot.ts";
 * import { ConsoleCapture } from "./console_capture.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import assert from "node:assert/strict";
 * const link = createMemoryLink({ receive: () => {} });
 * link.deliver(new TextEncoder().encode("NodeMCU 2.1.0 build unspecified powered by Lua 5.1.4\r\n> "));
 * const capture = new ConsoleCapture(link.transport);
 * const timing = { ...DEFAULT_SMOKE_TIMING, promptSettleMs: 5 };
 * const boot = await watchBoot(capture, {
 *   timing, consoleBaud: 115200, atRomBaud: false, waitForFirstByte: false,
 * });
 * assert.equal(boot.stop, "prompt");
 * assert.equal(boot.phase, "prompt");
 * capture.release();
 * await link.transport.close();
 * ```
 */
export async function watchBoot(
  capture: ConsoleCapture,
  options: WatchBootOptions,
): Promise<BootWatch> {
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const s: WatchState = {
    t0,
    atRom: options.atRomBaud,
    phase: "silent",
    dots: 0,
    parsed: -1,
    log: parseBootLog(""),
    fatalAt: undefined,
    formatStartAt: undefined,
    formatEndAt: undefined,
    switchedAt: t0,
    nudges: 0,
    lastNudgeAt: t0,
    firstByteAt: undefined,
    marks: {},
    relisten: undefined,
  };
  const finish = (stop: BootStop): BootWatch => ({
    stop,
    log: s.log,
    phase: s.phase,
    marks: s.marks,
    waitedMs: now() - t0,
  });
  while (true) {
    const t = now();
    noteProgress(capture, s, t, options);
    const step = await decide(capture, s, t, options);
    if (typeof step === "string") return finish(step);
    const result = await capture.read(Math.max(1, step - now()));
    if (result === "ended") {
      noteProgress(capture, s, now(), options);
      return finish("ended");
    }
  }
}

/** One turn of the watch: stop (returns why) or return when to look again. */
async function decide(
  capture: ConsoleCapture,
  s: WatchState,
  t: number,
  o: WatchBootOptions,
): Promise<BootStop | number> {
  const timing = o.timing;
  const last = capture.lastByteAt;
  const wakes: number[] = [];
  if (fatalSign(s.log) !== undefined) {
    s.fatalAt ??= t;
    const restart = await hearRestart(capture, s, t, o);
    if (restart !== undefined) return restart;
    const until = Math.min((last ?? t) + timing.settleMs, s.fatalAt + timing.settleMaxMs);
    return t >= until ? "fatal" : until;
  }
  if (!s.atRom && endsWithPrompt(capture.text)) {
    const until = (last ?? t) + timing.promptSettleMs;
    if (t >= until) return "prompt";
    wakes.push(until);
  }
  if (s.atRom) {
    const at = romSwitchAt(capture, s, o);
    if (at !== undefined && t >= at) {
      s.atRom = false;
      s.switchedAt = t;
      await capture.setBaud(o.consoleBaud, "the ROM is done; NodeMCU talks at the console rate");
    } else if (at !== undefined) wakes.push(at);
  }
  const fmt = s.log.formatting;
  if (fmt !== undefined && !fmt.ended) {
    s.formatStartAt ??= t;
    const idle = (last ?? t) + timing.formatIdleMs;
    const whole = s.formatStartAt + timing.formatTimeoutMs;
    if (t >= Math.min(idle, whole)) return "format-stalled";
    wakes.push(Math.min(idle, whole));
  } else {
    if (fmt?.ended) s.formatEndAt ??= t;
    const waiting = o.waitForFirstByte && last === undefined;
    // The boot clock starts at the reset, or at the first byte after asking for a manual one.
    const started = o.waitForFirstByte ? s.firstByteAt ?? s.t0 : s.t0;
    const deadline = waiting
      ? s.t0 + timing.manualResetTimeoutMs
      : (s.formatEndAt ?? started) + timing.bootTimeoutMs;
    if (t >= deadline) return "timeout";
    wakes.push(deadline);
    if (!s.atRom && !waiting && s.nudges < MAX_NUDGES && !endsWithPrompt(capture.text)) {
      const nudgeAt = Math.max(last ?? s.t0, s.lastNudgeAt, s.switchedAt) + timing.nudgeAfterMs;
      if (t >= nudgeAt) {
        s.nudges++;
        s.lastNudgeAt = t;
        await capture.send("\r\n");
        wakes.push(t + timing.nudgeAfterMs);
      } else wakes.push(nudgeAt);
    }
  }
  return Math.min(...wakes);
}

/**
 * A loop whose restarts show only as repeated banners at the console rate: nothing says why.
 * Listens at the ROM rate until the next restart's ROM line (and the line after it) is in, or
 * the window closes. `undefined` when there is nothing to hear (a signature already explains
 * the loop, the ROM line is already in, or the port cannot do the ROM's rate).
 */
async function hearRestart(
  capture: ConsoleCapture,
  s: WatchState,
  t: number,
  o: WatchBootOptions,
): Promise<BootStop | number | undefined> {
  const timing = o.timing;
  if (s.relisten === undefined) {
    const explained = s.log.signatures.some((sig) => sig.fatal) || s.log.rom.boots.length > 1;
    if (o.romBaud === undefined || s.atRom || explained) return undefined;
    s.relisten = { from: capture.length, until: t + timing.restartWindowMs };
    const ok = await capture.setBaud(
      o.romBaud,
      "the board restarts: reading the ROM's reset cause",
    );
    if (!ok) s.relisten.until = t;
    return t + timing.romQuietMs;
  }
  const { from, until } = s.relisten;
  if (s.relisten.heardAt === undefined) {
    if (s.log.rom.boots.some((b) => b.at >= from)) s.relisten.heardAt = t;
    else return t >= until ? "fatal" : until;
  }
  // The ROM's lines come in one burst; the firmware's bytes after them are noise at this rate.
  const quietAt = (capture.lastByteAt ?? t) + timing.romQuietMs;
  const doneAt = Math.min(quietAt, s.relisten.heardAt + timing.settleMs);
  return t >= doneAt || looksGarbled(capture.lastChunk) ? "fatal" : doneAt;
}
