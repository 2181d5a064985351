/**
 * Names of files on the board: NodeMCU's file system is flat (a `/` is just a character of the
 * name) and keeps at most 31 bytes of a name (`FS_OBJ_NAME_LEN`; longer ones fail with
 * `filename invalid`), docs/lua-side.md#the-file-module. nodeflash also refuses control
 * characters, and the name it writes uploads under before renaming them into place.
 *
 * @module
 */

import { userError } from "../errors.ts";

/** Longest name the firmware keeps, in bytes. */
export const MAX_NAME_BYTES = 31;

/** The name a file is written under before it is verified and renamed into place. */
export const UPLOAD_TEMP_NAME = "~nfupload.tmp";

/**
 * Checks a name for the board's file system.
 *
 * @param name the name on the board
 * @param what how to call it in the message (the local path it comes from, say)
 * @throws a user error `lua/bad-name` saying what is wrong
 *
 * @example
 * ```ts
 * import { checkFileName } from "./file_name.ts";
 * import assert from "node:assert/strict";
 * checkFileName("init.lua");
 * assert.throws(() => checkFileName("a_very_long_file_name_for_nodemcu.lua"), /31/);
 * ```
 */
export function checkFileName(name: string, what = name): void {
  const bytes = new TextEncoder().encode(name).length;
  if (name === "") {
    throw userError("lua/bad-name", "A file name on the board cannot be empty", "Give a name.");
  }
  if (bytes > MAX_NAME_BYTES) {
    throw userError(
      "lua/bad-name",
      `The name '${name}' (from ${what}) has ${bytes} bytes; NodeMCU keeps at most ${MAX_NAME_BYTES}`,
      "Rename the file (or give a shorter name with --to).",
    );
  }
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw userError(
      "lua/bad-name",
      `The name ${JSON.stringify(name)} (from ${what}) holds a control character`,
      "Use printable characters only.",
    );
  }
  if (name === UPLOAD_TEMP_NAME) {
    throw userError(
      "lua/bad-name",
      `'${UPLOAD_TEMP_NAME}' is the name nodeflash writes uploads under before renaming them`,
      "Choose another name.",
    );
  }
}
