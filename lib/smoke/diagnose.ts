/**
 * Diagnosis: what a failed boot capture means, in words a user can act on. Each failure has a
 * stable code (`smoke/...`), a one-line message naming what failed on which port, and a hint
 * saying what to do (docs/boot-log.md B). Pure: it reads a parsed {@link BootLog} and how the
 * capture ended.
 *
 * @module
 */

import { deviceError, type NodeflashError, seeTroubleshooting } from "../errors.ts";
import type { BootLog } from "./boot_log.ts";
import { captureRules } from "./capture_rules.ts";
import type { SignatureId, SignatureMatch } from "./signatures.ts";

/** What went wrong, for the user. */
export interface Diagnosis {
  /** Stable code, e.g. `"smoke/bad-image"`. */
  code: string;
  /** One line naming what failed on which port. */
  message: string;
  /** What to do about it. */
  hint: string;
  /** The console line that shows it, when there is one. */
  evidence?: string;
}

/** How the wait for a prompt ended. */
export type BootStop = "prompt" | "fatal" | "timeout" | "format-stalled" | "ended";

/** A probe the prompt did not pass. */
export interface ProbeFailure {
  /** `"empty-line"` (`\r\n` gave no fresh prompt), `"nonce"` (the computed answer was missing), `"user"`. */
  step: "empty-line" | "nonce" | "user";
  /** What was typed (without the line end). */
  sent: string;
  /** What came back (after the echo, prompt removed, trimmed). */
  reply: string;
  /** For the user probe: the pattern it had to match. */
  expect?: RegExp;
}

/** How the capture ended, and where. */
export interface DiagnoseContext {
  /** The port, named in messages. */
  url: string;
  /** Why the wait for a prompt stopped. */
  stop: BootStop;
  /** How long the smoke test waited, for messages. */
  waitedMs: number;
  /** The baud rate the console was read at. */
  consoleBaud: number;
  /** Set when a prompt was reached but a probe failed. */
  probe?: ProbeFailure;
}

/** One diagnosis rule: returns a diagnosis when the capture shows its failure. */
export type DiagnosisRule = (log: BootLog, context: DiagnoseContext) => Diagnosis | undefined;

const EXCEPTIONS: Record<string, string> = {
  "0": "IllegalInstruction",
  "3": "LoadStoreError",
  "6": "IntegerDivideByZero",
  "9": "LoadStoreAlignment",
  "28": "LoadProhibited: a read through a bad pointer",
  "29": "StoreProhibited: a write through a bad pointer",
};

function sig(log: BootLog, ...ids: SignatureId[]): SignatureMatch | undefined {
  return log.signatures.find((s) => ids.includes(s.id));
}

function withEvidence(d: Diagnosis, evidence: string | undefined): Diagnosis {
  return evidence === undefined ? d : { ...d, evidence };
}

/** How many times the board restarted on its own, or `undefined` when it did not loop. */
function bootLoopCount(log: BootLog): number | undefined {
  const boots = log.rom.boots.length;
  if (boots >= 3) return boots;
  const banners = log.banners;
  if (banners.length >= 2) {
    const first = banners[0]!.end;
    const last = banners[banners.length - 1]!.at;
    if (!log.prompts.some((p) => p >= first && p < last)) return banners.length;
  }
  if (boots >= 2 && log.rom.wdtResets >= 2) return boots;
  return undefined;
}

/**
 * The first sign that the boot cannot succeed (so waiting for a prompt is pointless), as the
 * console line that shows it.
 *
 * @param log a parsed boot log
 * @returns the evidence, or `undefined` while the boot may still succeed
 *
 * @example
 * ```ts
 * import { fatalSign } from "./diagnose.ts";
 * import { parseBootLog } from "./boot_log.ts";
 * if (fatalSign(parseBootLog("Fatal exception (28):\r\n")) !== "Fatal exception (28):") throw new Error();
 * if (fatalSign(parseBootLog("system param error, use last saved param!\r\n")) !== undefined) {
 *   throw new Error("the SDK continues after this one");
 * }
 * ```
 */
export function fatalSign(log: BootLog): string | undefined {
  const fatal = log.signatures.find((s) => s.fatal);
  if (fatal) return fatal.line;
  const strapped = log.rom.boots.find((b) => b.bootMode[0] !== 3);
  if (strapped) return `boot mode:(${strapped.bootMode.join(",")})`;
  const loops = bootLoopCount(log);
  if (loops !== undefined) return `${loops} boots`;
  return undefined;
}

