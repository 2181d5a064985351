/**
 * `nodeflash test FILE... [--timeout S] [--with DIR] [--junit FILE]`: run Lua test files on the
 * board (NTest through a TAP output handler, or plain TAP), each test reported as it comes;
 * exit 0 only when every test passed.
 *
 * @module
 */

import { userError } from "../../../mod.ts";
import {
  checkLuaSource,
  junitXml,
  type LocalFile,
  readLocalDir,
  readLocalFile,
  runTests,
  type TestFileResult,
} from "../../lua/mod.ts";
import type { Command, CommandContext } from "../command.ts";
import { writeUserFile } from "../values.ts";
import {
  CONSOLE_BAUD_OPTION,
  LUA_OPTIONS,
  luaCommandOptions,
  withLuaSession,
} from "./lua_board.ts";

/**
 * Reads `--timeout` in seconds.
 *
 * @param ctx the command context
 * @param fallback seconds when not given
 * @returns milliseconds
 */
export function parseTimeout(ctx: CommandContext, fallback: number): number {
  const text = ctx.options.timeout;
  if (text === undefined) return fallback * 1000;
  const s = Number(text);
  if (typeof text !== "string" || !Number.isFinite(s) || s <= 0 || s > 86_400) {
    throw userError(
      "input/timeout",
      `--timeout must be a number of seconds, not '${String(text)}'`,
      "For example --timeout 120.",
    );
  }
  return s * 1000;
}

/**
 * The results as the command's result fields.
 *
 * @param results the files' results
 * @returns `ok` and the flat list of tests
 */
export function testResultJson(
  results: TestFileResult[],
): { ok: boolean; tests: Record<string, unknown>[] } {
  const tests = results.flatMap((f) =>
    f.tests.map((t) => ({
      file: t.file,
      name: t.name,
      status: t.status,
      message: t.message,
      ...(t.location ? { location: t.location } : {}),
    }))
  );
  return { ok: tests.every((t) => t.status !== "fail"), tests };
}

/** Reads and checks test files and `--with` (before the port is opened). */
export async function testInputs(
  paths: string[],
  withDir: string | undefined,
): Promise<{ files: LocalFile[]; deps: LocalFile[] }> {
  const files: LocalFile[] = [];
  for (const path of paths) {
    const f = await readLocalFile(path);
    checkLuaSource(f);
    files.push(f);
  }
  const deps = withDir === undefined ? [] : await readLocalDir(withDir);
  return { files, deps };
}

/** The `test` command. */
export const testCommand: Command = {
  name: "test",
  aliases: [],
  summary: "run Lua test files on the board (NTest or TAP), exit 1 on a failure",
  usage: "test FILE... [--timeout S] [--with DIR] [--junit FILE]",
  help: `Examples:
  nodeflash test -p /dev/ttyUSB0 tests/test_gpio.lua --with lib --junit results.xml

Each file is uploaded (when it changed) and run on the board as loadfile(FILE)(shim): a test
written for NTest (local N = ...; N = (N or require "NTest")("name")) gets an NTest that prints
TAP lines; a file may also print plain TAP (ok 1 - name / not ok 2 - name # message). A
restart, a PANIC or the timeout fails the file with what the console showed.`,
  options: {
    timeout: {
      type: "string",
      valueName: "SECONDS",
      description: "how long each file may run (default 60)",
    },
    with: {
      type: "string",
      valueName: "DIR",
      description: "upload this folder's files too (what the tests need)",
    },
    junit: { type: "string", valueName: "FILE", description: "write JUnit XML results to FILE" },
    ...CONSOLE_BAUD_OPTION,
    ...LUA_OPTIONS,
  },
  async run(ctx) {
    const options = luaCommandOptions(ctx);
    if (ctx.positionals.length === 0) {
      throw userError(
        "input/usage",
        "test needs at least one FILE",
        "Example: nodeflash test tests/test_gpio.lua",
      );
    }
    const timeoutMs = parseTimeout(ctx, 60);
    const withDir = typeof ctx.options.with === "string" ? ctx.options.with : undefined;
    const junit = typeof ctx.options.junit === "string" ? ctx.options.junit : undefined;
    const { files, deps } = await testInputs(ctx.positionals, withDir);
    return await withLuaSession(ctx, options, async (session, port) => {
      const results = await runTests(session, files, { timeoutMs, with: deps });
      if (junit !== undefined) {
        await writeUserFile(junit, new TextEncoder().encode(junitXml(results, { name: port })));
      }
      const json = testResultJson(results);
      const count = (s: string) => json.tests.filter((t) => t.status === s).length;
      ctx.out.info(`${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`);
      ctx.out.result({ ok: json.ok, port, tests: json.tests, ...(junit ? { junit } : {}) });
      return json.ok ? 0 : 1;
    });
  },
};
