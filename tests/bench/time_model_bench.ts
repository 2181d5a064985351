/**
 * How close nodeflash gets to the physical floor: a 600 KiB NodeMCU-like image flashed onto a
 * simulated board whose time model runs in real time (bytes take 10 bit times at the line rate,
 * flash erase and program take the W25Q32JV's typical times, the stub overlaps receiving with
 * writing). The simulator reports the floor its model implies for the job (wire time plus the
 * device time that cannot overlap); the figure to read is elapsed / floor, measured in one run.
 *
 * `deno bench -A tests/bench/time_model_bench.ts` prints the benchmarks and then one line per
 * rate with the ratio. The write phase is timed from the first FLASH_(DEFL_)BEGIN to the MD5
 * verification's reply; the whole job adds the reset, sync, stub upload at 115200 and baud
 * change.
 *
 * @module
 */

import { connectSimLink, SimBoard } from "../../lib/sim/mod.ts";
import { openSession } from "../../lib/flasher/open_session.ts";
import { flashRegion } from "../../lib/flasher/flash_region.ts";
import { leave } from "../../lib/flasher/after.ts";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";

const image = buildNodemcuFirmware({ totalSize: 600 * 1024 }).combined;

interface Figures {
  baud: number;
  /** Write + verify phase. */
  wallMs: number;
  floorMs: number;
  /** The whole job: reset, sync, stub upload, baud change, write, verify. */
  jobMs: number;
  jobFloorMs: number;
}

async function flashOnce(baud: number, compress: boolean): Promise<Figures> {
  const board = new SimBoard({ flashSize: "4MB", pace: "realtime", timing: { latencyMs: 1 } });
  const link = connectSimLink(board);
  try {
    const jobMark = board.timing.mark();
    const started = performance.now();
    const ready = await openSession(link.transport, { baud });
    const mark = board.timing.mark();
    const t0 = performance.now();
    await flashRegion(ready.session, { name: "fw.bin", address: 0, data: image, source: "file" }, {
      compress,
      diff: false,
      verify: true,
    });
    const wallMs = performance.now() - t0;
    const write = board.timing.since(mark);
    const jobMs = performance.now() - started;
    const job = board.timing.since(jobMark);
    await leave(ready.session, "no-reset");
    return { baud, wallMs, floorMs: write.floorUs / 1000, jobMs, jobFloorMs: job.floorUs / 1000 };
  } finally {
    await link.transport.close();
    await board.close();
  }
}

const results: Figures[] = [];

for (const baud of [460800, 921600]) {
  Deno.bench({
    name: `flash 600 KiB compressed at ${baud} (real-time model)`,
    group: "vs model floor",
    n: 1,
    warmup: 0,
    async fn() {
      results.push(await flashOnce(baud, true));
    },
  });
}

globalThis.addEventListener("unload", () => {
  for (const r of results) {
    // deno-lint-ignore no-console -- the benchmark's figures
    console.log(
      `${r.baud} baud: write+verify ${r.wallMs.toFixed(0)} ms vs floor ${
        r.floorMs.toFixed(0)
      } ms (ratio ${(r.wallMs / r.floorMs).toFixed(2)}); whole job ${
        r.jobMs.toFixed(0)
      } ms vs floor ${r.jobFloorMs.toFixed(0)} ms (ratio ${(r.jobMs / r.jobFloorMs).toFixed(2)})`,
    );
  }
});
