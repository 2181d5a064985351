/**
 * A flasher stub left running (`--after no-reset`) is found and used by the next job, against
 * the simulated board: no reset, no sync with the ROM, no upload. Found from the run's memory of
 * the port, or, with `--before no-reset`, by asking at the fastest rate; when the board was
 * reset meanwhile, the job resets and uploads as usual.
 */

import assert from "node:assert/strict";
import { flash, type FlashOptions } from "../lib/flasher/flash.ts";
import type { FlashEvent } from "../lib/flasher/events.ts";
import { LinkMemory } from "../lib/flasher/link_memory.ts";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { Op } from "../lib/protocol/opcodes.ts";
import { openSimTransport, type SimTransport } from "../lib/sim/open_sim_transport.ts";

const firmware = buildNodemcuFirmware({ seed: 5, totalSize: 96 * 1024 }).combined;
const files = [{ address: 0, name: "fw.bin", data: firmware }];

const job = (t: SimTransport, options: Partial<FlashOptions>, events: FlashEvent[] = []) =>
  flash(t, { files, flashSize: "keep", onEvent: (e) => events.push(e), ...options });

/** What the board saw from now on: resets (EN pulled low) and uploads (MEM_BEGIN). */
function watch(t: SimTransport): { resets: number; uploads: number } {
  const seen = { resets: 0, uploads: 0 };
  t.board.on((e) => {
    if (e.type === "signals" && e.rts && !e.dtr) seen.resets++;
    if (e.type === "command" && e.record.op === Op.MEM_BEGIN) seen.uploads++;
  });
  return seen;
}

async function withBoard(fn: (t: SimTransport) => Promise<void>): Promise<void> {
  const t = await openSimTransport("sim://");
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("the run's next job finds the stub the last one left running: no reset, no upload", async () => {
  await withBoard(async (t) => {
    const memory = new LinkMemory();
    await job(t, { memory, after: "no-reset" });
    assert.equal(t.board.state, "stub");
    assert.equal(memory.get(t.info.url)?.stubBaud, 921600);
    const seen = watch(t);
    const events: FlashEvent[] = [];
    const result = await job(t, { memory, after: "no-reset" }, events);
    assert.deepEqual(seen, { resets: 0, uploads: 0 });
    assert.ok(events.some((e) => e.type === "stub" && e.state === "already-running"));
    assert.equal(result.regions[0]!.bytesWritten, 0, "the image was already there");
    assert.equal(result.baud, 921600);
  });
});

Deno.test("--before no-reset finds a stub listening at 921600 without the run's memory", async () => {
  await withBoard(async (t) => {
    await job(t, { after: "no-reset" });
    const seen = watch(t);
    const started = performance.now();
    const events: FlashEvent[] = [];
    await job(t, { before: { kind: "no-reset" }, after: "no-reset" }, events);
    assert.deepEqual(seen, { resets: 0, uploads: 0 });
    const connected = events.find((e) => e.type === "connected");
    assert.deepEqual(connected, { type: "connected", loader: "stub", attempts: 1, baud: 921600 });
    // found at once, not after the connection attempts at the ROM's rates ran out
    assert.ok(performance.now() - started < 3000);
  });
});

Deno.test("a stub remembered but gone (the board was reset meanwhile): reset and upload as usual", async () => {
  await withBoard(async (t) => {
    const memory = new LinkMemory();
    await job(t, { memory, after: "no-reset" });
    t.board.reset({ mode: "flash" }); // someone pressed RESET: the firmware runs
    await t.board.idle();
    const seen = watch(t);
    const result = await job(t, { memory, after: "hard-reset" });
    assert.equal(seen.uploads, 2, "the stub's text and data segments");
    assert.ok(seen.resets >= 2, "the reset into the loader and the final hard reset");
    assert.equal(result.regions[0]!.verified, true);
    assert.equal(memory.get(t.info.url)?.stubBaud, undefined, "the hard reset ended the stub");
  });
});
