/**
 * One board's job: open its port (the serial transport holds the port's lock while open),
 * flash, verify, then smoke-test NodeMCU's boot. Never throws: whatever happens ends up in the
 * board's result, so one board's failure does not stop the others.
 *
 * @module
 */

import {
  type BaudSetting,
  flash,
  type FlashFile,
  type FlashResult,
  type InitDataChoice,
  isNodeflashError,
  ReopenableTransport,
  type Transport,
} from "../mod.ts";
import type { FlashMode, FlashSizeName } from "../lib/image/mod.ts";
import { runSmokeTest, type SmokeResult, type SmokeTestOptions } from "../lib/smoke/mod.ts";
import { eventLine } from "./event_line.ts";
import { type LuaJob, luaStep, type LuaSummary } from "./lua_board.ts";

/** What every board gets. */
export interface BoardSettings {
  /** The firmware (at 0x0). */
  files: FlashFile[];
  /** Init data. */
  initData: InitDataChoice;
  /** Working baud rate: `auto` (the fastest that works) or a rate. */
  baud: BaudSetting;
  /** Flash mode for the header. */
  flashMode: FlashMode | "keep";
  /** Flash size for the header. */
  flashSize: FlashSizeName | "detect" | "keep";
  /** Erase the chip first. */
  erase: "none" | "all";
  /** Run the smoke test. */
  smoke: "on" | "off";
  /** Boot-to-prompt limit, ms. */
  smokeTimeoutMs: number;
  /** Extra probe. */
  probe: { lua: string; expect: RegExp } | undefined;
  /** Files to sync and tests to run on the board's Lua side, if any. */
  lua?: LuaJob;
}

/** A failure, as the summary and annotations show it. */
export interface BoardProblem {
  /** Stable code (`connect/no-sync`, `smoke/bad-image`...). */
  code: string;
  /** What failed on which port. */
  message: string;
  /** What to do. */
  hint: string | null;
}

/** What the smoke test found, in short. */
export interface SmokeSummary {
  /** Passed. */
  ok: boolean;
  /** How far the board got (`silent`, `rom`, `banner`, `prompt`, `probed`...). */
  phase: string;
  /** NodeMCU version from the banner. */
  nodemcu: string | null;
  /** Milliseconds from reset to the Lua prompt. */
  promptMs: number | null;
  /** Free heap the probe printed. */
  heap: number | null;
  /** The custom probe's outcome. */
  probe: { ok: boolean; output: string } | null;
  /** Why it failed. */
  diagnosis: (BoardProblem & { evidence: string | null }) | null;
  /** What a pass still reports (`smoke/init-lua-failed`: init.lua's error before the prompt). */
  warnings: BoardProblem[];
}

/** One board's outcome. */
export interface BoardResult {
  /** The port as given. */
  port: string;
  /** Flashed, verified and (when asked) smoke-tested. */
  ok: boolean;
  /** Where it stopped: `done`, or the step that failed. */
  stage: "done" | "open" | "flash" | "smoke" | "lua";
  /** Chip description (`ESP8266EX`). */
  chip: string | null;
  /** MAC address. */
  mac: string | null;
  /** Flash size in bytes. */
  flashBytes: number | null;
  /** Bytes written, all regions. */
  bytesWritten: number;
  /** Bytes that were already there. */
  bytesSkipped: number;
  /** Seconds spent flashing. */
  seconds: number;
  /** The smoke test, when it ran. */
  smoke: SmokeSummary | null;
  /** The Lua side (sync and tests), when it ran. */
  lua?: LuaSummary | null;
  /** Why the board failed (the smoke diagnosis for a failed smoke test). */
  problem: BoardProblem | null;
  /** Log lines (flash events, results). */
  lines: string[];
  /** Everything the board printed during the smoke test. */
  console: Uint8Array;
}

/** Options for {@link flashBoard}. */
export interface FlashBoardOptions {
  /** Settings shared by all boards. */
  settings: BoardSettings;
  /** Opens a port (`openTransport` with the sync rate). */
  open: (port: string) => Promise<Transport>;
  /** Each log line as it happens. */
  onLine?: (line: string) => void;
  /** Smoke-test timer overrides (tests); the boot limit comes from the settings. */
  smokeTiming?: SmokeTestOptions["timing"];
}

function problemOf(e: unknown): BoardProblem {
  if (isNodeflashError(e)) return { code: e.code, message: e.message, hint: e.hint ?? null };
  return {
    code: "internal/bug",
    message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    hint: "This is a bug in nodeflash: please report it with this log.",
  };
}

function smokeSummary(result: SmokeResult): SmokeSummary {
  const d = result.diagnosis;
  return {
    ok: result.ok,
    phase: result.phase,
    nodemcu: result.banner?.version ?? null,
    promptMs: result.timings.promptMs ?? null,
    heap: result.heap ?? null,
    probe: result.userProbe ?? null,
    diagnosis: d === undefined
      ? null
      : { code: d.code, message: d.message, hint: d.hint, evidence: d.evidence ?? null },
    warnings: result.warnings.map((w) => ({ code: w.code, message: w.message, hint: w.hint })),
  };
}

