/**
 * How fast a flash is, whole jobs as users run them, against esptool v4.8.1 and against the
 * floor the simulator's time model states. Every case runs on its own simulated NodeMCU devkit
 * served over RFC 2217 with the time model in real time (bench_boards.ts), each tool as its own
 * process (`deno run -A mod.ts flash ...`, `python3 esptool.py ...`), one after another, on a
 * 390 KiB NodeMCU-like image (before a full flash the board holds another build of the same
 * size: every block differs). Per case:
 *
 * - wall: the process, start to exit (interpreter start included, for both tools);
 * - job: on the board, from the reset into the loader to the hard reset into the firmware;
 * - floor: what the time model says that job needs at the least for the bytes it moved (wire
 *   time both ways with 1 ms of USB latency each way, flash and CPU work that cannot overlap,
 *   EN's RC delay), so job / floor is the host's own overhead;
 * - × esptool: wall against esptool's full flash at the same rate (`--no-stub` against
 *   `esptool --no-stub`; 8 boards against one);
 * - wire bytes both ways; CPU seconds (user + system of the process) per flashed MB.
 *
 * Then the compression lever by time to flash. The table is printed and written to
 * docs/benchmarks.md (its `speed` section) with the machine, its load and the date.
 *
 * `deno bench -A tests/bench/speed_bench.ts` (or `deno task bench`). Without esptool (see
 * tests/support/esptool.ts) the esptool rows and ratios are left out.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { flashAll } from "../../action/flash_all.ts";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { openTransport } from "../../mod.ts";
import { findEsptool } from "../support/esptool.ts";
import { type BenchBoard, benchBoard, endJob } from "./bench_boards.ts";
import { loadAverage, machineFacts, writeSection } from "./benchmarks_doc.ts";
import { type EncoderFigures, measureEncoders, timeToSend } from "./compression_levers.ts";
import type { JobFigures } from "./job_window.ts";
import { timedRun } from "./timed_run.ts";
import { speedTable } from "./speed_table.ts";
import { targetTable } from "./speed_targets.ts";
import type { SpeedRow } from "./speed_table.ts";

const MOD = fileURLToPath(new URL("../../mod.ts", import.meta.url));
const DOC = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));
const SIZE = 390 * 1024;
const MB = SIZE / 1e6;
const image = buildNodemcuFirmware({ totalSize: SIZE, seed: 1 }).combined;
const previous = buildNodemcuFirmware({ totalSize: SIZE, seed: 2 }).combined;
const oneSector = image.slice();
oneSector.fill(0x5a, 0x30000, 0x31000);
const dir = await Deno.makeTempDir({ prefix: "nodeflash-speed-" });
const files = { image: `${dir}/nodemcu.bin`, oneSector: `${dir}/one-sector.bin` };
await Deno.writeFile(files.image, image);
await Deno.writeFile(files.oneSector, oneSector);
const esptool = await findEsptool();
const hasEsptool = !("skip" in esptool);
// deno-lint-ignore no-console -- a benchmark explains what it skips
if ("skip" in esptool) console.log(`esptool rows skipped: ${esptool.skip}`);
const startLoad = loadAverage();
const rows: SpeedRow[] = [];
let encoders: EncoderFigures[] = [];

/** Runs one tool as a process and ends the boards' jobs. */
async function cli(
  boards: BenchBoard[],
  tool: "nodeflash" | "esptool",
  args: string[],
): Promise<{ wallMs: number; cpuSeconds: number; jobs: JobFigures[] }> {
  const run = tool === "nodeflash"
    ? await timedRun(Deno.execPath(), ["run", "-A", MOD, ...args])
    : "skip" in esptool
    ? undefined
    : await timedRun(esptool.python, [esptool.path, "--chip", "esp8266", ...args]);
  if (run === undefined) throw new Error("esptool is missing");
  if (run.code !== 0) throw new Error(`${tool} ${args.join(" ")}: ${run.stderr.slice(-2000)}`);
  return { wallMs: run.wallMs, cpuSeconds: run.cpuSeconds, jobs: boards.map(endJob) };
}

function record(
  row: Omit<SpeedRow, "jobMs" | "floorMs" | "wireBytes" | "megabytes">,
  figures: { jobs: JobFigures[] },
): void {
  rows.push({
    ...row,
    megabytes: MB * figures.jobs.length,
    jobMs: Math.max(...figures.jobs.map((j) => j.jobMs)),
    floorMs: Math.max(...figures.jobs.map((j) => j.floorMs)),
    wireBytes: figures.jobs.reduce((n, j) => n + j.wireBytes, 0),
  });
}

