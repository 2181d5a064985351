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
  },
  {
    code: "smoke/gpio15-high",
    kind: "device",
    meaning: "The board started in SDIO mode (waiting for host): GPIO15 was high at reset.",
    hint: "Pull GPIO15 low; it is wiring, not firmware.",
  },
  {
    code: "smoke/bad-image",
    kind: "device",
    meaning:
      "The ROM could not read the image at 0x0 (csum err): a wrong flash mode or a corrupt image.",
    hint: "Reflash with --flash-mode dout (ESP8285, ESP-01) or dio (ESP-12), erasing first.",
  },
  {
    code: "smoke/no-init-data",
    kind: "device",
    meaning: "The SDK found no RF init data (rf_cal[0] !=0x05) and keeps rebooting.",
    hint: "Reflash with --init-data default.",
  },
  {
    code: "smoke/empty-flash",
    kind: "device",
    meaning: "The ROM found nothing to boot at 0x0 (ets_main.c).",
    hint: "Write the firmware at 0x0, to this board's port.",
  },
  {
    code: "smoke/partition-table",
    kind: "device",
    meaning: "NodeMCU 3.x stopped at start-up: its partition table does not fit the chip.",
    hint: "Reflash with --flash-size detect; NodeMCU 3.x needs at least 1 MB.",
  },
  {
    code: "smoke/format-failed",
    kind: "device",
    meaning: "NodeMCU could not format its file system.",
    hint: "Reflash with --flash-size detect: the header's size does not match the chip.",
  },
  {
    code: "smoke/out-of-memory",
    kind: "device",
    meaning: "The firmware ran out of heap memory.",
    hint: "Build with fewer modules or move Lua code into LFS.",
  },
  {
    code: "smoke/init-lua-error",
    kind: "device",
    meaning:
      "init.lua raised an uncaught Lua error and the board restarted: the firmware works, the script does not.",
    hint: 'Fix or remove init.lua (file.remove("init.lua") right after a reset).',
  },
  {
    code: "smoke/fatal-exception",
    kind: "device",
    meaning: "The firmware crashed with a Fatal exception.",
    hint:
      "Erase the chip and reflash all of the firmware with the right --flash-size and --flash-mode.",
  },
  {
    code: "smoke/watchdog-reset",
    kind: "device",
    meaning: "The hardware watchdog reset the board (rst cause:4).",
    hint:
      "Power-cycle and check the supply; Lua code that runs long without yielding also trips it.",
  },
  {
    code: "smoke/boot-loop",
    kind: "device",
    meaning: "The board keeps rebooting.",
    hint: "Erase the chip and reflash with --flash-size detect; check the power supply.",
  },
  {
    code: "smoke/system-param",
    kind: "device",
    meaning: "The SDK found inconsistent system parameters at the end of the flash.",
    hint: "Erase the chip and reflash with --flash-size detect.",
  },
  {
    code: "smoke/format-stalled",
    kind: "device",
    meaning: "NodeMCU began formatting its file system but did not finish in time.",
    hint: "Rerun with a longer smoke timeout; large flash chips take minutes to format.",
  },
  {
    code: "smoke/port-closed",
    kind: "device",
    meaning: "The port closed during the smoke test.",
    hint: "Make sure no other program uses the port and the board stays connected.",
  },
  {
    code: "smoke/silent",
    kind: "device",
    meaning: "Nothing (or a few stray bytes) came from the board after the reset.",
    hint: "Check power, the port and the cable; press RESET on boards without auto-reset.",
  },
  {
    code: "smoke/garbled",
    kind: "device",
    meaning: "Only unreadable bytes came: a wrong baud rate or a bad cable.",
    hint:
      "NodeMCU talks at 115200 baud (builds before mid-2016 at 9600); check the cable and ground.",
  },
  {
    code: "smoke/console-unreadable",
    kind: "device",
    meaning: "The ROM started the firmware, but its console was silent or unreadable.",
    hint: "Set the firmware's console rate (NodeMCU: 115200); the image may not be NodeMCU.",
  },
  {
    code: "smoke/prompt-busy",
    kind: "device",
    meaning: "The Lua prompt appeared but output kept coming without a fresh prompt.",
    hint: "Remove init.lua (or make it quieter) before the smoke test.",
  },
  {
    code: "smoke/no-prompt",
    kind: "device",
    meaning: "No Lua prompt appeared in time.",
    hint: "Check that NodeMCU was flashed; init.lua may hold the UART.",
  },
  {
    code: "smoke/prompt-unresponsive",
    kind: "device",
    meaning: "The Lua prompt did not answer an empty line with a fresh prompt.",
    hint: "init.lua may have taken over the UART or still be running: remove it, or wait longer.",
  },
  {
    code: "smoke/lua-not-running",
    kind: "device",
    meaning: "Something echoed at the prompt but did not compute the probe.",
    hint: "Check that NodeMCU (not AT or MicroPython firmware) was flashed, and the baud rate.",
  },
  {
    code: "smoke/user-probe-failed",
    kind: "device",
    meaning: "The --lua probe's output does not match --expect.",
    hint: "Check the expected pattern or what the firmware provides.",
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
