/**
 * The Lua tests in the Action's report: one summary row per board and test file with its
 * counts, one error annotation per failing test (at the test's file and line when its message
 * names one), and a JUnit file per board in the log directory.
 *
 * @module
 */

import { join } from "node:path";
import { junitXml } from "../lib/lua/mod.ts";
import { logStem } from "./board_logs.ts";
import type { BoardResult } from "./flash_board.ts";
import type { LuaJob } from "./lua_board.ts";
import { escapeHtml } from "./summary.ts";

/** The summary table's header. */
export const LUA_TEST_HEADER = ["Board", "Test file", "Passed", "Failed", "Skipped", "Time"];

/** An error annotation for a failing test. */
export interface TestAnnotation {
  /** Its title. */
  title: string;
  /** The test's message. */
  message: string;
  /** The workspace file it points at, if known. */
  file?: string;
  /** The line, if the message names one. */
  line?: number;
}

/**
 * One summary row per board and test file, escaped for HTML cells.
 *
 * @param results the boards' results
 * @returns the rows (none when no board ran tests)
 *
 * @example
 * ```ts
 * import { luaTestRows } from "./lua_report.ts";
 * import assert from "node:assert/strict";
 * const rows = luaTestRows([{ port: "/dev/ttyUSB0", lua: { uploaded: [], unchanged: [], tests: [
 *   { file: "t.lua", path: "tests/t.lua", seconds: 1.25, output: "", tests: [
 *     { file: "t.lua", name: "a", status: "pass", message: "" },
 *     { file: "t.lua", name: "b", status: "fail", message: "t.lua:2: no" }] }] } }]);
 * assert.deepEqual(rows, [["/dev/ttyUSB0", "tests/t.lua", "1", "1", "0", "1.3 s"]]);
 * ```
 */
export function luaTestRows(results: ReadonlyArray<Pick<BoardResult, "port" | "lua">>): string[][] {
  return results.flatMap((r) =>
    (r.lua?.tests ?? []).map((f) => {
      const n = (s: string) => String(f.tests.filter((t) => t.status === s).length);
      return [r.port, f.path, n("pass"), n("fail"), n("skip"), `${f.seconds.toFixed(1)} s`].map(
        escapeHtml,
      );
    })
  );
}

/**
 * One annotation per failing test. A location in the message (`name.lua:12:`) becomes the
 * annotation's file and line when the name is the test file or one of the `lua-files`.
 *
 * @param results the boards' results
 * @param job the files that went to the boards (their workspace paths)
 * @returns the annotations
 */
export function luaTestAnnotations(
  results: ReadonlyArray<Pick<BoardResult, "port" | "lua">>,
  job: LuaJob | undefined,
): TestAnnotation[] {
  const paths = new Map<string, string>();
  for (const f of [...(job?.files ?? []), ...(job?.tests ?? [])]) paths.set(f.name, f.path);
  const out: TestAnnotation[] = [];
  for (const r of results) {
    for (const f of r.lua?.tests ?? []) {
      for (const t of f.tests.filter((t) => t.status === "fail")) {
        const at = t.location;
        const file = at ? paths.get(at.file) : f.path;
        out.push({
          title: `nodeflash: ${t.name} failed in ${f.path} on ${r.port}`,
          message: t.message || "failed",
          ...(file !== undefined ? { file } : {}),
          ...(at && file !== undefined ? { line: at.line } : {}),
        });
      }
    }
  }
  return out;
}

/**
 * Writes a JUnit file per board that ran tests, `board-N-PORT.junit.xml` beside its logs.
 *
 * @param results the boards' results
 * @param dir the log directory
 * @returns the paths, per board (`null` for a board without tests)
 */
export async function writeJunitFiles(
  results: ReadonlyArray<Pick<BoardResult, "port" | "lua">>,
  dir: string,
): Promise<(string | null)[]> {
  await Deno.mkdir(dir, { recursive: true });
  return await Promise.all(results.map(async (r, i) => {
    const tests = r.lua?.tests ?? [];
    if (tests.length === 0) return null;
    const path = join(dir, `${logStem(i, r.port)}.junit.xml`);
    await Deno.writeTextFile(path, junitXml(tests, { name: r.port }));
    return path;
  }));
}
