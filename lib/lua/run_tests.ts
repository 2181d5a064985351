/**
 * On-board tests: the test files (and what they need) are synced to the board, then each runs
 * as `loadfile(name)(shim)`, where the shim hands NTest tests an NTest whose output handler
 * prints TAP lines (`TAP: ok 1 name # msg`); plain TAP works as it is. A file is over when its
 * TAP says so (NTest's `POST` plan, a plan after the results, as many results as a plan given
 * first, a bail-out) or, for plain files without a plan, when it returns. A restart, a crash or
 * the timeout fails the file with the console excerpt; the board is then brought back to its
 * prompt (reset after a timeout) and the next file runs.
 *
 * @module
 */

import { isNodeflashError } from "../errors.ts";
import { callFailed, watchConsole, type WatchEnd } from "./console_watch.ts";
import type { LocalFile } from "./local_files.ts";
import { luaQuote } from "./lua_literal.ts";
import type { LuaSession } from "./lua_session.ts";
import { markerTag } from "./run_file.ts";
import { syncFiles } from "./sync_files.ts";
import { parseTap, sourceLocation, tapComplete, type TapResult } from "./tap_parser.ts";
import type { TestStatus } from "./lua_event.ts";

/** One test's outcome. */
export interface TestCaseResult {
  /** The test file (its name on the board). */
  file: string;
  /** The test's name; `(file)`, `(restart)`, `(timeout)`, `(plan)` for file-level failures. */
  name: string;
  /** pass, fail or skip. */
  status: TestStatus;
  /** The TAP message, or what went wrong, with the console excerpt for a restart or timeout. */
  message: string;
  /** Where in the test's source the message points, when it names a line. */
  location?: { file: string; line: number };
}

/** One test file's outcome. */
export interface TestFileResult {
  /** Its name on the board. */
  file: string;
  /** The host path it came from. */
  path: string;
  /** Its tests. */
  tests: TestCaseResult[];
  /** Seconds it ran. */
  seconds: number;
  /** The console output while it ran. */
  output: string;
}

/** Options for {@link runTests}. */
export interface RunTestsOptions {
  /** How long each file may run (60 s by default). */
  timeoutMs?: number;
  /** Files the tests need (`--with DIR`), synced before them. */
  with?: LocalFile[];
}

/** How many characters of the console a failure carries. */
const EXCERPT = 1500;

function fileFailure(file: string, name: string, message: string): TestCaseResult {
  const location = sourceLocation(message);
  return { file, name, status: "fail", message, ...(location ? { location } : {}) };
}

function fromTap(file: string, r: TapResult): TestCaseResult {
  const location = r.status === "fail" ? sourceLocation(r.message) : undefined;
  return {
    file,
    name: r.name || `test ${r.n}`,
    status: r.status,
    message: r.message,
    ...(location ? { location } : {}),
  };
}

/** The results a finished (or stopped) file's output gives. */
function verdict(file: string, end: WatchEnd, marker: RegExpExecArray | null): TestCaseResult[] {
  const tap = parseTap(end.text);
  const tests = tap.results.map((r) => fromTap(file, r));
  const excerpt = end.text.slice(-EXCERPT).trim();
  if (end.kind === "restart") {
    tests.push(
      fileFailure(file, "(restart)", `the board restarted (${end.evidence}):\n${excerpt}`),
    );
  } else if (end.kind === "timeout") {
    tests.push(fileFailure(file, "(timeout)", `no end of the tests in time:\n${excerpt}`));
  } else if (marker === null && callFailed(end.text)) {
    tests.push(fileFailure(file, "(file)", end.text.replace(/\n?> $/, "").trim()));
  } else if (marker?.[1] === "err") {
    tests.push(fileFailure(file, "(file)", marker[3] ?? "error"));
  } else if (tap.bailOut !== undefined) {
    tests.push(fileFailure(file, "(bail out)", tap.bailOut));
  } else if (tests.length === 0) {
    tests.push(fileFailure(file, "(file)", "no test results: the file printed no TAP lines"));
  } else if (tap.plan !== undefined && tap.form === "plain" && tap.plan.count !== tests.length) {
    tests.push(
      fileFailure(file, "(plan)", `planned ${tap.plan.count} tests, ${tests.length} ran`),
    );
  }
  return tests;
}