const romRules: DiagnosisRule[] = [
  (log, { url }) => {
    const boot = log.rom.boots.find((b) => b.bootMode[0] === 1);
    if (!boot) return undefined;
    return {
      code: "smoke/download-mode",
      message: `The board on ${url} started in UART download mode (boot mode (1,${
        boot.bootMode[1]
      })): GPIO0 was held low at reset, so the firmware did not run`,
      hint:
        "Release the FLASH/BOOT button and DTR, then reset again: a terminal or adapter that keeps DTR asserted holds GPIO0 low.",
      evidence: `boot mode:(${boot.bootMode.join(",")})`,
    };
  },
  (log, { url }) => {
    const boot = log.rom.boots.find((b) => b.bootMode[0] >= 4);
    if (!boot && !log.rom.waitingForHost) return undefined;
    const mode = boot ? ` (boot mode (${boot.bootMode.join(",")}))` : "";
    return {
      code: "smoke/gpio15-high",
      message:
        `The board on ${url} started in SDIO mode${mode} and is waiting for host: GPIO15 was high at reset`,
      hint: "Pull GPIO15 low (about 10 kOhm to GND); this is a wiring fault, not a firmware one.",
    };
  },
  (log, { url }) => {
    if (!log.rom.csumError) return undefined;
    return withEvidence({
      code: "smoke/bad-image",
      message:
        `The ESP8266 ROM on ${url} could not read the firmware image at 0x0 (csum err): wrong flash mode or a corrupt image`,
      hint:
        "Reflash with the board's flash mode, --flash-mode dout on ESP8285/ESP-01 boards or --flash-mode dio on ESP-12/NodeMCU boards, erasing first; check the image was written at 0x0 and the supply is stable.",
    }, sig(log, "csum-error")?.line);
  },
  (log, { url }) => {
    const rf = sig(log, "rf-cal");
    if (!rf) return undefined;
    return {
      code: "smoke/no-init-data",
      message: `The SDK on ${url} found no valid RF init data (${rf.line}) and keeps rebooting`,
      hint:
        "Write the init data: reflash with --init-data default (NodeMCU 2.0 and later also restore it after a full erase and reflash).",
      evidence: rf.line,
    };
  },
  (log, { url }) => {
    if (!log.rom.etsMain) return undefined;
    return withEvidence({
      code: "smoke/empty-flash",
      message:
        `The ESP8266 ROM on ${url} found nothing valid to boot at flash offset 0x0 (ets_main.c)`,
      hint:
        "The flash is erased or the write did not happen: write the firmware at 0x0 and check that it went to this port.",
    }, sig(log, "ets-main")?.line);
  },
];

const RESTART_HINT =
  'Fix the code at the position the message names, or remove init.lua: reflash the file system, or type file.remove("init.lua") at the prompt, which comes before the callback runs.';

const firmwareRules: DiagnosisRule[] = [
  (log, { url }) => {
    const pt = sig(log, "partition-table");
    if (!pt) return undefined;
    return {
      code: "smoke/partition-table",
      message: `NodeMCU on ${url} stopped at start-up: ${pt.line}`,
      hint:
        "The partition table does not fit the chip: reflash with --flash-size detect (erase first if a custom partition table was used); NodeMCU 3.x needs at least 1 MB.",
      evidence: pt.line,
    };
  },
  (log, { url }) => {
    const ff = sig(log, "format-failed");
    if (!ff) return undefined;
    return {
      code: "smoke/format-failed",
      message: `NodeMCU on ${url} could not format its file system (${ff.line})`,
      hint:
        "The flash size in the image header does not match the chip: reflash with --flash-size detect.",
      evidence: ff.line,
    };
  },
  (log, { url }) => {
    const panic = sig(log, "lua-panic");
    const oom = sig(log, "cannot-create-state", "heap-exhausted") ??
      (panic?.detail?.includes("not enough memory") ? panic : undefined);
    if (!oom) return undefined;
    return {
      code: "smoke/out-of-memory",
      message: `The firmware on ${url} ran out of heap memory (${oom.line})`,
      hint:
        "Build the firmware with fewer modules or move Lua code into LFS; look for large allocations in init.lua.",
      evidence: oom.line,
    };
  },
  (log, { url }) => {
    // A PANIC is an error outside any protected call: a callback (a timer, an event) on
    // firmware before June 2020. init.lua's own errors are caught and printed (a warning).
    const panic = sig(log, "lua-panic");
    if (!panic) return undefined;
    const what = panic.detail ?? "an uncaught Lua error";
    return {
      code: "smoke/init-lua-error",
      message:
        `NodeMCU on ${url} started, but a Lua callback (a timer or event handler, usually set up by init.lua) raised an uncaught error and the board restarted (${what}): the firmware works, the script does not`,
      hint: RESTART_HINT,
      evidence: panic.line,
    };
  },
  (log, { url }) => {
    // 3.x from June 2020: a callback's traceback, printed by node.setonerror's default
    // handler, then a restart 2 s later.
    const restart = (at: number) =>
      log.rom.boots.some((b) => b.at > at) || log.banners.some((b) => b.at > at);
    const error = log.luaErrors.find((e) => e.traceback && restart(e.at));
    if (!error) return undefined;
    return {
      code: "smoke/init-lua-error",
      message:
        `NodeMCU on ${url} started, but a Lua error (${error.message}) was followed by a restart: a callback's error restarts NodeMCU 3.x (node.setonerror's default): the firmware works, the script does not`,
      hint: RESTART_HINT,
      evidence: error.message,
    };
  },
  (log, { url }) => {
    const ex = sig(log, "fatal-exception");
    if (!ex) return undefined;
    const name = EXCEPTIONS[ex.detail ?? ""];
    return {
      code: "smoke/fatal-exception",
      message: `The firmware on ${url} crashed with Fatal exception ${ex.detail ?? "?"}${
        name ? ` (${name})` : ""
      }`,
      hint:
        "Erase the chip and reflash all of the firmware (a split build needs 0x00000.bin and 0x10000.bin from the same build) with the right --flash-size and --flash-mode, and check the supply; if it persists after a clean erase, report it upstream with the banner.",
      evidence: ex.line,
    };
  },
  (log, { url }) => {
    const wdt = log.rom.boots.filter((b) => b.rstCause === 4).length;
    if (wdt === 0 || log.rom.wdtResets === 0) return undefined;
    return {
      code: "smoke/watchdog-reset",
      message: `The board on ${url} was reset by the hardware watchdog (rst cause:4, wdt reset) ${
        wdt > 1 ? `${wdt} times` : "during start-up"
      }`,
      hint:
        "Power-cycle the board and check the supply; if it persists, erase and reflash. Lua code that runs over ~500 ms without yielding (init.lua loops, tmr.delay) also trips the watchdog.",
      evidence: "wdt reset",
    };
  },
  (log, { url }) => {
    const n = bootLoopCount(log);
    if (n === undefined) return undefined;
    return {
      code: "smoke/boot-loop",
      message: `The board on ${url} keeps rebooting (${n} starts seen)`,
      hint:
        "Erase the chip and reflash with --flash-size detect; check the power supply (hubs, long or thin cables).",
    };
  },
  (log, { url }) => {
    const sp = sig(log, "system-param");
    if (!sp) return undefined;
    return {
      code: "smoke/system-param",
      message: `The SDK on ${url} found inconsistent system parameters at the end of flash`,
      hint: "Erase the chip and reflash with --flash-size detect.",
      evidence: sp.line,
    };
  },
];

