/**
 * Where one flashing job's time goes, phase by phase: runs `nodeflash flash` as its own process
 * against a real-time simulated board (bench_boards.ts: RFC 2217, 1 ms of USB latency) and splits
 * the job at the commands the board handled, each phase with its real time and the floor the time
 * model states for it (so the difference is the host's overhead, plus the simulator's own).
 *
 * ```sh
 * deno run -A tests/bench/phase_trace.ts full 921600      # a new build over another one
 * deno run -A tests/bench/phase_trace.ts unchanged 460800 # the same image again
 * ```
 *
 * Not a benchmark (it writes nothing to docs/): a tool for finding host waits.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { benchBoard, endJob } from "./bench_boards.ts";
import { timedRun } from "./timed_run.ts";

/** One point of the job: real ms since the process was started, the floor so far, what. */
interface Mark {
  ms: number;
  floorMs: number;
  what: string;
}

/** A phase's totals. */
export interface Phase {
  /** Its name. */
  name: string;
  /** Commands (or events) in it. */
  count: number;
  /** Real time, ms. */
  realMs: number;
  /** The model's floor for it, ms. */
  floorMs: number;
}

/**
 * The phase a mark ends.
 *
 * @param what `EN low`, `ROM up`, or `<loader> <command>`
 * @returns the phase's name
 *
 * @example
 * ```ts
 * import { phaseOf } from "./phase_trace.ts";
 * if (phaseOf("stub SPI_FLASH_MD5") !== "md5") throw new Error();
 * ```
 */
export function phaseOf(what: string): string {
  if (what === "ROM up") return "reset";
  if (what === "EN low") return "final reset";
  const [loader, command = ""] = what.split(" ");
  if (command === "SYNC") return "sync";
  if (loader === "rom" && command === "READ_REG") return "identify";
  if (command.startsWith("MEM_")) return "stub upload";
  if (command === "CHANGE_BAUDRATE") return "baud";
  if (command.includes("MD5")) return "md5";
  if (command.startsWith("FLASH_")) return "write";
  return "attach";
}

/**
 * Adds marks up into phases, from the first EN-low edge to the last.
 *
 * @param marks the job's marks in order
 * @returns consecutive phases
 */
export function phases(marks: readonly Mark[]): Phase[] {
  const first = marks.findIndex((m) => m.what === "EN low");
  const last = marks.findLastIndex((m) => m.what === "EN low");
  const out: Phase[] = [];
  for (let i = first + 1; i <= last; i++) {
    const m = marks[i]!;
    const prev = marks[i - 1]!;
    const name = phaseOf(m.what);
    const phase = out.at(-1)?.name === name
      ? out.at(-1)!
      : { name, count: 0, realMs: 0, floorMs: 0 };
    if (phase !== out.at(-1)) out.push(phase);
    phase.count++;
    phase.realMs += m.ms - prev.ms;
    phase.floorMs += m.floorMs - prev.floorMs;
  }
  return out;
}

if (import.meta.main) {
  const [mode = "full", baud = "921600"] = Deno.args;
  const MOD = fileURLToPath(new URL("../../mod.ts", import.meta.url));
  const image = buildNodemcuFirmware({ totalSize: 390 * 1024, seed: 1 }).combined;
  const previous = buildNodemcuFirmware({ totalSize: 390 * 1024, seed: 2 }).combined;
  const dir = await Deno.makeTempDir({ prefix: "nodeflash-phases-" });
  const file = `${dir}/nodemcu.bin`;
  await Deno.writeFile(file, image);
  const board = await benchBoard(previous);
  const run = () =>
    timedRun(Deno.execPath(), [
      "run",
      "-A",
      MOD,
      "flash",
      "-p",
      board.server.url,
      "-q",
      "-b",
      baud,
      file,
    ]);
  if (mode === "unchanged") {
    await run(); // the image goes on first
    endJob(board);
  }
  const sim = board.server.board;
  const mark = sim.timing.mark();
  const marks: Mark[] = [];
  let enLow = false;
  let connectedMs: number | undefined;
  const started = performance.now();
  const add = (what: string) =>
    marks.push({
      ms: performance.now() - started,
      floorMs: sim.timing.since(mark).floorUs / 1000,
      what,
    });
  sim.on((e) => {
    if (e.type === "command") add(`${e.record.loader} ${e.record.name}`);
    else if (e.type === "state" && e.state === "download") add("ROM up");
    else if (e.type === "host" && e.connected) connectedMs = performance.now() - started;
    else if (e.type === "signals") {
      const low = e.rts && !e.dtr;
      if (low && !enLow) add("EN low");
      enLow = low;
    }
  });
  const result = await run();
  const job = endJob(board);
  await board.server.close();
  await Deno.remove(dir, { recursive: true });
  const f = (ms: number) => ms.toFixed(1).padStart(8);
  const lines = phases(marks).map((p) =>
    `${p.name.padEnd(12)} ${String(p.count).padStart(3)} ${f(p.realMs)} ${f(p.floorMs)} ${
      f(p.realMs - p.floorMs)
    }`
  );
  // deno-lint-ignore no-console -- the tool's output
  console.log(
    [
      `${mode} at ${baud}: exit ${result.code}, wall ${result.wallMs.toFixed(0)} ms, ` +
      `start to connection ${connectedMs?.toFixed(0)} ms, job ${job.jobMs.toFixed(0)} ms, ` +
      `floor ${job.floorMs.toFixed(0)} ms, CPU ${result.cpuSeconds.toFixed(2)} s`,
      "phase          n  real ms floor ms  over ms",
      ...lines,
    ].join("\n"),
  );
}
