/**
 * Test results in TAP, as Lua tests print them on NodeMCU's console among other output
 * (docs/lua-side.md#ntest-and-tap): NTest's form, every line prefixed `TAP: `
 * (`TAP: ok 1 name # msg`, `TAP: not ok 2 name # msg: err`, `TAP: Bail out! ...`, a plan after
 * the fact `TAP: POST 1..n`), or plain TAP (`ok 1 - name`, `not ok 2 name # SKIP why`, a plan
 * `1..n` first or last). When any `TAP: ` line is present only those count; the rest is program
 * output.
 *
 * @module
 */

import type { TestStatus } from "./lua_event.ts";

/** One test's result. */
export interface TapResult {
  /** Its number in the run. */
  n: number;
  /** Its name (the description). */
  name: string;
  /** pass, fail or skip (`# SKIP`; a `not ok` with `# TODO` counts as skipped). */
  status: TestStatus;
  /** The message after `#` (NTest: the assertion's message and error). */
  message: string;
}

/** What the TAP lines in some output say. */
export interface TapReport {
  /** `ntest` when `TAP: ` lines were found. */
  form: "ntest" | "plain" | "none";
  /** Results in order. */
  results: TapResult[];
  /** The plan's count, and whether it came before any result. */
  plan: { count: number; first: boolean } | undefined;
  /** `Bail out!` and its reason. */
  bailOut: string | undefined;
}

const RESULT = /^(not ok|ok)\b\s*(\d+)?\s*(?:-\s+)?(.*)$/;
const PLAN = /^(?:POST\s+)?1\.\.(\d+)\b/;

function parseResult(m: RegExpExecArray, fallbackN: number): TapResult {
  const rest = m[3] ?? "";
  const hash = rest.indexOf(" # ");
  const bare = rest.startsWith("# ") ? 0 : -1;
  const at = hash >= 0 ? hash : bare;
  const name = (at >= 0 ? rest.slice(0, at) : rest).trim();
  const message = (at >= 0 ? rest.slice(at + (at === 0 ? 2 : 3)) : "").trim();
  const directive = /^(SKIP|TODO)\b\S*\s*(.*)$/i.exec(message);
  let status: TestStatus = m[1] === "ok" ? "pass" : "fail";
  if (directive && (directive[1]!.toUpperCase() === "SKIP" || status === "fail")) status = "skip";
  return { n: m[2] === undefined ? fallbackN : Number(m[2]), name, status, message };
}

/**
 * Reads the TAP lines of some output.
 *
 * @param text console output, LF line ends
 * @returns results, plan and bail-out
 *
 * @example
 * ```ts
 * import { parseTap } from "./tap_parser.ts";
 * import assert from "node:assert/strict";
 * const r = parseTap("boot noise\nTAP: # STARTUP file\nTAP: ok 1 opens # \n" +
 *   "TAP: not ok 2 reads # eq failed: file.lua:12: expected 3\nok 3 not TAP here\nTAP: POST 1..2\n");
 * assert.equal(r.form, "ntest");
 * assert.deepEqual(r.results.map((t) => [t.name, t.status]), [["opens", "pass"], ["reads", "fail"]]);
 * assert.equal(r.results[1]?.message, "eq failed: file.lua:12: expected 3");
 * assert.deepEqual(r.plan, { count: 2, first: false });
 * ```
 */
export function parseTap(text: string): TapReport {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  const ntest = lines.some((l) => l.startsWith("TAP: "));
  const tap = ntest
    ? lines.filter((l) => l.startsWith("TAP: ")).map((l) => l.slice(5))
    : lines.map((l) => l.trimStart());
  const report: TapReport = {
    form: ntest ? "ntest" : "none",
    results: [],
    plan: undefined,
    bailOut: undefined,
  };
  for (const line of tap) {
    const result = RESULT.exec(line);
    if (result) {
      report.results.push(parseResult(result, report.results.length + 1));
      continue;
    }
    const plan = PLAN.exec(line);
    if (plan && report.plan === undefined) {
      report.plan = { count: Number(plan[1]), first: report.results.length === 0 };
      continue;
    }
    if (line.startsWith("Bail out!")) report.bailOut ??= line.slice(9).trim();
  }
  if (!ntest && (report.results.length > 0 || report.plan !== undefined)) report.form = "plain";
  return report;
}

/**
 * Whether a test run's TAP says it is over: a bail-out, a plan after the results, or as many
 * results as a plan given first.
 *
 * @param report the parsed output so far
 * @returns whether nothing more is to come
 *
 * @example
 * ```ts
 * import { parseTap, tapComplete } from "./tap_parser.ts";
 * if (tapComplete(parseTap("1..2\nok 1\n"))) throw new Error("one of two");
 * if (!tapComplete(parseTap("1..2\nok 1\nok 2\n"))) throw new Error("both");
 * ```
 */
export function tapComplete(report: TapReport): boolean {
  if (report.bailOut !== undefined) return true;
  if (report.plan === undefined) return false;
  return !report.plan.first || report.results.length >= report.plan.count;
}

/**
 * Where a failure message points in the test's source: the first `name.lua:LINE:`.
 *
 * @param message a result's message
 * @returns the file and line, or `undefined`
 *
 * @example
 * ```ts
 * import { sourceLocation } from "./tap_parser.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(sourceLocation("eq failed: test_gpio.lua:12: want 1"), { file: "test_gpio.lua", line: 12 });
 * ```
 */
export function sourceLocation(message: string): { file: string; line: number } | undefined {
  const m = /([\w./~-]+\.lua):(\d+):/.exec(message);
  return m === null ? undefined : { file: m[1]!, line: Number(m[2]) };
}