/**
 * Explains why a smoke test failed.
 *
 * Order matters: ROM-level failures first (strapping, unreadable or missing image, init data),
 * then firmware crashes, then how the capture ended (format stalled, silence, noise, no prompt,
 * probes).
 *
 * @param log the parsed capture
 * @param context how it ended
 * @returns the diagnosis, or `undefined` when the prompt answered every probe
 *
 * @example
 * ```ts
 * import { diagnose } from "./diagnose.ts";
 * import { parseBootLog } from "./boot_log.ts";
 * import assert from "node:assert/strict";
 * const log = parseBootLog(
 *   "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\nload 0x00000000, len 0, room 16 \r\n" +
 *     "csum err\r\nets_main.c \r\n",
 * );
 * const d = diagnose(log, { url: "/dev/ttyUSB0", stop: "fatal", waitedMs: 300, consoleBaud: 115200 });
 * assert.equal(d?.code, "smoke/bad-image");
 * assert.match(d?.hint ?? "", /--flash-mode dout/);
 * ```
 */
export function diagnose(log: BootLog, context: DiagnoseContext): Diagnosis | undefined {
  if (context.stop === "prompt" && context.probe === undefined) return undefined;
  // Once a prompt was reached, only what happened after it can explain a failed probe.
  const view = context.stop === "prompt" ? afterFirstPrompt(log) : log;
  const rules = context.stop === "prompt" ? firmwareRules : [...romRules, ...firmwareRules];
  for (const rule of [...rules, ...captureRules]) {
    const found = rule(view, context);
    if (found) return { ...found, hint: `${found.hint} ${seeTroubleshooting(found.code)}` };
  }
  return undefined;
}

function afterFirstPrompt(log: BootLog): BootLog {
  const p = log.prompts[0] ?? 0;
  return {
    ...log,
    rom: {
      ...log.rom,
      boots: log.rom.boots.filter((b) => b.at > p),
      csumError: false,
      etsMain: false,
      wdtResets: 0,
      waitingForHost: false,
    },
    banners: log.banners.filter((b) => b.at > p),
    signatures: log.signatures.filter((s) => s.at > p),
    luaErrors: log.luaErrors.filter((e) => e.at > p),
  };
}

/**
 * Turns a diagnosis into the library's error type (a device error), for callers that throw.
 *
 * @param diagnosis the diagnosis
 * @returns a `NodeflashError` with the same code, message and hint
 *
 * @example
 * ```ts
 * import { diagnosisError } from "./diagnose.ts";
 * const e = diagnosisError({ code: "smoke/silent", message: "Nothing came", hint: "Check power." });
 * if (e.kind !== "device" || e.code !== "smoke/silent") throw new Error();
 * ```
 */
export function diagnosisError(diagnosis: Diagnosis): NodeflashError {
  return deviceError(diagnosis.code, diagnosis.message, diagnosis.hint, {
    details: diagnosis.evidence === undefined ? {} : { evidence: diagnosis.evidence },
  });
}