function addFlash(result: BoardResult, flashed: FlashResult): void {
  result.chip = flashed.chip.description;
  result.mac = flashed.chip.mac;
  result.flashBytes = flashed.flash.sizeBytes;
  result.bytesWritten = flashed.regions.reduce((n, r) => n + r.bytesWritten, 0);
  result.bytesSkipped = flashed.regions.reduce((n, r) => n + r.bytesSkipped, 0);
  result.seconds = Number(flashed.seconds.toFixed(3));
}

async function smokeTest(
  transport: Transport,
  result: BoardResult,
  options: FlashBoardOptions,
): Promise<void> {
  const { settings } = options;
  const smoke = await runSmokeTest(transport, {
    timing: { ...options.smokeTiming, bootTimeoutMs: settings.smokeTimeoutMs },
    ...(settings.probe === undefined ? {} : settings.probe),
  });
  result.console = smoke.log;
  result.smoke = smokeSummary(smoke);
  const d = result.smoke.diagnosis;
  if (smoke.ok) {
    const at = smoke.timings.promptMs === undefined
      ? ""
      : ` after ${(smoke.timings.promptMs / 1000).toFixed(1)} s`;
    result.lines.push(
      `smoke test passed: NodeMCU ${result.smoke.nodemcu ?? "(no banner)"}, Lua prompt${at}`,
    );
  } else {
    result.problem = d === null
      ? { code: "smoke/failed", message: `The smoke test failed on ${result.port}`, hint: null }
      : { code: d.code, message: d.message, hint: d.hint };
    result.lines.push(`smoke test failed (reached ${smoke.phase}): ${result.problem.message}`);
  }
}

/**
 * Flashes one board and smoke-tests it.
 *
 * @param port the port (device path or URL)
 * @param options settings, how to open ports, log lines
 * @returns the board's result; failures are in it, never thrown
 *
 * @example A port that cannot be opened is a failed board, not an exception
 * ```ts
 * import { flashBoard } from "./flash_board.ts";
 * import { userError } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const result = await flashBoard("/dev/ttyUSB9", {
 *   settings: { files: [], initData: { kind: "none" }, baud: 460800, flashMode: "keep",
 *     flashSize: "detect", erase: "none", smoke: "on", smokeTimeoutMs: 1000, probe: undefined },
 *   open: () => Promise.reject(userError("port/not-found", "No /dev/ttyUSB9", "Plug it in.")),
 * });
 * assert.equal(result.ok, false);
 * assert.equal(result.stage, "open");
 * assert.equal(result.problem?.code, "port/not-found");
 * ```
 */
export async function flashBoard(port: string, options: FlashBoardOptions): Promise<BoardResult> {
  const { settings } = options;
  const result: BoardResult = {
    port,
    ok: false,
    stage: "open",
    chip: null,
    mac: null,
    flashBytes: null,
    bytesWritten: 0,
    bytesSkipped: 0,
    seconds: 0,
    smoke: null,
    lua: null,
    problem: null,
    lines: [],
    console: new Uint8Array(0),
  };
  const say = (line: string) => {
    result.lines.push(line);
    options.onLine?.(line);
  };
  let transport: Transport | undefined;
  try {
    transport = await options.open(port);
    result.stage = "flash";
    const flashed = await flash(transport, {
      // a port opened with openReopenable is waited for when it goes away for a moment
      ...(transport instanceof ReopenableTransport ? { reopen: transport.reopen } : {}),
      files: settings.files,
      initData: settings.initData,
      baud: settings.baud,
      flashMode: settings.flashMode,
      flashSize: settings.flashSize,
      erase: settings.erase,
      // the smoke test (or the Lua side) resets the board itself, to watch the boot from its start
      after: settings.smoke === "on" || settings.lua !== undefined ? "no-reset" : "hard-reset",
      onEvent: (event) => {
        const line = eventLine(event);
        if (line !== undefined) say(line);
      },
    });
    addFlash(result, flashed);
    say(`flashed in ${result.seconds.toFixed(1)} s`);
    if (settings.smoke === "on") {
      result.stage = "smoke";
      await smokeTest(transport, result, options);
      options.onLine?.(result.lines.at(-1)!);
      if (result.problem !== null) return result;
    }
    if (settings.lua !== undefined) {
      result.stage = "lua";
      await luaStep(transport, result, settings.lua, { reset: settings.smoke !== "on", say });
      if (result.problem !== null) return result;
    }
    result.stage = "done";
    result.ok = true;
  } catch (e) {
    result.problem = problemOf(e);
    say(`failed (${result.stage}): ${result.problem.message}`);
    if (!isNodeflashError(e) && e instanceof Error && e.stack) result.lines.push(e.stack);
  } finally {
    await transport?.close().catch(() => {});
  }
  return result;
}
