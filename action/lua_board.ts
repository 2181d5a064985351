/**
 * The Lua side of a board's job, after the firmware and the smoke test: sync the `lua-files`
 * folder, run the `lua-tests` files, keep each test's result. The files are read once, before
 * any board is touched; on a board, nothing here throws: a failure is the board's result.
 *
 * @module
 */

import { join, relative } from "node:path";
import type { Transport } from "../mod.ts";
import {
  checkLuaSource,
  expandGlobs,
  type LocalFile,
  type LuaEvent,
  openLuaSession,
  readLocalDir,
  readLocalFile,
  runTests,
  syncFiles,
  type TestFileResult,
} from "../lib/lua/mod.ts";
import type { BoardResult } from "./flash_board.ts";
import { viaInput } from "./input_error.ts";
import type { LuaInputs } from "./lua_inputs.ts";

/** The Lua side's files, read from the workspace. */
export interface LuaJob {
  /** The folder's files (names on the board), if `lua-files` was given. */
  files: LocalFile[] | undefined;
  /** The test files, their `path` relative to the workspace. */
  tests: LocalFile[];
}

/** What the Lua side did on one board. */
export interface LuaSummary {
  /** Files uploaded (they differed). */
  uploaded: string[];
  /** Files already the same. */
  unchanged: string[];
  /** The test files' results. */
  tests: TestFileResult[];
}

/**
 * Reads the files the inputs name (workspace-relative), checked before any board is touched.
 *
 * @param inputs the parsed inputs
 * @param workspace the workspace folder
 * @returns the job, or `undefined` when neither input was given
 * @throws a user error `input/lua-files` / `input/lua-tests` naming what is wrong
 */
export async function prepareLuaJob(
  inputs: LuaInputs,
  workspace: string,
): Promise<LuaJob | undefined> {
  if (inputs.luaFiles === undefined && inputs.luaTests.length === 0) return undefined;
  const dir = inputs.luaFiles;
  const files = dir === undefined
    ? undefined
    : await viaInput("lua-files", () => readLocalDir(join(workspace, dir)));
  const tests = await viaInput("lua-tests", async () => {
    const paths = inputs.luaTests.length === 0
      ? []
      : await expandGlobs(inputs.luaTests, { cwd: workspace });
    const out: LocalFile[] = [];
    for (const path of paths) {
      const file = await readLocalFile(join(workspace, path));
      checkLuaSource(file);
      out.push({ ...file, path: relative(workspace, file.path) });
    }
    return out;
  });
  return { files, tests };
}

/** Options for {@link runLuaJob}. */
export interface RunLuaJobOptions {
  /** Reset the board into its firmware first (the smoke test did not). */
  reset: boolean;
  /** How long each test file may run. */
  timeoutMs?: number;
  /** Each log line. */
  onLine?: (line: string) => void;
  /** Every byte the board printed. */
  onConsole?: (bytes: Uint8Array) => void;
}

function lineOf(e: LuaEvent): string | undefined {
  switch (e.type) {
    case "transfer-done":
      return `uploaded ${e.name}: ${e.size} bytes, verified`;
    case "test-file":
      return `running ${e.file}`;
    case "test":
      return `${e.status === "pass" ? "ok" : e.status} ${e.file}: ${e.name}${
        e.status === "fail" && e.message ? `: ${e.message.split("\n")[0]}` : ""
      }`;
    case "restart":
      return `the board restarted (${e.evidence})`;
    default:
      return undefined;
  }
}

/**
 * Syncs the files and runs the tests on one board.
 *
 * @param transport the board's port, the firmware running
 * @param job the files
 * @param options reset, timeouts, log lines
 * @returns what happened; a board error is thrown as a `NodeflashError` for the caller to record
 */
export async function runLuaJob(
  transport: Transport,
  job: LuaJob,
  options: RunLuaJobOptions,
): Promise<LuaSummary> {
  const session = await openLuaSession(transport, {
    reset: options.reset && transport.info.modemLines ? "rts-pulse" : "none",
    onEvent: (e) => {
      if (e.type === "console" && e.direction === "in") options.onConsole?.(e.data);
      if (e.type === "smoke" && e.event.type === "bytes") options.onConsole?.(e.event.data);
      const line = lineOf(e);
      if (line !== undefined) options.onLine?.(line);
    },
  });
  try {
    const summary: LuaSummary = { uploaded: [], unchanged: [], tests: [] };
    if (job.files !== undefined) {
      const synced = await syncFiles(session, job.files);
      summary.uploaded = synced.uploaded.map((u) => u.name);
      summary.unchanged = synced.unchanged;
    }
    if (job.tests.length > 0) {
      summary.tests = await runTests(session, job.tests, {
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
    }
    return summary;
  } finally {
    session.close();
  }
}

/**
 * How many tests of a board failed, passed and were skipped.
 *
 * @param tests the files' results
 * @returns the counts
 *
 * @example
 * ```ts
 * import { testCounts } from "./lua_board.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(testCounts([{ file: "t.lua", path: "t.lua", seconds: 0, output: "",
 *   tests: [{ file: "t.lua", name: "a", status: "fail", message: "" }] }]), { pass: 0, fail: 1, skip: 0 });
 * ```
 */
export function testCounts(tests: TestFileResult[]): { pass: number; fail: number; skip: number } {
  const all = tests.flatMap((f) => f.tests);
  return {
    pass: all.filter((t) => t.status === "pass").length,
    fail: all.filter((t) => t.status === "fail").length,
    skip: all.filter((t) => t.status === "skip").length,
  };
}

/**
 * The Lua step of a board's job: runs {@link runLuaJob}, keeps its summary and console bytes in
 * the board's result, and records failed tests as the board's problem (`lua/tests-failed`). A
 * board that fails otherwise throws, as the other steps do.
 *
 * @param transport the board's port
 * @param result the board's result so far
 * @param job the files
 * @param options whether to reset first, and the log
 */
export async function luaStep(
  transport: Transport,
  result: BoardResult,
  job: LuaJob,
  options: { reset: boolean; say: (line: string) => void; timeoutMs?: number },
): Promise<void> {
  const bytes: Uint8Array[] = [result.console];
  try {
    result.lua = await runLuaJob(transport, job, {
      reset: options.reset,
      onLine: options.say,
      onConsole: (b) => bytes.push(b),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } finally {
    result.console = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of bytes) {
      result.console.set(b, at);
      at += b.length;
    }
  }
  const lua = result.lua;
  if (lua === undefined || lua === null) return;
  const counts = testCounts(lua.tests);
  const all = counts.pass + counts.fail + counts.skip;
  options.say(
    `Lua: ${result.lua.uploaded.length} files uploaded, ${result.lua.unchanged.length} unchanged; ` +
      `tests: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`,
  );
  if (counts.fail > 0) {
    result.problem = {
      code: "lua/tests-failed",
      message: `${counts.fail} of ${all} Lua tests failed on ${result.port}`,
      hint: "See the failing tests' annotations, the JUnit file and the serial log.",
    };
  }
}
