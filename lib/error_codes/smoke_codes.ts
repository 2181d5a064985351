/**
 * The smoke test's diagnoses: why a board did not reach a Lua prompt that computes.
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** The smoke test's diagnoses: why a board did not reach a Lua prompt that computes. */
export const SMOKE_CODES: readonly ErrorCode[] = [
  {
    code: "smoke/download-mode",
    kind: "device",
    meaning:
      "The board started in UART download mode: GPIO0 was low at reset, so the firmware did not run.",
    hint: "Release the FLASH button and DTR, then reset again.",
    troubleshooting: "smoke-download-mode",
  },
  {
    code: "smoke/gpio15-high",
    kind: "device",
    meaning: "The board started in SDIO mode (waiting for host): GPIO15 was high at reset.",
    hint: "Pull GPIO15 low; it is wiring, not firmware.",
    troubleshooting: "smoke-gpio15-high",
  },
  {
    code: "smoke/bad-image",
    kind: "device",
    meaning:
      "The ROM could not read the image at 0x0 (csum err): a wrong flash mode or a corrupt image.",
    hint: "Reflash with --flash-mode dout (ESP8285, ESP-01) or dio (ESP-12), erasing first.",
    troubleshooting: "smoke-bad-image",
  },
  {
    code: "smoke/no-init-data",
    kind: "device",
    meaning: "The SDK found no RF init data (rf_cal[0] !=0x05) and keeps rebooting.",
    hint: "Reflash with --init-data default.",
    troubleshooting: "smoke-no-init-data",
  },
  {
    code: "smoke/empty-flash",
    kind: "device",
    meaning: "The ROM found nothing to boot at 0x0 (ets_main.c).",
    hint: "Write the firmware at 0x0, to this board's port.",
    troubleshooting: "smoke-empty-flash",
  },
  {
    code: "smoke/partition-table",
    kind: "device",
    meaning: "NodeMCU 3.x stopped at start-up: its partition table does not fit the chip.",
    hint: "Reflash with --flash-size detect; NodeMCU 3.x needs at least 1 MB.",
    troubleshooting: "smoke-partition-table",
  },
  {
    code: "smoke/format-failed",
    kind: "device",
    meaning: "NodeMCU could not format its file system.",
    hint: "Reflash with --flash-size detect: the header's size does not match the chip.",
    troubleshooting: "smoke-format-failed",
  },
  {
    code: "smoke/out-of-memory",
    kind: "device",
    meaning: "The firmware ran out of heap memory.",
    hint: "Build with fewer modules or move Lua code into LFS.",
    troubleshooting: "smoke-out-of-memory",
  },
  {
    code: "smoke/init-lua-error",
    kind: "device",
    meaning:
      "A Lua error outside init.lua's protected call (a callback it set up) restarted the board: the firmware works, the script does not.",
    hint:
      'Fix the callback the message names, or remove init.lua (file.remove("init.lua") at the prompt, before the callback runs).',
    troubleshooting: "smoke-init-lua-error",
  },
  {
    code: "smoke/init-lua-failed",
    kind: "warning",
    meaning:
      "The smoke test passed, but init.lua (or a callback it set up) printed a Lua error on the way to the prompt.",
    hint:
      "Fix init.lua at the file and line the message names; the prompt works, so it can be replaced.",
    troubleshooting: "smoke-init-lua-failed",
  },
  {
    code: "smoke/fatal-exception",
    kind: "device",
    meaning: "The firmware crashed with a Fatal exception.",
    hint:
      "Erase the chip and reflash all of the firmware with the right --flash-size and --flash-mode.",
    troubleshooting: "smoke-fatal-exception",
  },
  {
    code: "smoke/watchdog-reset",
    kind: "device",
    meaning: "The hardware watchdog reset the board (rst cause:4).",
    hint:
      "Power-cycle and check the supply; Lua code that runs long without yielding also trips it.",
    troubleshooting: "smoke-watchdog-reset",
  },
  {
    code: "smoke/boot-loop",
    kind: "device",
    meaning: "The board keeps rebooting.",
    hint: "Erase the chip and reflash with --flash-size detect; check the power supply.",
    troubleshooting: "smoke-boot-loop",
  },
  {
    code: "smoke/system-param",
    kind: "device",
    meaning: "The SDK found inconsistent system parameters at the end of the flash.",
    hint: "Erase the chip and reflash with --flash-size detect.",
    troubleshooting: "smoke-system-param",
  },
  {
    code: "smoke/format-stalled",
    kind: "device",
    meaning: "NodeMCU began formatting its file system but did not finish in time.",
    hint: "Rerun with a longer smoke timeout; large flash chips take minutes to format.",
    troubleshooting: "smoke-format-stalled",
  },
  {
    code: "smoke/port-closed",
    kind: "device",
    meaning: "The port closed during the smoke test.",
    hint: "Make sure no other program uses the port and the board stays connected.",
    troubleshooting: "smoke-port-closed",
  },
  {
    code: "smoke/silent",
    kind: "device",
    meaning: "Nothing (or a few stray bytes) came from the board after the reset.",
    hint: "Check power, the port and the cable; press RESET on boards without auto-reset.",
    troubleshooting: "smoke-silent",
  },
  {
    code: "smoke/garbled",
    kind: "device",
    meaning: "Only unreadable bytes came: a wrong baud rate or a bad cable.",
    hint:
      "NodeMCU talks at 115200 baud (builds before mid-2016 at 9600); check the cable and ground.",
    troubleshooting: "smoke-garbled",
  },
  {
    code: "smoke/console-unreadable",
    kind: "device",
    meaning: "The ROM started the firmware, but its console was silent or unreadable.",
    hint: "Set the firmware's console rate (NodeMCU: 115200); the image may not be NodeMCU.",
    troubleshooting: "smoke-console-unreadable",
  },
  {
    code: "smoke/prompt-busy",
    kind: "device",
    meaning: "The Lua prompt appeared but output kept coming without a fresh prompt.",
    hint: "Remove init.lua (or make it quieter) before the smoke test.",
    troubleshooting: "smoke-prompt-busy",
  },
  {
    code: "smoke/no-prompt",
    kind: "device",
    meaning: "No Lua prompt appeared in time.",
    hint: "Check that NodeMCU was flashed; init.lua may hold the UART.",
    troubleshooting: "smoke-no-prompt",
  },
  {
    code: "smoke/prompt-unresponsive",
    kind: "device",
    meaning: "The Lua prompt did not answer an empty line with a fresh prompt.",
    hint: "init.lua may have taken over the UART or still be running: remove it, or wait longer.",
    troubleshooting: "smoke-prompt-unresponsive",
  },
  {
    code: "smoke/lua-not-running",
    kind: "device",
    meaning: "Something echoed at the prompt but did not compute the probe.",
    hint: "Check that NodeMCU (not AT or MicroPython firmware) was flashed, and the baud rate.",
    troubleshooting: "smoke-lua-not-running",
  },
  {
    code: "smoke/user-probe-failed",
    kind: "device",
    meaning: "The --lua probe's output does not match --expect.",
    hint: "Check the expected pattern or what the firmware provides.",
    troubleshooting: "smoke-user-probe-failed",
  },
  {
    code: "smoke/failed",
    kind: "device",
    meaning: "The smoke test failed without a diagnosis.",
    hint: "Look at the boot log (--log FILE).",
  },
  {
    code: "smoke/bad-probe",
    kind: "user",
    meaning: "A user probe needs both the Lua code and the pattern its output must match.",
    hint: "Pass both --lua and --expect.",
  },
];
