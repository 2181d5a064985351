/**
 * The simulated board's options (sim:// keys, nodeflash sim options).
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** The simulated board's options (sim:// keys, nodeflash sim options). */
export const SIM_CODES: readonly ErrorCode[] = [
  {
    code: "sim/url",
    kind: "user",
    meaning: "The port is not a valid sim:// URL (an unknown key, a bad value).",
    hint: "Write e.g. sim://?flash-size=4MB&chip=esp8266; see lib/sim/README.md.",
  },
  {
    code: "sim/baud",
    kind: "user",
    meaning:
      "A simulated board's romAutobaudMaxBaud or bridgeMaxBaud is not a baud rate (a whole number of at least 300).",
    hint: "Give e.g. 115200 or 460800.",
  },
  {
    code: "sim/module",
    kind: "user",
    meaning: "The simulator has no module of that name.",
    hint: "Use esp-12e, esp-12f, esp-01, esp-01s, esp-07, esp-m3 or esp8285.",
  },
  {
    code: "sim/chip",
    kind: "user",
    meaning: "The simulator has no such chip, or the chip does not fit the module.",
    hint: "Use esp8266 or esp8285.",
  },
  {
    code: "sim/seed",
    kind: "user",
    meaning: "The seed is not a whole number of 0 or more.",
    hint: "Pass e.g. seed=1.",
  },
  {
    code: "sim/mac",
    kind: "user",
    meaning: "The MAC address cannot be stored in ESP8266 eFuses.",
    hint: "Use a real OUI, e.g. 5c:cf:7f.",
  },
  {
    code: "sim/reset",
    kind: "user",
    meaning: "The reset wiring is not devkit or manual.",
    hint: "Use devkit (DTR/RTS circuit) or manual (buttons only).",
  },
  {
    code: "sim/timing",
    kind: "user",
    meaning: "A timing parameter is not a number of 0 or more.",
    hint: 'See lib/sim/README.md, "Time model".',
  },
  {
    code: "sim/faults",
    kind: "user",
    meaning: "The fault specification is malformed.",
    hint: "Items: corrupt=P, drop=P, delay=MS, disconnect=N, brownout=N, noise=N, stuck-gpio0.",
  },
  {
    code: "sim/flash-file-size",
    kind: "user",
    meaning: "The flash file's size differs from the simulated flash size.",
    hint: "Pass the flash size the file was made with, or use another file.",
  },
  {
    code: "sim/pty",
    kind: "device",
    meaning: "The pseudo-terminal for the pty endpoint could not be created (openpty failed).",
    hint: "Check that /dev/ptmx exists and that the process may open it.",
  },
  {
    code: "sim/pty-needs-ffi",
    kind: "user",
    meaning: "The pty endpoint cannot load the C library: it needs Linux and --allow-ffi.",
    hint: "Run with --allow-ffi (or -A), on Linux.",
  },
];
