/**
 * Publishes a run through `@actions/core`: the outputs, the job summary table, and one error
 * annotation per failed board.
 *
 * @module
 */

import * as core from "@actions/core";
import { actionOutputs, type RunReport } from "./outputs.ts";
import { failureAnnotations, summaryContent } from "./summary.ts";
import type { LuaJob } from "./lua_board.ts";
import { LUA_TEST_HEADER, luaTestAnnotations, luaTestRows } from "./lua_report.ts";

/** The parts of `@actions/core` used here (tests may pass a recorder). */
export interface ReportSink {
  /** Sets an output. */
  setOutput: typeof core.setOutput;
  /** Writes an error annotation. */
  error: typeof core.error;
  /** The job summary builder. */
  summary: typeof core.summary;
}

/**
 * Sets the outputs, writes the job summary (when `GITHUB_STEP_SUMMARY` is set) and annotates
 * each failed board.
 *
 * @param report the run
 * @param options the sink (`@actions/core` by default) and whether a summary file exists
 *
 * @example Recording what would be published
 * ```ts
 * import { publishReport } from "./report.ts";
 * import * as core from "@actions/core";
 * import assert from "node:assert/strict";
 * const outputs = new Map<string, string>();
 * await publishReport({
 *   prepared: { firmware: { name: "fw.bin", size: 1, sha256: "00", source: "workspace" },
 *     release: undefined },
 *   results: [], logs: [], logDir: "/tmp/logs",
 * }, {
 *   summaryFile: "unset",
 *   sink: { setOutput: (name, value) => outputs.set(name, String(value)), error: () => {},
 *     summary: core.summary },
 * });
 * assert.equal(outputs.get("firmware-name"), "fw.bin");
 * ```
 */
export async function publishReport(
  report: RunReport & { lua?: LuaJob },
  options: { sink?: ReportSink; summaryFile: "set" | "unset" },
): Promise<void> {
  const sink = options.sink ?? core;
  for (const [name, value] of Object.entries(actionOutputs(report))) sink.setOutput(name, value);
  for (const a of failureAnnotations(report.results)) sink.error(a.message, { title: a.title });
  for (const a of luaTestAnnotations(report.results, report.lua)) {
    sink.error(a.message, {
      title: a.title,
      ...(a.file ? { file: a.file } : {}),
      ...(a.line ? { startLine: a.line } : {}),
    });
  }
  if (options.summaryFile === "unset") return;
  const content = summaryContent(report);
  const summary = sink.summary.addHeading(content.heading, 2).addTable([
    content.header.map((data) => ({ data, header: true })),
    ...content.rows,
  ]);
  const tests = luaTestRows(report.results);
  if (tests.length > 0) {
    summary.addHeading("Lua tests", 3).addTable([
      LUA_TEST_HEADER.map((data) => ({ data, header: true })),
      ...tests,
    ]);
  }
  for (const note of content.notes) summary.addRaw(`<p>${note}</p>`, true);
  await summary.write();
}
