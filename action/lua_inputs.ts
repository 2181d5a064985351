/**
 * The Action's inputs about the boards' Lua side: `lua-files`, a folder of the workspace synced
 * to every board after flashing, and `lua-tests`, globs of Lua test files in the workspace run
 * on every board. Pure: the files are read later, before any board is touched.
 *
 * @module
 */

import { inputError } from "./input_error.ts";

/** The Lua side of the job, as the inputs say. */
export interface LuaInputs {
  /** A workspace folder to sync to each board, if any. */
  luaFiles: string | undefined;
  /** Globs (workspace-relative) of test files to run on each board. */
  luaTests: string[];
}

/**
 * Parses `lua-files` and `lua-tests`.
 *
 * @param raw the two inputs (untrimmed)
 * @returns the folder and the globs
 * @throws a user error `input/lua-files` or `input/lua-tests`
 *
 * @example
 * ```ts
 * import { parseLuaInputs } from "./lua_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseLuaInputs({ files: " lua/ ", tests: "tests/test_*.lua\n\ntests/io/*.lua\n" }), {
 *   luaFiles: "lua/",
 *   luaTests: ["tests/test_*.lua", "tests/io/*.lua"],
 * });
 * assert.throws(() => parseLuaInputs({ files: "../outside", tests: "" }), { code: "input/lua-files" });
 * ```
 */
export function parseLuaInputs(raw: { files: string; tests: string }): LuaInputs {
  const files = raw.files.trim();
  if (files.includes("\n")) {
    throw inputError("lua-files", "give one folder", "For example lua-files: lua");
  }
  if (files.split(/[\\/]/).includes("..")) {
    throw inputError(
      "lua-files",
      `'${files}' leaves the workspace`,
      "Give a folder inside the workspace, e.g. lua-files: lua",
    );
  }
  const tests = raw.tests.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  for (const glob of tests) {
    if (glob.split(/[\\/]/).includes("..")) {
      throw inputError(
        "lua-tests",
        `'${glob}' leaves the workspace`,
        "Give globs inside the workspace, one per line, e.g. tests/test_*.lua",
      );
    }
  }
  return { luaFiles: files === "" ? undefined : files, luaTests: tests };
}
