/**
 * Diagnosis rules about how a capture ended rather than what the board printed: a failed probe,
 * a stalled format, a closed port, silence, line noise, or text without a prompt.
 *
 * @module
 */

import { formatDuration } from "../bytes/duration.ts";
import type { BootLog } from "./boot_log.ts";
import type { Diagnosis, DiagnosisRule } from "./diagnose.ts";
import { bootPhase } from "./phase.ts";

const seconds = formatDuration;

function garbled(part: { length: number; noise: number }): boolean {
  return part.noise > 0 && part.noise * 10 >= part.length;
}

function quote(text: string, max = 60): string {
  const one = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(one.length > max ? one.slice(0, max) + "..." : one);
}

function probeRule(_log: BootLog, ctx: Parameters<DiagnosisRule>[1]): Diagnosis | undefined {
  const p = ctx.probe;
  if (p === undefined) return undefined;
  const { url } = ctx;
  if (p.step === "empty-line") {
    return {
      code: "smoke/prompt-unresponsive",
      message: `The Lua prompt on ${url} did not answer an empty line with a fresh prompt`,
      hint:
        'init.lua may have taken over the UART (uart.on("data", ..., 0)) or still be running: remove init.lua, or wait longer before probing.',
    };
  }
  if (p.step === "nonce") {
    const echoed = p.reply === "" ? "nothing" : quote(p.reply);
    return {
      code: "smoke/lua-not-running",
      message:
        `The console on ${url} did not run the probe ${p.sent}: it answered ${echoed} instead of the computed result`,
      hint:
        "Something echoes at the prompt but the Lua interpreter did not evaluate the probe: check that NodeMCU (not AT or MicroPython firmware) was flashed and that the baud rate is right.",
    };
  }
  return {
    code: "smoke/user-probe-failed",
    message: `The probe ${p.sent} on ${url} printed ${quote(p.reply)}, which does not match ${
      String(p.expect)
    }`,
    hint: "The board runs Lua; check the probe's expected pattern or what the firmware provides.",
  };
}

/** Rules applied after the ROM and firmware rules, in order. */
export const captureRules: readonly DiagnosisRule[] = [
  probeRule,
  (log, { url, stop, waitedMs }) => {
    if (stop !== "format-stalled") return undefined;
    const dots = log.formatting?.dots ?? 0;
    return {
      code: "smoke/format-stalled",
      message:
        `NodeMCU on ${url} started formatting its file system but did not finish (${dots} dots in ${
          seconds(waitedMs)
        })`,
      hint:
        "Large flash chips take minutes to format (4 MB about 40 s, 16 MB up to 6 min): rerun with a longer smoke timeout; if it stalls again, erase the chip and reflash.",
    };
  },
  (log, { url, stop, waitedMs }) => {
    if (stop !== "ended") return undefined;
    return {
      code: "smoke/port-closed",
      message: `The port ${url} closed after ${seconds(waitedMs)} of the smoke test (${
        bootPhase(log)
      } phase reached)`,
      hint: "Make sure no other program uses the port and that the board stays connected.",
    };
  },
  (log, { url, waitedMs }) => {
    if (bootPhase(log) !== "silent" || log.length >= 8) return undefined;
    const what = log.length === 0 ? "Nothing" : `Only ${log.length} stray bytes`;
    return {
      code: "smoke/silent",
      message: `${what} came from ${url} in ${seconds(waitedMs)} after the reset`,
      hint:
        `Check that the board is powered, that ${url} is its port and that the USB cable carries data; without an auto-reset circuit use the manual reset and press RESET.`,
    };
  },
  (log, { url, consoleBaud }) => {
    if (bootPhase(log) !== "silent" || !garbled(log)) return undefined;
    return {
      code: "smoke/garbled",
      message:
        `Only unreadable bytes came from ${url} (${log.length} bytes at ${consoleBaud} baud): wrong baud rate or a bad cable`,
      hint:
        "NodeMCU talks at 115200 baud (builds before mid-2016 at 9600); the ROM's 74880-baud lines look like this when the adapter cannot do 74880. Check the cable and ground, and the baud rate.",
    };
  },
  (log, { url, consoleBaud }) => {
    if (bootPhase(log) !== "rom") return undefined;
    if (log.afterRom.length > 0 && !garbled(log.afterRom)) return undefined;
    const after = log.afterRom.length === 0 ? "nothing followed" : "its console was unreadable";
    return {
      code: "smoke/console-unreadable",
      message: `The ROM on ${url} started the firmware, but ${after} at ${consoleBaud} baud`,
      hint:
        "Set the baud rate the firmware's console uses (NodeMCU: 115200; builds before mid-2016: 9600); if nothing followed, the image may not be NodeMCU.",
    };
  },
  (log, { url, waitedMs }) => {
    if (log.prompts.length === 0) return undefined;
    return {
      code: "smoke/prompt-busy",
      message: `The Lua prompt on ${url} appeared but output kept coming for ${
        seconds(waitedMs)
      } without a fresh prompt`,
      hint:
        "init.lua or its timers keep printing or restarting the prompt: remove init.lua (or make it quieter) before the smoke test.",
    };
  },
  (log, { url, waitedMs }) => {
    const banner = log.banners.length > 0;
    return {
      code: "smoke/no-prompt",
      message: banner
        ? `NodeMCU on ${url} printed its banner but no Lua prompt within ${seconds(waitedMs)}`
        : `The board on ${url} printed output but no NodeMCU banner or Lua prompt within ${
          seconds(waitedMs)
        }`,
      hint: banner
        ? 'init.lua may still be running or may have taken over the UART (uart.on("data", ..., 0)): remove init.lua or raise the timeout.'
        : "Check that NodeMCU firmware was flashed (AT and MicroPython firmware print something else) and that the baud rate is right.",
    };
  },
];
