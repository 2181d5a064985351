/**
 * How fast the link goes, against the simulated board: the ROM synced at 460800 (the stub then
 * uploads at that rate, and `--no-stub` writes at it), falling back to 115200 on a board whose
 * ROM only syncs there; the working rate `auto` taking the fastest that answers, falling back
 * (with a reset) when the USB bridge cannot do it; what was learnt kept for the run's next job.
 */

import assert from "node:assert/strict";
import { flash, type FlashOptions } from "../lib/flasher/flash.ts";
import type { FlashEvent } from "../lib/flasher/events.ts";
import { LinkMemory } from "../lib/flasher/link_memory.ts";
import { isNodeflashError } from "../lib/errors.ts";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { Op } from "../lib/protocol/opcodes.ts";
import { openSimTransport, type SimTransport } from "../lib/sim/open_sim_transport.ts";

const firmware = buildNodemcuFirmware({ seed: 3, totalSize: 96 * 1024 }).combined;
const files = [{ address: 0, name: "fw.bin", data: firmware }];

/** The rate the board's UART ran at when it handled each command, by loader and opcode name. */
function ratesSeen(t: SimTransport): Array<{ what: string; baud: number }> {
  const seen: Array<{ what: string; baud: number }> = [];
  t.board.on((e) => {
    if (e.type === "command") {
      seen.push({ what: `${e.record.loader}:${e.record.name}`, baud: t.board.uart.boardBaud });
    }
  });
  return seen;
}

async function withBoard(url: string, fn: (t: SimTransport) => Promise<void>): Promise<void> {
  const t = await openSimTransport(url);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const job = (t: SimTransport, options: Partial<FlashOptions>, events: FlashEvent[] = []) =>
  flash(t, {
    files,
    flashSize: "keep",
    after: "no-reset",
    onEvent: (e) => events.push(e),
    ...options,
  });

const near = (baud: number, expected: number) => Math.abs(baud - expected) / expected < 0.01;

Deno.test("the ROM syncs at 460800: the stub uploads at that rate, then the link goes to 921600", async () => {
  await withBoard("sim://", async (t) => {
    const seen = ratesSeen(t);
    const events: FlashEvent[] = [];
    const result = await job(t, {}, events);
    assert.equal(result.baud, 921600);
    const connected = events.find((e) => e.type === "connected");
    assert.deepEqual(connected, { type: "connected", loader: "rom", attempts: 1, baud: 460800 });
    const upload = seen.filter((s) => s.what === "rom:MEM_DATA");
    assert.ok(
      upload.length > 0 && upload.every((s) => near(s.baud, 460800)),
      JSON.stringify(upload),
    );
    const writes = seen.filter((s) => s.what === "stub:FLASH_DEFL_DATA");
    assert.ok(writes.length > 0 && writes.every((s) => near(s.baud, 921600)));
    assert.ok(!events.some((e) => e.type === "note" && e.code === "link/slow-rom-sync"));
  });
});

Deno.test("a ROM that only syncs at 115200: the fast SYNC goes unanswered, 115200 works, the run remembers", async () => {
  await withBoard("sim://?autobaud-max=115200", async (t) => {
    const seen = ratesSeen(t);
    const memory = new LinkMemory();
    const events: FlashEvent[] = [];
    const result = await job(t, { memory }, events);
    assert.equal(result.regions[0]!.verified, true);
    assert.deepEqual(t.board.flash.read(0, 16), firmware.subarray(0, 16));
    const note = events.find((e) => e.type === "note" && e.code === "link/slow-rom-sync");
    assert.match(note?.type === "note" ? note.message : "", /did not answer at 460800.*115200/);
    assert.ok(seen.filter((s) => s.what === "rom:MEM_DATA").every((s) => near(s.baud, 115200)));
    assert.deepEqual(memory.get(t.info.url)?.failedSync, [460800]);
    // the next job of the run syncs at 115200 straight away: no unanswered SYNC first
    const rx: number[] = [];
    t.board.on((e) => e.type === "baud" && e.hostBaud !== undefined && rx.push(e.hostBaud));
    const again: FlashEvent[] = [];
    await job(t, { memory, before: { kind: "default-reset" } }, again);
    assert.ok(!again.some((e) => e.type === "note" && e.code === "link/slow-rom-sync"));
    assert.ok(!rx.includes(460800), `the host never went to 460800 for the ROM: ${rx}`);
  });
});

Deno.test("--no-stub syncs the ROM at the rate asked for and writes at it; 115200 when asked", async () => {
  for (const [baud, expected] of [[460800, 460800], [115200, 115200]] as const) {
    await withBoard("sim://", async (t) => {
      const seen = ratesSeen(t);
      const result = await job(t, { loader: "rom", baud });
      assert.equal(result.loader, "rom");
      assert.equal(result.baud, expected);
      const writes = seen.filter((s) => s.what === "rom:FLASH_DATA");
      assert.ok(writes.length >= 64 && writes.every((s) => near(s.baud, expected)));
      assert.deepEqual(t.board.flash.read(0, firmware.length), firmware);
    });
  }
});

Deno.test("auto: a USB bridge that cannot do 921600 gets no answer there; a reset, then 460800", async () => {
  await withBoard("sim://?bridge-max=460800", async (t) => {
    const memory = new LinkMemory();
    const events: FlashEvent[] = [];
    const result = await job(t, { memory }, events);
    assert.equal(result.baud, 460800);
    assert.equal(result.regions[0]!.verified, true);
    const note = events.find((e) => e.type === "note" && e.code === "link/baud-fallback");
    assert.match(note?.type === "note" ? note.message : "", /No answer at 921600 .* 460800/);
    assert.equal(events.filter((e) => e.type === "stub" && e.state === "uploading").length, 2);
    assert.deepEqual(memory.get(t.info.url)?.failedWorking, [921600]);
    // the next job of the run does not try 921600 again
    const changes: number[] = [];
    t.board.on((e) => {
      if (e.type === "command" && e.record.op === Op.CHANGE_BAUDRATE) {
        changes.push(e.record.args.baud!);
      }
    });
    const again: FlashEvent[] = [];
    const second = await job(t, { memory, before: { kind: "default-reset" } }, again);
    assert.equal(second.baud, 460800);
    assert.ok(!again.some((e) => e.type === "note" && e.code === "link/baud-fallback"));
    assert.deepEqual(changes, [], "synced at 460800, already the working rate");
  });
});

Deno.test("an explicit rate the link cannot do is an error naming it, not a silent fallback", async () => {
  await withBoard("sim://?bridge-max=460800", async (t) => {
    await assert.rejects(
      () => job(t, { baud: 921600 }),
      (e) =>
        isNodeflashError(e) && e.code === "link/baud-failed" && /921600/.test(e.message) &&
        /lower --baud/.test(e.hint ?? ""),
    );
  });
});