async function closeAll(boards: BenchBoard[]): Promise<void> {
  await Promise.all(boards.map((b) => b.server.close()));
}

/** The cases, run one after another by one benchmark (`deno bench` repeats a benchmark). */
const cases: Array<{ name: string; fn: () => Promise<void> }> = [];
const bench = (name: string, fn: () => Promise<void>) => cases.push({ name, fn });
let ran = false;
Deno.bench({
  name: "speed: whole jobs on real-time simulated boards (the table follows)",
  n: 1,
  warmup: 0,
  async fn() {
    if (ran) return;
    ran = true;
    for (const c of cases) {
      // deno-lint-ignore no-console -- progress of a long benchmark
      console.log(`speed_bench: ${c.name}`);
      await c.fn();
    }
  },
});

const nodeflash = (board: BenchBoard, ...args: string[]) =>
  cli([board], "nodeflash", ["flash", "-p", board.server.url, "-q", ...args]);

for (const baud of ["460800", "921600"]) {
  if (hasEsptool) {
    bench(`esptool write_flash -z at ${baud}`, async () => {
      const board = await benchBoard(previous);
      const args = ["--port", board.server.url, "--baud", baud, "write_flash", "-z", "0x0"];
      const r = await cli([board], "esptool", [...args, files.image]);
      record({ baud, mode: "full flash", tool: "esptool", ...r }, r);
      await closeAll([board]);
    });
  }
  bench(`nodeflash flash at ${baud}: full, unchanged, one sector changed`, async () => {
    const board = await benchBoard(previous);
    const against = `${baud}|full flash`;
    const cases = [
      ["full flash", files.image],
      ["unchanged (reflash)", files.image],
      ["one 4 KiB sector changed", files.oneSector],
    ] as const;
    for (const [mode, file] of cases) {
      const r = await nodeflash(board, "-b", baud, file);
      record({ baud, mode, tool: "nodeflash", ...r, against }, r);
    }
    await closeAll([board]);
  });
}

bench(
  "nodeflash: unchanged, with the stub left running; with a ROM that syncs at 115200 only",
  async () => {
    const left = await benchBoard(previous);
    await nodeflash(left, "--after", "no-reset", files.image); // leaves the stub running
    const r = await nodeflash(left, "--before", "no-reset", files.image);
    record({
      baud: "auto",
      mode: "unchanged, stub left running (--before no-reset)",
      tool: "nodeflash",
      ...r,
      against: "921600|full flash",
    }, r);
    const slow = await benchBoard(previous, { romAutobaudMaxBaud: 115200 });
    await nodeflash(slow, files.image);
    const s = await nodeflash(slow, files.image);
    record({
      baud: "auto",
      mode: "unchanged, ROM syncs at 115200 only",
      tool: "nodeflash",
      ...s,
      against: "921600|full flash",
    }, s);
    await closeAll([left, slow]);
  },
);

if (hasEsptool) {
  bench("esptool write_flash --no-stub at 115200", async () => {
    const board = await benchBoard(previous);
    const r = await cli([board], "esptool", [
      "--port",
      board.server.url,
      "--no-stub",
      "write_flash",
      "0x0",
      files.image,
    ]);
    record({ baud: "115200", mode: "ROM only (--no-stub)", tool: "esptool", ...r }, r);
    await closeAll([board]);
  });
}

bench("nodeflash flash --no-stub: at 115200, and with the ROM synced at 460800", async () => {
  for (const baud of ["115200", "auto"]) {
    const board = await benchBoard(previous);
    const r = await nodeflash(board, "--no-stub", "-b", baud, files.image);
    record({
      baud: baud === "auto" ? "auto (460800)" : baud,
      mode: "ROM only (--no-stub)",
      tool: "nodeflash",
      ...r,
      against: "115200|ROM only (--no-stub)",
    }, r);
    await closeAll([board]);
  }
});

bench("nodeflash flash: one board, then 8 boards at once (auto baud)", async () => {
  for (const count of [1, 8]) {
    const boards = await Promise.all(Array.from({ length: count }, () => benchBoard(previous)));
    const ports = boards.flatMap((b) => ["-p", b.server.url]);
    const r = await cli(boards, "nodeflash", ["flash", ...ports, "-q", files.image]);
    record({
      baud: "auto",
      mode: count === 1 ? "full flash, 1 board" : "full flash, 8 boards at once",
      tool: "nodeflash",
      ...r,
      ...(count === 1 ? { against: "921600|full flash" } : { againstRow: "full flash, 1 board" }),
    }, r);
    await closeAll(boards);
  }
});

