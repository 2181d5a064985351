/**
 * Issue 16's targets, checked against one run of the speed benchmark: each target, its limit,
 * what the run measured, whether it is met, and what the floor alone would give (the modelled
 * floor of nodeflash's job against the same comparison: how far the protocol path itself can
 * go, whatever the host does).
 *
 * @module
 */

import type { SpeedRow } from "./speed_table.ts";

interface Target {
  what: string;
  limit: number;
  /** The measured ratio, or undefined when a row is missing. */
  measured: number | undefined;
  /** The same ratio with nodeflash's job at its floor (no host overhead, no process start). */
  atFloor: number | undefined;
}

const find = (rows: SpeedRow[], tool: string, baud: string, mode: string) =>
  rows.find((r) => r.tool === tool && r.baud === baud && r.mode === mode);

function vsEsptool(rows: SpeedRow[], baud: string, mode: string, limit: number, what: string) {
  const base = find(rows, "esptool", baud, "full flash");
  const row = find(rows, "nodeflash", baud, mode);
  return {
    what,
    limit,
    measured: base && row ? row.wallMs / base.wallMs : undefined,
    atFloor: base && row ? row.floorMs / base.wallMs : undefined,
  };
}

/**
 * The targets' table.
 *
 * @param rows the run's rows
 * @returns a Markdown table
 *
 * @example
 * ```ts
 * import { targetTable } from "./speed_targets.ts";
 * const row = (tool: "esptool" | "nodeflash", mode: string, wallMs: number) => ({ baud: "460800",
 *   mode, tool, wallMs, jobMs: wallMs, floorMs: wallMs / 2, wireBytes: 0, cpuSeconds: 0, megabytes: 1 });
 * const table = targetTable([row("esptool", "full flash", 10000), row("nodeflash", "full flash", 7000)]);
 * if (!table.includes("| full flash at 460800, against esptool's | ≤ 0.75 | 0.70 | yes | 0.35 |")) throw new Error(table);
 * ```
 */
export function targetTable(rows: SpeedRow[]): string {
  const targets: Target[] = [];
  for (const baud of ["460800", "921600"]) {
    targets.push(
      vsEsptool(
        rows,
        baud,
        "unchanged (reflash)",
        0.15,
        `unchanged reflash at ${baud}, against esptool's full flash`,
      ),
      vsEsptool(
        rows,
        baud,
        "one 4 KiB sector changed",
        0.25,
        `one changed sector at ${baud}, against esptool's full flash`,
      ),
      vsEsptool(rows, baud, "full flash", 0.75, `full flash at ${baud}, against esptool's`),
    );
    const full = find(rows, "nodeflash", baud, "full flash");
    targets.push({
      what: `full flash at ${baud}, job (reset to reset) against its floor`,
      limit: 1.10,
      measured: full ? full.jobMs / full.floorMs : undefined,
      atFloor: 1,
    });
  }
  const rom = find(rows, "nodeflash", "115200", "ROM only (--no-stub)");
  targets.push({
    what: "--no-stub at 115200, job against its floor",
    limit: 1.05,
    measured: rom ? rom.jobMs / rom.floorMs : undefined,
    atFloor: 1,
  });
  const espRom = find(rows, "esptool", "115200", "ROM only (--no-stub)");
  const fastRom = find(rows, "nodeflash", "auto (460800)", "ROM only (--no-stub)");
  targets.push({
    what: "--no-stub with the ROM synced fast, against esptool --no-stub (2× faster)",
    limit: 0.5,
    measured: espRom && fastRom ? fastRom.wallMs / espRom.wallMs : undefined,
    atFloor: espRom && fastRom ? fastRom.floorMs / espRom.wallMs : undefined,
  });
  for (
    const [tool, one, eight] of [
      ["nodeflash", "full flash, 1 board", "full flash, 8 boards at once"],
      ["Action", "Action, 1 board", "Action, 8 boards at once"],
    ] as const
  ) {
    const a = rows.find((r) => r.tool === tool && r.mode === one);
    const b = rows.find((r) => r.tool === tool && r.mode === eight);
    targets.push({
      what: `8 boards at once against one (${tool === "Action" ? "the Action" : "the CLI"})`,
      limit: 1.25,
      measured: a && b ? b.wallMs / a.wallMs : undefined,
      atFloor: a && b ? b.floorMs / a.floorMs : undefined,
    });
  }
  const lines = ["| target | limit | measured | met | at the floor |", "|---|---:|---:|---|---:|"];
  for (const t of targets) {
    const f = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(2));
    const met = t.measured === undefined ? "–" : t.measured <= t.limit ? "yes" : "**no**";
    lines.push(
      `| ${t.what} | ≤ ${t.limit.toFixed(2)} | ${f(t.measured)} | ${met} | ${f(t.atFloor)} |`,
    );
  }
  return lines.join("\n");
}
