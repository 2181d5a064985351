/**
 * Recovery of a write through the ROM loader (`loader: "rom"`, `--no-stub`) on the simulated
 * board (lib/flasher/write_runs.ts, rom_span.ts): the ROM has no MD5, so a write resumes at the
 * sector of the last block it acknowledged, and its erase-size bug takes one sector more for an
 * odd count inside a 64 KiB block. A resumed write must neither lose that sector nor ask the ROM
 * for an erase it cannot do exactly. Every job is checked byte for byte on the board's flash.
 */

import assert from "node:assert/strict";
import type { FlashEvent } from "../lib/flasher/events.ts";
import { flash } from "../lib/flasher/flash.ts";
import { Op } from "../lib/protocol/opcodes.ts";
import type { SimBoard } from "../lib/sim/board.ts";
import { openSimTransport } from "../lib/sim/open_sim_transport.ts";
import { fillerBytes } from "../lib/testing/mod.ts";
import { faultyLine, type FaultyLineOptions } from "./support/faulty_line.ts";

interface Run {
  board: SimBoard;
  events: FlashEvent[];
  error: unknown;
}

/** Writes `data` at `address` through the ROM loader and a faulty line; never throws. */
async function romFlash(
  address: number,
  data: Uint8Array,
  options: { flash?: Uint8Array; line?: FaultyLineOptions; faults?: string },
): Promise<Run> {
  const url = options.faults === undefined ? "sim://" : `sim://?faults=${options.faults}`;
  const board = options.flash === undefined ? {} : { flashContents: options.flash };
  const port = await openSimTransport(url, { board });
  const events: FlashEvent[] = [];
  const run: Run = { board: port.board, events, error: undefined };
  try {
    await flash(faultyLine(port, options.line ?? {}).transport, {
      files: [{ address, name: "part.bin", data }],
      loader: "rom",
      flashSize: "keep",
      after: "no-reset",
      onEvent: (e) => events.push(e),
    });
  } catch (e) {
    run.error = e;
  } finally {
    await port.close();
  }
  return run;
}

/** The offsets of the ROM write streams (FLASH_BEGINs that erase something). */
const streams = (board: SimBoard) =>
  board.log.entries.filter((r) => r.op === Op.FLASH_BEGIN && r.args.size! > 0)
    .map((r) => r.args.offset);

const recoveries = (run: Run) =>
  run.events.flatMap((e) => e.type === "recovered" ? [[e.cause, e.action]] : []);

/** The n-th reply of the ROM to FLASH_DATA is lost on its way to the host. */
const loseDataReply = (n: number): FaultyLineOptions => {
  let replies = 0;
  return { dropFromBoard: (f) => f[0] === 0x01 && f[1] === Op.FLASH_DATA && ++replies === n };
};

Deno.test("ROM: a fault after the erase of an odd sector count still writes back the sector the ROM took too", async () => {
  const before = new Uint8Array(4 << 20).fill(0xff);
  const neighbour = fillerBytes(0x1000, 7);
  before.set(neighbour, 0x13000);
  const data = fillerBytes(0x3000, 3); // 3 sectors at 0x10000: the ROM erases 4
  const run = await romFlash(0x10000, data, { flash: before, line: loseDataReply(6) });
  assert.equal(run.error, undefined, String(run.error));
  assert.deepEqual(recoveries(run), [["no-reply", "resumed"]]);
  assert.deepEqual(run.board.flash.read(0x10000, data.length), data);
  assert.deepEqual(run.board.flash.read(0x13000, 0x1000), neighbour, "the sector after it kept");
  const kept = run.events.filter((e) => e.type === "note" && e.code === "rom/preserve-sector");
  assert.equal(kept.length, 1, "the neighbour is read once, before the first erase");
});

Deno.test("ROM: a write resumes one sector early when the rest is an odd count the ROM cannot erase exactly", async () => {
  const data = fillerBytes(0x10000, 5); // 16 sectors at 0x20000: one 64 KiB block, exact
  // block 21 is not acknowledged: 0x5400 bytes are; 11 sectors from 0x25000 would erase 12
  const run = await romFlash(0x20000, data, { line: loseDataReply(22) });
  assert.equal(run.error, undefined, String(run.error));
  assert.deepEqual(recoveries(run), [["no-reply", "resumed"]]);
  assert.deepEqual(streams(run.board), [0x20000, 0x24000]);
  assert.deepEqual(run.board.flash.read(0x20000, data.length), data);
  assert.ok(!run.events.some((e) => e.type === "note" && e.code === "rom/preserve-sector"));
});

Deno.test("ROM: a brown-out during the write: re-synced, resumed after the acknowledged blocks", async () => {
  const data = fillerBytes(0x40000, 11);
  const run = await romFlash(0, data, { faults: "brownout=500" });
  assert.equal(run.error, undefined, String(run.error));
  assert.deepEqual(recoveries(run), [["board-restarted", "resynced"]]);
  const [first, second, ...more] = streams(run.board);
  assert.equal(first, 0);
  assert.ok(second! > 0 && second! % 0x1000 === 0, `resumed at 0x${second!.toString(16)}`);
  assert.deepEqual(more, []);
  assert.deepEqual(run.board.flash.read(0, data.length), data);
});
