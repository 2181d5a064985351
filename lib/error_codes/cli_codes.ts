/**
 * The command line and the Action's inputs: bad usage or input, found before any board is touched.
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** The command line and the Action's inputs: bad usage or input, found before any board is touched. */
export const CLI_CODES: readonly ErrorCode[] = [
  {
    code: "cli/one-port",
    kind: "user",
    meaning: "--port was given more than once to a command that works on one board.",
    hint: "Give one --port; flash is the command that takes several (or --port auto).",
  },
  {
    code: "cli/log-one-board",
    kind: "user",
    meaning: "flash --smoke --log keeps one board's console, but several ports were given.",
    hint: "Give one --port with --log, or leave --log out.",
  },
  {
    code: "cli/unknown-command",
    kind: "user",
    meaning: "No command of that name.",
    hint: "Run nodeflash --help for the list of commands.",
  },
  {
    code: "cli/unknown-option",
    kind: "user",
    meaning: "The command has no option of that name.",
    hint: "Run nodeflash COMMAND --help for its options.",
  },
  {
    code: "cli/option-value",
    kind: "user",
    meaning: "An option is missing its value, or has one it does not take.",
    hint: "Run nodeflash COMMAND --help for its options.",
  },
  {
    code: "cli/usage",
    kind: "user",
    meaning: "The command line cannot be parsed.",
    hint: "Run nodeflash COMMAND --help.",
  },
  {
    code: "cli/unsupported-chip",
    kind: "user",
    meaning: "--chip names a chip other than the ESP8266 or ESP8285.",
    hint: "For ESP32-family chips use esptool or espflash.",
  },
  {
    code: "cli/json-unsupported",
    kind: "user",
    meaning: "The command has no JSON output (monitor is interactive).",
    hint: "Leave out --json; --log FILE keeps a capture.",
  },
  {
    code: "cli/log-file",
    kind: "user",
    meaning: "The --log file cannot be opened (no such folder, no permission).",
    hint: "Give --log a file in a folder you can write to.",
  },
  {
    code: "cli/sim-endpoint",
    kind: "user",
    meaning: "nodeflash sim was given no endpoint, or more than one.",
    hint: "Give exactly one of --rfc2217 HOST:PORT, --tcp HOST:PORT or --pty.",
  },
  {
    code: "cli/sim-address",
    kind: "user",
    meaning: "The endpoint address is not HOST:PORT.",
    hint: "Write e.g. --rfc2217 127.0.0.1:4000 (port 0 picks a free one).",
  },
  {
    code: "cli/sim-chip",
    kind: "user",
    meaning: "The simulator has no such chip.",
    hint: "Use esp8266 or esp8285.",
  },
  {
    code: "cli/sim-seed",
    kind: "user",
    meaning: "--seed is not a whole number.",
    hint: "Give e.g. --seed 3.",
  },
  {
    code: "cli/sim-option",
    kind: "user",
    meaning: "A board option of nodeflash sim has a bad value or contradicts another.",
    hint: "See nodeflash sim --help.",
  },
  {
    code: "input/usage",
    kind: "user",
    meaning: "The command was given the wrong arguments.",
    hint: "Run nodeflash COMMAND --help.",
  },
  {
    code: "input/bad-number",
    kind: "user",
    meaning: "An address or size is not a number.",
    hint: "Use hex like 0x10000, or decimal like 65536.",
  },
  {
    code: "input/missing-file",
    kind: "user",
    meaning: "A file given on the command line does not exist (or is a folder).",
    hint: "Check the path.",
  },
  {
    code: "input/unreadable-file",
    kind: "user",
    meaning: "A file given on the command line cannot be read.",
    hint: "Check the path and its permissions.",
  },
  {
    code: "input/no-files",
    kind: "user",
    meaning: "Nothing to write.",
    hint: "Give a firmware file, or ADDR FILE pairs.",
  },
  {
    code: "input/empty-file",
    kind: "user",
    meaning: "A file to write is empty.",
    hint: "Check that the build produced the file.",
  },
  {
    code: "input/unaligned-address",
    kind: "user",
    meaning: "A flash address is not a multiple of 0x1000 (a 4 KiB sector).",
    hint: "Put each file at a sector boundary such as 0x0 or 0x10000.",
  },
  {
    code: "input/overlap",
    kind: "user",
    meaning: "Two files to write overlap.",
    hint:
      "Give each file its own range; a combined image at 0x0 already holds everything up to its end.",
  },
  {
    code: "input/too-large",
    kind: "user",
    meaning: "A file is larger than the flash.",
    hint: "Check that this is the firmware for this board, or give the real --flash-size.",
  },
  {
    code: "input/past-end",
    kind: "user",
    meaning: "An address and size run past the end of the flash.",
    hint: "Check the address and size.",
  },
  {
    code: "input/unaligned-erase",
    kind: "user",
    meaning: "An erase address or size is not a multiple of 0x1000.",
    hint: "Round the address down and the size up to 0x1000.",
  },
  {
    code: "input/empty-erase",
    kind: "user",
    meaning: "The erase size is 0.",
    hint: "Give a size of at least 0x1000.",
  },
  {
    code: "input/needs-stub",
    kind: "user",
    meaning: "The operation needs the flasher stub, but --no-stub was given.",
    hint: "Drop --no-stub.",
  },
  {
    code: "input/compress",
    kind: "user",
    meaning: "--compress is not auto, on or off.",
    hint: "Use auto, on or off (esptool's -z / -u).",
  },
  {
    code: "input/compress-needs-stub",
    kind: "user",
    meaning: "Compression needs the flasher stub, but --no-stub was given.",
    hint: "Drop --no-stub, or --compress.",
  },
  {
    code: "input/erase",
    kind: "user",
    meaning: "--erase (or the Action's erase input) is not none or all.",
    hint: "Use none or all.",
  },
  {
    code: "input/erase-needs-stub",
    kind: "user",
    meaning: "--erase all needs the flasher stub, but --no-stub was given.",
    hint: "Drop --no-stub.",
  },
  {
    code: "input/init-data",
    kind: "user",
    meaning: "The init data choice is not none, default, v05 or a 128-byte file.",
    hint: "Use none, default (SDK v08 data), v05 (SDK 1.x), or the path of a 128-byte file.",
  },
  {
    code: "input/before",
    kind: "user",
    meaning: "--before is not default-reset, no-reset or a reset sequence.",
    hint: "Use default-reset, no-reset, or a sequence such as D0|R1|W0.1|D1|R0|W0.05|D0.",
  },
  {
    code: "input/after",
    kind: "user",
    meaning: "--after is not hard-reset, soft-reset or no-reset.",
    hint: "Use hard-reset (boot the new firmware), soft-reset or no-reset.",
  },
  {
    code: "input/reset-sequence",
    kind: "user",
    meaning: "A step of a custom reset sequence is malformed.",
    hint: "Steps are D0/D1 (DTR), R0/R1 (RTS) and W<seconds>, separated by |.",
  },
  {
    code: "input/baud",
    kind: "user",
    meaning: "The baud rate is not a whole number in range.",
    hint: "Common rates: 115200, 460800, 921600.",
  },
  {
    code: "input/connect-attempts",
    kind: "user",
    meaning: "--connect-attempts is not a whole number from 0 to 1000.",
    hint: "0 tries until Ctrl-C.",
  },
  {
    code: "input/retries",
    kind: "user",
    meaning: "--retries is not a whole number from 0 to 100.",
    hint: "0 fails at the first fault; the default is 5 recoveries in a row without progress.",
  },
  {
    code: "input/reconnect-wait",
    kind: "user",
    meaning: "--reconnect-wait is not a number of seconds from 0 to 3600.",
    hint: "0 does not wait for a port that went away; the default is 5.",
  },
  {
    code: "input/smoke-timeout",
    kind: "user",
    meaning: "The smoke-test timeout is not a number of seconds.",
    hint: "For example --smoke-timeout 60.",
  },
  {
    code: "input/timeout",
    kind: "user",
    meaning: "--timeout (run, test) is not a number of seconds.",
    hint: "For example --timeout 120.",
  },
  {
    code: "input/console-baud",
    kind: "user",
    meaning: "--console-baud is not a whole number.",
    hint: "For example --console-baud 460800.",
  },
  {
    code: "input/reset",
    kind: "user",
    meaning: "The smoke test's reset choice is not one it knows.",
    hint: "See nodeflash smoke --help.",
  },
  {
    code: "input/expect",
    kind: "user",
    meaning: "The expected-output pattern is missing or not a valid regular expression.",
    hint: "Give --lua and --expect together; check the pattern's brackets and escapes.",
  },
  {
    code: "input/idle",
    kind: "user",
    meaning: "--idle is not a number of seconds.",
    hint: "For example --idle 2 waits until the board has been quiet for 2 seconds.",
  },
  {
    code: "input/eof",
    kind: "user",
    meaning: "The monitor's --eof value is not understood.",
    hint: "See nodeflash monitor --help.",
  },
  {
    code: "output/unwritable-file",
    kind: "user",
    meaning: "An output file cannot be written.",
    hint: "Check that its folder exists and is writable.",
  },
  {
    code: "output/closed",
    kind: "user",
    meaning: "Standard output was closed while output was being written.",
    hint: "Keep the reading program running, or use --log FILE.",
  },
  {
    code: "internal/bug",
    kind: "device",
    meaning: "Something failed that nodeflash did not expect: a bug.",
    hint: "Report it with the log.",
  },
];
