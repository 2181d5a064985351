/**
 * The board's Lua side: files, runs, tests and LFS over the REPL (lib/lua).
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** The board's Lua side: files, runs, tests and LFS over the REPL. */
export const LUA_CODES: readonly ErrorCode[] = [
  {
    code: "lua/bad-name",
    kind: "user",
    meaning:
      "A name for the board's file system is empty, longer than 31 bytes, holds a control character, or is the name uploads are written under.",
    hint: "Rename the file, or give another name with --to.",
  },
  {
    code: "lua/no-file",
    kind: "user",
    meaning: "A host file or folder to upload cannot be read.",
    hint: "Check the path.",
  },
  {
    code: "lua/no-match",
    kind: "user",
    meaning: "A glob pattern for test files matches no file.",
    hint: "* and ? match inside one folder, ** any number of folders.",
  },
  {
    code: "lua/not-lua",
    kind: "user",
    meaning: "A test file is not Lua source (no .lua name, bytecode, or binary data).",
    hint: "Test files are Lua source files ending in .lua.",
  },
  {
    code: "lua/not-lfs-image",
    kind: "user",
    meaning:
      "The LFS image is empty, plain bytecode, or built for the other Lua version than the firmware's.",
    hint: "Build it with luac.cross -f for the firmware's Lua version and number type.",
  },
  {
    code: "lua/bad-console-baud",
    kind: "user",
    meaning: "--console-baud is a rate NodeMCU's uart.setup does not accept.",
    hint: "Use 115200, 230400, 460800 or 921600 (and the other rates uart.setup lists).",
  },
  {
    code: "lua/no-such-file",
    kind: "user",
    meaning: "The named file is not on the board.",
    hint: "nodeflash files lists what is there.",
  },
  {
    code: "lua/not-nodemcu",
    kind: "device",
    meaning: "The Lua prompt answered, but not like NodeMCU with its file module.",
    hint: "Check the firmware with nodeflash smoke.",
  },
  {
    code: "lua/unexpected-output",
    kind: "device",
    meaning:
      "The board answered a typed line with something other than its echo: an application printing from a timer, or line noise.",
    hint:
      "Stop what prints on the console (remove init.lua and restart, or use --reset), then retry.",
  },
  {
    code: "lua/board-error",
    kind: "device",
    meaning:
      "A line of a transfer failed on the board (a Lua error such as a full file system, or a line that arrived incomplete).",
    hint: "Free space on the board (nodeflash files) and retry.",
  },
  {
    code: "lua/no-answer",
    kind: "device",
    meaning: "The board stopped answering in the middle of an exchange.",
    hint: "Check that the board still runs (nodeflash smoke) and retry.",
  },
  {
    code: "lua/port-closed",
    kind: "device",
    meaning: "The port closed while nodeflash waited for the board.",
    hint: "Check the cable and that no other program took the port.",
  },
  {
    code: "lua/upload-interrupted",
    kind: "device",
    meaning:
      "An upload stopped part-way (the message says how far); the board keeps its previous file, the partial copy is under the temporary name.",
    hint: "Run the same command again once the board answers.",
  },
  {
    code: "lua/verify-failed",
    kind: "device",
    meaning: "The size or digest the board computed differs from the host's file.",
    hint: "Retry; check the cable or use a lower --console-baud.",
  },
  {
    code: "lua/rename-failed",
    kind: "device",
    meaning: "An uploaded file was verified but could not be renamed into place.",
    hint: "Check free space with nodeflash files and retry.",
  },
  {
    code: "lua/no-uart",
    kind: "device",
    meaning: "The firmware has no uart module, which reading files back needs.",
    hint: "Build the firmware with the uart module (in NodeMCU's default set).",
  },
  {
    code: "lua/run-error",
    kind: "device",
    meaning: "A Lua file run on the board raised an error.",
    hint: "Fix the Lua error the message shows.",
  },
  {
    code: "lua/restarted",
    kind: "device",
    meaning:
      "The board restarted or crashed while running Lua code (a PANIC, node.restart(), a watchdog reset).",
    hint: "Look at the console output; a loop that never yields trips the watchdog.",
  },
  {
    code: "lua/timeout",
    kind: "device",
    meaning: "A Lua file did not finish in time; the board was restarted.",
    hint: "Give it more time with --timeout, or look for a loop that never ends.",
  },
  {
    code: "lua/console-baud",
    kind: "device",
    meaning: "The board did not answer at the faster console rate.",
    hint: "Use a lower --console-baud: some USB bridges cannot carry the faster rates.",
  },
  {
    code: "lua/tests-failed",
    kind: "device",
    meaning: "Lua tests failed on a board (the Action's result for that board).",
    hint: "See the failing tests' annotations, the JUnit file and the serial log.",
  },
  {
    code: "lua/no-lfs",
    kind: "device",
    meaning: "The firmware cannot load LFS images (no node.LFS or node.flashreload).",
    hint: "Use a firmware built with an LFS region (LUA_FLASH_STORE).",
  },
  {
    code: "lua/lfs-rejected",
    kind: "device",
    meaning: "The firmware did not load the LFS image (its own message says why).",
    hint: "Build the image with luac.cross -f for this firmware and check it fits its LFS region.",
  },
];
