/**
 * Failed boots for tests, one per failure signature of docs/boot-log.md B, each with the diagnosis
 * code and hint the smoke test must give: what a real board printed, burst by burst at its real
 * baud rate. The smoke tests replay them through the simulated board (tests/support/
 * replay_board.ts); the pure diagnosis tests flatten them into the text a host reading every
 * burst at its own rate would have seen.
 *
 * @module
 */

import {
  BANNERS,
  type BootContext,
  type BootScript,
  CONSOLE_BAUD,
  FORMATTING,
  ROM_BAUD,
  ROM_LOADS,
  romHeader,
} from "./transcripts.ts";

/** A failed boot and what must be said about it. */
export interface FailureCase {
  /** What goes wrong. */
  name: string;
  /** The board's boots. */
  script: (context: BootContext) => BootScript;
  /** The reset sequence that provokes it, when it is not the default hard reset. */
  resetSequence?: string;
  /**
   * How the board's output ends: on a fatal line (the smoke test stops early) or not at all
   * (the smoke test waits until its timeout).
   */
  ends: "fatal" | "timeout";
  /** The diagnosis code. */
  code: string;
  /** What the hint (or, with `inMessage`, the message) must say. */
  hint: RegExp;
  /** Match `hint` against the message rather than the hint. */
  inMessage?: boolean;
}

const ROM_OK = romHeader(2, [3, 6]) + ROM_LOADS;
const BANNER_3X = BANNERS[4]!.console.replace(/cannot open init\.lua: \r\n> $/, "");
const BANNER_2X = BANNERS[3]!.console.replace(/lua: cannot open init\.lua\r\n> $/, "");

function rom(data: string): BootScript["steps"][number] {
  return { delayMs: 1, baud: ROM_BAUD, data };
}

function nodemcu(data: string, delayMs = 150): BootScript["steps"][number] {
  return { delayMs, baud: CONSOLE_BAUD, data };
}

