/**
 * Lua-side transfer speed on the simulated board running in real time (`pace: "realtime"`:
 * bytes take 10 bit times at the line rate both ways, plus 1 ms of USB latency each way):
 *
 * - upload throughput in file bytes per second, a 20 KB Lua text file and an 8 KiB binary
 *   file, at 115200 and at the fastest console rate the board takes, against the line rate
 *   (baud / 10 bytes per second) — the goal is 60 % of it at 115200;
 *   docs/lua-side.md#other-uploaders puts the established tools' wire-limited ceilings at 70 %
 *   (NodeMCU-Tool, base64) and 98 % (nodemcu-uploader, before its per-block round trip);
 * - `sync` of an unchanged 50-file folder, in device time (goal: under 2 s).
 *
 * `deno bench -A tests/bench/lua_upload_bench.ts` prints the benchmarks, then the figures and
 * the machine's load average before and after.
 *
 * @module
 */

import { connectSimLink, SimBoard } from "../../lib/sim/mod.ts";
import {
  type LocalFile,
  openLuaSession,
  syncFiles,
  uploadFile,
  withConsoleBaud,
} from "../../lib/lua/mod.ts";
import { awkwardLua, nodemcuFlash } from "../support/lua_sim.ts";

const lines: string[] = [];
const load = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
lines.push(`load average before: ${load()}`);

/** Deno may call a benchmark's function more than once; the figures come from the first call. */
const ran = new Set<string>();
function once(name: string): boolean {
  if (ran.has(name)) return false;
  ran.add(name);
  return true;
}

async function onBoard<T>(
  fn: (s: Awaited<ReturnType<typeof openLuaSession>>, b: SimBoard) => Promise<T>,
) {
  const board = new SimBoard({
    flashContents: nodemcuFlash(),
    pace: "realtime",
    timing: { latencyMs: 1 },
  });
  const link = connectSimLink(board);
  try {
    const session = await openLuaSession(link.transport, {
      onEvent: (e) => {
        if (e.type === "transfer-start") streamStart = performance.now();
        if (e.type === "transfer-progress" && e.done === e.total) streamEnd = performance.now();
      },
    });
    try {
      return await fn(session, board);
    } finally {
      session.close();
    }
  } finally {
    await link.transport.close();
    await board.close();
  }
}

let streamStart = 0;
let streamEnd = 0;
const text = awkwardLua().slice(0, 24 * 1024);
const binary = new Uint8Array(8 * 1024).map((_, i) => (i * 2654435761) >>> 24);

async function throughput(baud: number | undefined): Promise<string> {
  return await onBoard(async (session) => {
    return await withConsoleBaud(session, baud, async () => {
      const rate = session.repl.transport.baudRate;
      const out: string[] = [];
      await uploadFile(session, { name: "warm.txt", data: new Uint8Array(1) }); // helpers
      for (const [what, data] of [["Lua text", text], ["binary", binary]] as const) {
        const r = await uploadFile(session, { name: "bench.bin", data });
        const line = rate / 10;
        const stream = data.length / ((streamEnd - streamStart) / 1000);
        const pct = (bytesPerSecond: number) => `${(bytesPerSecond / line * 100).toFixed(0)} %`;
        out.push(
          `upload ${what} ${data.length} B at ${rate} (line rate ${line} B/s): transfer ${
            Math.round(stream)
          } B/s = ${pct(stream)}; with the board's close, digest and rename ${
            Math.round(r.bytesPerSecond)
          } B/s = ${pct(r.bytesPerSecond)} (${r.seconds.toFixed(2)} s)`,
        );
      }
      return out.join("\n");
    });
  });
}

Deno.bench({
  name: "upload a 20 KB Lua file and 8 KiB of binary at 115200 (real-time sim)",
  group: "lua upload",
  n: 1,
  warmup: 0,
  async fn() {
    if (once("115200")) lines.push(await throughput(undefined));
  },
});

Deno.bench({
  name: "upload at the fastest console rate the board takes",
  group: "lua upload",
  n: 1,
  warmup: 0,
  async fn() {
    if (!once("fast")) return;
    for (const baud of [921600, 460800, 230400]) {
      try {
        lines.push(await throughput(baud));
        return;
      } catch (error) {
        lines.push(`${baud}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  },
});

Deno.bench({
  name: "sync an unchanged 50-file folder (real-time sim)",
  group: "lua sync",
  n: 1,
  warmup: 0,
  async fn() {
    if (!once("sync")) return;
    const files: LocalFile[] = Array.from({ length: 50 }, (_, i) => ({
      name: `m${String(i).padStart(2, "0")}.lua`,
      path: `src/m${i}.lua`,
      data: new TextEncoder().encode(
        `-- module ${i}\nreturn { n = ${i}, s = "${"x".repeat(i * 4)}" }\n`,
      ),
    }));
    await onBoard(async (session, board) => {
      await syncFiles(session, files);
      const mark = board.timing.mark();
      const t0 = performance.now();
      const again = await syncFiles(session, files);
      const job = board.timing.since(mark);
      lines.push(
        `sync of 50 unchanged files: ${again.unchanged.length} unchanged, ${again.uploaded.length} uploaded; ` +
          `device time ${(job.elapsedUs / 1e6).toFixed(2)} s (wire floor ${
            (job.floorUs / 1e6).toFixed(2)
          } s), ` +
          `wall ${((performance.now() - t0) / 1000).toFixed(2)} s`,
      );
    });
  },
});

globalThis.addEventListener("unload", () => {
  lines.push(`load average after: ${load()}`);
  // deno-lint-ignore no-console -- the benchmark's figures
  console.log(lines.join("\n"));
});
