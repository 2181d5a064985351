/**
 * The speed benchmark's table: one row per case (baud × image × mode × tool), in Markdown.
 *
 * @module
 */

/** One case's figures. */
export interface SpeedRow {
  /** The rate asked for (`460800`, `auto`...). */
  baud: string;
  /** What the job was. */
  mode: string;
  /** Who did it. */
  tool: "nodeflash" | "esptool" | "Action";
  /** Process wall time, ms (the Action: its call, in the benchmark's process). */
  wallMs: number;
  /** Reset to reset on the board(s), ms (the longest of several boards). */
  jobMs: number;
  /** The modelled floor of that job, ms (the longest of several boards). */
  floorMs: number;
  /** Bytes on the wire, both ways, all boards. */
  wireBytes: number;
  /** CPU seconds of the process (NaN when not measured). */
  cpuSeconds: number;
  /** Megabytes of image flashed (all boards). */
  megabytes: number;
  /** The esptool row (`baud|mode`) the wall is compared with. */
  against?: string;
  /** Or another row (by mode) it is compared with (8 boards against 1). */
  againstRow?: string;
}

const s = (ms: number) => (ms / 1000).toFixed(2);

/**
 * Renders the rows.
 *
 * @param rows the cases, in order
 * @returns a Markdown table
 *
 * @example
 * ```ts
 * import { speedTable } from "./speed_table.ts";
 * const table = speedTable([{ baud: "921600", mode: "full flash", tool: "esptool", wallMs: 6000,
 *   jobMs: 5000, floorMs: 4000, wireBytes: 1, cpuSeconds: 0.2, megabytes: 0.4 }]);
 * if (!table.includes("| 921600 | full flash | esptool | 6.00 | 5.00 | 4.00 | 1.25 |")) throw new Error(table);
 * ```
 */
export function speedTable(rows: SpeedRow[]): string {
  const lines = [
    "| baud | image × mode | tool | wall s | job s | floor s | job / floor | wall vs | wire bytes | CPU s/MB |",
    "|---|---|---|---:|---:|---:|---:|---|---:|---:|",
  ];
  for (const r of rows) {
    const base = r.against !== undefined
      ? rows.find((o) => o.tool === "esptool" && `${o.baud}|${o.mode}` === r.against)
      : r.againstRow !== undefined
      ? rows.find((o) => o.mode === r.againstRow)
      : undefined;
    const vs = base === undefined
      ? ""
      : `${(r.wallMs / base.wallMs).toFixed(2)}× ${
        base.tool === "esptool" ? "esptool" : "1 board"
      }`;
    const cpu = Number.isFinite(r.cpuSeconds) ? (r.cpuSeconds / r.megabytes).toFixed(2) : "–";
    lines.push(
      `| ${r.baud} | ${r.mode} | ${r.tool} | ${s(r.wallMs)} | ${s(r.jobMs)} | ${s(r.floorMs)} | ${
        (r.jobMs / r.floorMs).toFixed(2)
      } | ${vs} | ${r.wireBytes} | ${cpu} |`,
    );
  }
  return lines.join("\n");
}