bench("the Action's flashAll: one board, then 8 boards at once (in this process)", async () => {
  for (const count of [1, 8]) {
    const boards = await Promise.all(Array.from({ length: count }, () => benchBoard(previous)));
    const started = performance.now();
    const results = await flashAll(boards.map((b) => b.server.url), {
      settings: {
        files: [{ address: 0, name: "nodemcu.bin", data: image }],
        initData: { kind: "none" },
        baud: "auto",
        flashMode: "keep",
        flashSize: "detect",
        erase: "none",
        smoke: "off",
        smokeTimeoutMs: 1000,
        probe: undefined,
      },
      open: (port) => openTransport(port, { baudRate: 115200 }),
    });
    const wallMs = performance.now() - started;
    if (!results.every((r) => r.ok)) throw new Error(JSON.stringify(results.map((r) => r.problem)));
    const jobs = boards.map(endJob);
    record({
      baud: "auto",
      mode: count === 1 ? "Action, 1 board" : "Action, 8 boards at once",
      tool: "Action",
      wallMs,
      cpuSeconds: NaN,
      ...(count === 1 ? {} : { againstRow: "Action, 1 board" }),
    }, { jobs });
    await closeAll(boards);
  }
});

bench("compression encoders on the image (time to flash, not size)", async () => {
  encoders = await measureEncoders(image);
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(dir, { recursive: true });
  if (rows.length === 0) return;
  const table = speedTable(rows);
  const targets = targetTable(rows);
  const levers = encoderTable(encoders);
  // deno-lint-ignore no-console -- the benchmark's figures
  console.log(`\n${table}\n\n${targets}\n\n${levers}`);
  const facts = machineFacts(startLoad, versions());
  const doc = [
    "## Speed (issue 16): whole jobs against esptool v4.8.1 and the modelled floor",
    "",
    `Run ${facts.date} on ${facts.cpu}; load average ${facts.load.start} at the start, ` +
    `${facts.load.end} at the end (a machine shared with other work: wall times are noisy, ` +
    "ratios from this one run). " + facts.versions,
    "",
    "Reproduce: `deno task bench` (or `deno bench -A tests/bench/speed_bench.ts`), with esptool " +
    "v4.8.1 at `../shared/peers/esptool-4.8.1` or `NODEFLASH_ESPTOOL`, and Debian's Python with " +
    "pyserial. Each case is a fresh simulated devkit over RFC 2217 with the time model in real " +
    "time and 1 ms of USB latency; the image is a 390 KiB NodeMCU-like build " +
    `(${image.length} bytes), the board holding another build before a full flash. ` +
    "What the columns mean: tests/bench/speed_bench.ts.",
    "",
    table,
    "",
    "### Against issue 16's targets",
    "",
    '"At the floor" is the same ratio with nodeflash\'s job at its modelled floor: how far the ' +
    "protocol path itself goes, with no host overhead and no process start. The floor leaves out " +
    "the EN-low pulse of the reset (100 ms, held by the host) and counts EN's RC delay.",
    "",
    targets,
    "",
    "### Lever: compression encoder, by time to flash",
    "",
    "Host CPU to compress plus the stream's wire time; compressing happens before the first " +
    "block goes out. The chip's inflate time is not modelled.",
    "",
    levers,
  ].join("\n");
  writeSection(DOC, "speed", doc);
});

function versions(): string {
  const deno = Deno.version.deno;
  return `Deno ${deno}${hasEsptool ? ", esptool v4.8.1 with /usr/bin/python3" : ""}.`;
}

function encoderTable(list: EncoderFigures[]): string {
  if (list.length === 0) return "";
  const base = list[0]!;
  const lines = [
    "| encoder | bytes | ratio | host CPU ms | at 460800: s (vs zlib -9) | at 921600: s (vs zlib -9) |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const e of list) {
    const at = (baud: number) => {
      const t = timeToSend(e, baud);
      const d = t - timeToSend(base, baud);
      return `${t.toFixed(2)} (${d >= 0 ? "+" : ""}${d.toFixed(2)})`;
    };
    lines.push(
      `| ${e.name} | ${e.bytes} | ${(e.bytes / image.length).toFixed(3)} | ${
        e.cpuMs.toFixed(0)
      } | ${at(460800)} | ${at(921600)} |`,
    );
  }
  return lines.join("\n");
}