/** Every failure the smoke test diagnoses from what the board prints. */
export const FAILURE_CASES: readonly FailureCase[] = [
  {
    name: "csum err: wrong flash mode or corrupt image",
    script: () => ({
      steps: [
        rom(
          romHeader(2, [3, 6]) + "load 0x00000000, len 0, room 16 \r\ncsum err\r\nets_main.c \r\n",
        ),
      ],
      then: "hang",
    }),
    code: "smoke/bad-image",
    ends: "fatal",
    hint: /--flash-mode dout on ESP8285\/ESP-01.*--flash-mode dio on ESP-12/,
  },
  {
    name: "ets_main.c alone: nothing at 0x0",
    script: () => ({ steps: [rom(romHeader(2, [3, 6]) + "ets_main.c \r\n")], then: "hang" }),
    code: "smoke/empty-flash",
    ends: "fatal",
    hint: /write the firmware at 0x0/,
  },
  {
    name: "rf_cal[0] !=0x05: missing init data, endless reboot",
    script: () => ({ steps: [rom(ROM_OK + "rf_cal[0] !=0x05,is 0xFF\r\n")], then: "reboot" }),
    code: "smoke/no-init-data",
    ends: "fatal",
    hint: /--init-data default/,
  },
  {
    name: "hardware watchdog loop (rst cause:4, wdt reset)",
    script: ({ boot }) => ({
      steps: [rom(boot === 0 ? ROM_OK : romHeader(4, [3, 6]) + "wdt reset\r\n" + ROM_LOADS)],
      then: "reboot",
    }),
    code: "smoke/watchdog-reset",
    ends: "fatal",
    hint: /Power-cycle/,
  },
  {
    name: "boot loop: the banner repeats without a prompt",
    script: () => ({ steps: [rom(ROM_OK), nodemcu(BANNER_3X)], then: "reboot" }),
    code: "smoke/boot-loop",
    ends: "fatal",
    hint: /--flash-size detect; check the power supply/,
  },
  {
    name: "Fatal exception (28)",
    script: () => ({
      steps: [
        rom(ROM_OK),
        nodemcu(
          BANNER_3X + "Fatal exception (28):\r\n" +
            "epc1=0x40211d7c, epc2=0x00000000, epc3=0x00000000, excvaddr=0x00000000, depc=0x00000000\r\n",
        ),
      ],
      then: "reboot",
    }),
    code: "smoke/fatal-exception",
    ends: "fatal",
    hint: /Fatal exception 28 \(LoadProhibited/,
    inMessage: true,
  },
  {
    // 2.x runs a timer's callback through lua_call: its error is a PANIC and a restart
    // (nodemcu#1119's transcript); init.lua itself ran (its errors would be caught and printed).
    name: "PANIC in a callback init.lua set up: the board works, the script does not",
    script: () => ({
      steps: [
        rom(ROM_OK),
        nodemcu(
          BANNER_2X + "> PANIC: unprotected error in call to Lua API " +
            "(init.lua:4: attempt to index global 'wifi' (a nil value))\r\n",
        ),
      ],
      then: "reboot",
    }),
    code: "smoke/init-lua-error",
    ends: "fatal",
    hint:
      /callback.*init\.lua:4: attempt to index global 'wifi' \(a nil value\).*the firmware works, the script does not/,
    inMessage: true,
  },
  {
    name: "E:M then not enough memory",
    script: () => ({
      steps: [
        rom(ROM_OK),
        nodemcu(
          BANNER_3X +
            "E:M 4104\r\nPANIC: unprotected error in call to Lua API (not enough memory)\r\n",
        ),
      ],
      then: "reboot",
    }),
    code: "smoke/out-of-memory",
    ends: "fatal",
    hint: /fewer modules/,
  },
  {
    name: "*** ERROR ***: unable to format (flash size mismatch)",
    script: () => ({
      steps: [
        rom(ROM_OK),
        nodemcu(FORMATTING),
        nodemcu("...", 2),
        nodemcu(
          "\r\n*** ERROR ***: unable to format. FS might be compromised.\r\n" +
            "It is advised to re-flash the NodeMCU image.\r\n" + BANNERS[4]!.console,
          2,
        ),
      ],
      then: "repl",
    }),
    code: "smoke/format-failed",
    ends: "fatal",
    hint: /--flash-size detect/,
  },
  {
    name: "Invalid system partition table",
    script: () => ({ steps: [rom(ROM_OK + "Invalid system partition table\r\n")], then: "hang" }),
    code: "smoke/partition-table",
    ends: "fatal",
    hint: /--flash-size detect/,
  },
  {
    name: "system param error, then nothing",
    script: () => ({
      steps: [rom(ROM_OK + "system param error, use last saved param!\r\n")],
      then: "hang",
    }),
    code: "smoke/system-param",
    ends: "timeout",
    hint: /Erase the chip and reflash with --flash-size detect/,
  },
  {
    name: "boot mode (1,6): GPIO0 held low at reset",
    script: ({ gpio0Low }) => ({
      steps: [rom(romHeader(2, [gpio0Low ? 1 : 3, 6]) + (gpio0Low ? "" : ROM_LOADS))],
      then: "hang",
    }),
    // esptool's ClassicReset leaves GPIO0 low as EN rises: the chip enters download mode.
    resetSequence: "U0,1|W0.002|U1,0",
    code: "smoke/download-mode",
    ends: "fatal",
    hint: /Release the FLASH\/BOOT button and DTR/,
  },
  {
    name: "boot mode (7,x) and waiting for host: GPIO15 high",
    script: () => ({ steps: [rom(romHeader(2, [7, 6]) + "waiting for host\r\n")], then: "hang" }),
    code: "smoke/gpio15-high",
    ends: "fatal",
    hint: /Pull GPIO15 low/,
  },
  {
    name: "silence",
    script: () => ({ steps: [], then: "hang" }),
    code: "smoke/silent",
    ends: "timeout",
    hint: /powered/,
  },
];

/**
 * The text a host reading every burst at its own rate would have captured over some boots.
 *
 * @param script the board's boot script
 * @param options `boots` (1 by default) and `gpio0Low`
 * @returns the concatenated text
 *
 * @example
 * ```ts
 * import { FAILURE_CASES, flattenBoots } from "./failure_cases.ts";
 * if (!flattenBoots(FAILURE_CASES[0]!.script).includes("csum err")) throw new Error();
 * ```
 */
export function flattenBoots(
  script: (context: BootContext) => BootScript,
  options: { boots?: number; gpio0Low?: boolean } = {},
): string {
  let text = "";
  for (let boot = 0; boot < (options.boots ?? 1); boot++) {
    for (const step of script({ boot, gpio0Low: options.gpio0Low ?? false }).steps) {
      text += typeof step.data === "string" ? step.data : String.fromCharCode(...step.data);
    }
  }
  return text;
}