async function runOne(
  session: LuaSession,
  file: LocalFile,
  timeoutMs: number,
): Promise<TestFileResult> {
  await session.helpers("test");
  const tag = markerTag();
  const markerRe = new RegExp(`(?:^|\\n)nf\\|${tag}\\|(ok|err)\\|(\\d)\\t([^\\n]*)\\n`);
  session.repl.onEvent({ type: "test-file", file: file.name });
  const t0 = performance.now();
  await session.repl.sendLine(`__nft(${luaQuote(file.name)},${tag})`);
  const done = (text: string) => {
    const m = markerRe.exec(text);
    const tap = parseTap(text);
    if (m === null) return tap.bailOut !== undefined || callFailed(text);
    if (m[1] === "err" || tapComplete(tap)) return true;
    return m[2] === "0" && (tap.plan === undefined || !tap.plan.first);
  };
  const end = await watchConsole(session.repl, {
    timeoutMs,
    done,
    onLines: (text) => session.repl.onEvent({ type: "output", text }),
    hide: `nf|${tag}|`,
  });
  const marker = markerRe.exec(end.text);
  const afterwards = await settle(session, end, marker);
  const tests = verdict(file.name, afterwards ?? end, marker);
  for (const t of tests) {
    session.repl.onEvent({
      type: "test",
      file: t.file,
      name: t.name,
      status: t.status,
      message: t.message,
    });
  }
  return {
    file: file.name,
    path: file.path,
    tests,
    seconds: (performance.now() - t0) / 1000,
    output: end.text,
  };
}

/**
 * Leaves the board at a clean prompt after a file: waits out a restart, resets after a timeout,
 * and checks that a file that seemed to end did not restart the board as it returned
 * (`node.restart()` takes effect after the running line). Returns the watch's end as it turns
 * out to be, when that differs.
 */
async function settle(
  session: LuaSession,
  end: WatchEnd,
  marker: RegExpExecArray | null,
): Promise<WatchEnd | undefined> {
  if (end.kind === "restart") {
    session.repl.onEvent({ type: "restart", evidence: end.evidence });
    await session.awaitPrompt("none");
    return undefined;
  }
  if (end.kind === "timeout") {
    await session.restart();
    return undefined;
  }
  if (marker !== null && !/(?:^|\n)> /.test(end.text.slice(marker.index + marker[0].length))) {
    await session.repl.readToPrompt().catch(() => {});
  }
  const evidence = await session.restartEvidence();
  if (evidence === undefined) return undefined;
  session.repl.onEvent({ type: "restart", evidence });
  const text = end.text + session.repl.recent.slice(-EXCERPT);
  await session.awaitPrompt("none");
  return { kind: "restart", text, evidence };
}

/**
 * Syncs the test files (and `with`) to the board and runs each test file.
 *
 * @param session the Lua session
 * @param files the test files
 * @param options timeout per file, dependencies
 * @returns one result per file; a board that cannot come back fails the files left
 *
 * @example
 * ```ts
 * import { openLuaSession, runTests } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * const test = { name: "t.lua", path: "tests/t.lua", data: new TextEncoder().encode(
 *   'print("1..2") print("ok 1 - adds") print("not ok 2 - subs # t.lua:1: 1 ~= 2")\n',
 * ) };
 * const [result] = await runTests(session, [test]);
 * assert.deepEqual(result?.tests.map((t) => [t.name, t.status]), [["adds", "pass"], ["subs", "fail"]]);
 * session.close();
 * await port.close();
 * ```
 */
export async function runTests(
  session: LuaSession,
  files: LocalFile[],
  options: RunTestsOptions = {},
): Promise<TestFileResult[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  await syncFiles(session, [...(options.with ?? []), ...files]);
  const out: TestFileResult[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    try {
      out.push(await runOne(session, file, timeoutMs));
    } catch (error) {
      if (!isNodeflashError(error) || error.kind === "user") throw error;
      const why = `${error.message}${error.hint ? ` (${error.hint})` : ""}`;
      for (const rest of files.slice(i)) {
        out.push({
          file: rest.name,
          path: rest.path,
          tests: [fileFailure(rest.name, "(board)", `not run: ${why}`)],
          seconds: 0,
          output: "",
        });
      }
      break;
    }
  }
  return out;
}
