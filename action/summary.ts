/**
 * The job summary (one table row per board) and the error annotations (one per failed board,
 * with its diagnosis and hint), as plain data for `core.summary` and `core.error`. Pure. Cell
 * text is HTML-escaped: `core.summary` writes table cells as HTML.
 *
 * @module
 */

import type { BoardResult } from "./flash_board.ts";
import type { RunReport } from "./outputs.ts";

/** The summary: a heading, a table and lines under it. */
export interface SummaryContent {
  /** The heading. */
  heading: string;
  /** The header row. */
  header: string[];
  /** One row per board. */
  rows: string[][];
  /** Lines after the table (the firmware's digest). */
  notes: string[];
}

/** An error annotation. */
export interface Annotation {
  /** Its title. */
  title: string;
  /** The message (diagnosis, then hint). */
  message: string;
}

/**
 * Escapes text for an HTML cell.
 *
 * @param text any text
 * @returns the text with `& < > " '` escaped
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./summary.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeHtml("<b>&"), "&lt;b&gt;&amp;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function smokeCell(result: BoardResult): string {
  const smoke = result.smoke;
  if (smoke === null) return result.stage === "done" ? "off" : "not run";
  if (smoke.ok) {
    const at = smoke.promptMs === null ? "" : ` in ${(smoke.promptMs / 1000).toFixed(1)} s`;
    const warned = smoke.warnings.length > 0 ? ` (warning: ${smoke.warnings[0]!.code})` : "";
    return `passed: NodeMCU ${smoke.nodemcu ?? "(no banner)"}${at}${warned}`;
  }
  return `failed at ${smoke.phase}: ${smoke.diagnosis?.code ?? "unknown"}`;
}

function resultCell(result: BoardResult): string {
  if (result.ok) return "✅ ok";
  return `❌ ${result.problem?.code ?? "failed"} (${result.stage})`;
}

/**
 * The summary of a run.
 *
 * @param report the run
 * @returns heading, table and notes, escaped
 *
 * @example
 * ```ts
 * import { summaryContent } from "./summary.ts";
 * import assert from "node:assert/strict";
 * const s = summaryContent({
 *   prepared: { firmware: { name: "fw.bin", size: 1, sha256: "00", source: "workspace" }, release: undefined },
 *   results: [], logs: [], logDir: "/l",
 * });
 * assert.match(s.heading, /0 of 0 boards/);
 * ```
 */
export function summaryContent(report: RunReport): SummaryContent {
  const { prepared, results } = report;
  const passed = results.filter((r) => r.ok).length;
  const from = prepared.release === undefined
    ? "the workspace"
    : `${prepared.release.repository} ${prepared.release.tag}`;
  return {
    heading: escapeHtml(
      `nodeflash: ${prepared.firmware.name} from ${from}, ${passed} of ${results.length} boards ok`,
    ),
    header: ["Board", "Result", "Chip", "MAC", "Written", "Skipped", "Time", "Smoke test"],
    rows: results.map((r) =>
      [
        r.port,
        resultCell(r),
        r.chip ?? "",
        r.mac ?? "",
        kib(r.bytesWritten),
        kib(r.bytesSkipped),
        `${r.seconds.toFixed(1)} s`,
        smokeCell(r),
      ].map(escapeHtml)
    ),
    notes: [
      escapeHtml(
        `${prepared.firmware.name}: ${prepared.firmware.size} bytes, sha256 ${prepared.firmware.sha256}`,
      ),
      escapeHtml(`Serial logs: ${report.logDir}`),
    ],
  };
}

/**
 * One error annotation per failed board.
 *
 * @param results the boards' results
 * @returns the annotations (none when every board passed)
 *
 * @example
 * ```ts
 * import { failureAnnotations } from "./summary.ts";
 * import assert from "node:assert/strict";
 * const [a] = failureAnnotations([{ port: "/dev/ttyUSB0", ok: false, stage: "smoke",
 *   problem: { code: "smoke/silent", message: "Nothing on /dev/ttyUSB0", hint: "Check power." } }]);
 * assert.equal(a?.title, "nodeflash: /dev/ttyUSB0 failed (smoke/silent)");
 * assert.match(a?.message ?? "", /Check power/);
 * ```
 */
export function failureAnnotations(
  results: ReadonlyArray<Pick<BoardResult, "port" | "ok" | "stage" | "problem">>,
): Annotation[] {
  return results.filter((r) => !r.ok).map((r) => {
    const code = r.problem?.code ?? "failed";
    const message = r.problem?.message ?? `${r.port} failed during ${r.stage}`;
    const hint = r.problem?.hint;
    return {
      title: `nodeflash: ${r.port} failed (${code})`,
      message: hint ? `${message}\nHint: ${hint}` : message,
    };
  });
}
