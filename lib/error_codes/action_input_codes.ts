/**
 * The Action's inputs (input/<name>, one per input of action.yml); the CLI's options of the same names share the codes above.
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** The Action's inputs (input/<name>, one per input of action.yml); the CLI's options of the same names share the codes above. */
export const ACTION_INPUT_CODES: readonly ErrorCode[] = [
  {
    code: "input/repository",
    kind: "user",
    meaning: "The repository input is not owner/repo.",
    hint: "Write it as owner/repo; name the release with the release input.",
  },
  {
    code: "input/release",
    kind: "user",
    meaning:
      "The release input is not latest, a tag or id:<number>, or is empty outside a release event.",
    hint: "Write latest, a tag, or id:<number>.",
  },
  {
    code: "input/firmware",
    kind: "user",
    meaning:
      "The firmware input is missing, leaves the workspace, or names an asset or file that is not a firmware image.",
    hint:
      "Give an asset glob such as '*-float.bin', or a workspace path such as ./bin/nodemcu.bin.",
  },
  {
    code: "input/ports",
    kind: "user",
    meaning:
      "The ports input is malformed (auto mixed with ports, a port twice), or no port was found.",
    hint: "One port per line, or auto.",
  },
  {
    code: "input/lua",
    kind: "user",
    meaning:
      "The lua input is set without expect or without the smoke test, or spans several lines.",
    hint: "Give one line of Lua together with expect, and keep smoke on.",
  },
  {
    code: "input/lua-files",
    kind: "user",
    meaning:
      "The lua-files input is not one folder inside the workspace, or a file in it cannot go to the board (a name over 31 bytes).",
    hint: "Give one workspace folder, e.g. lua-files: lua; keep names within 31 bytes.",
  },
  {
    code: "input/lua-tests",
    kind: "user",
    meaning:
      "A lua-tests glob leaves the workspace, matches no file, or matches a file that is not Lua source.",
    hint: "Give globs of .lua files in the workspace, one per line, e.g. tests/test_*.lua",
  },
  {
    code: "input/token",
    kind: "user",
    meaning: "The token input was rejected.",
    hint: "Use a token with read access to the repository's releases.",
  },
  {
    code: "input/smoke",
    kind: "user",
    meaning: "The smoke input is not true or false.",
    hint: "Use true or false.",
  },
];
